"""Who may see what: pure rules over a principal and what the read model knows of a family."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from puente_schemas.common import Channel, PartnerKind

from puente_gateway.roles import AGENCIES, CHANNELS, Role

__all__ = ["Principal", "RecordAccess", "may_register", "may_see_record", "own_client"]


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's public id and name, its organisation and roles."""

    token_id: str
    name: str
    roles: frozenset[Role]
    organisation_id: str | None = None
    organisation_kind: PartnerKind | None = None

    @property
    def anonymous(self) -> bool:
        return self.organisation_id is None and self.roles <= {Role.PUBLIC}

    def has_any(self, roles: Iterable[Role]) -> bool:
        return not self.roles.isdisjoint(roles)


ANONYMOUS = Principal(token_id="anonymous", name="anonymous", roles=frozenset({Role.PUBLIC}))


@dataclass(frozen=True)
class RecordAccess:
    """What decides who sees a family's record: who registered it and to whom it consented."""

    family_unit_id: str
    organisation_id: str | None
    consent: frozenset[PartnerKind]


def may_see_record(principal: Principal, record: RecordAccess | None) -> bool:
    """An agency, the organisation that registered the family, or a kind it consented to."""
    kind = principal.organisation_kind
    if principal.organisation_id is None or kind is None:
        return False
    if kind in AGENCIES:
        return True
    if record is None:
        return False
    return own_client(principal, record) or kind in record.consent


def own_client(principal: Principal, record: RecordAccess | None) -> bool:
    return (
        record is not None
        and record.organisation_id is not None
        and record.organisation_id == principal.organisation_id
    )


def may_register(principal: Principal, channel: Channel) -> bool:
    return any(channel in CHANNELS.get(role, frozenset()) for role in principal.roles)
