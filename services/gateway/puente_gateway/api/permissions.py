"""Permissions every field passes: by role (Needs), and for personal data by organisation
(MaySeeRecord, MaySeeLegalHistory). A refusal is an error on the field, never silence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from puente_gateway import audit
from puente_gateway.access import Principal, RecordAccess, may_see_record
from puente_gateway.auth import AUTHENTICATION_REQUIRED
from puente_gateway.roles import LEGAL_ROLES, Role

if TYPE_CHECKING:
    from puente_gateway.app import Gateway

__all__ = [
    "NOT_AUTHORISED",
    "MaySeeLegalHistory",
    "MaySeeRecord",
    "Needs",
    "Public",
    "engine",
    "gateway",
    "needs",
    "principal",
    "public",
    "refuse",
]

NOT_AUTHORISED = "not authorised"


def gateway(info: Info) -> Gateway:
    found: Gateway = info.context["gateway"]
    return found


def engine(info: Info) -> Engine:
    found: Engine = gateway(info).service.engine
    return found


def principal(info: Info) -> Principal | None:
    found: Principal | None = info.context.get("principal")
    return found


class Needs(BasePermission):
    """The caller must hold one of `roles`; the refusal names the operation and the roles."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = principal(info)
        if caller is None or caller.anonymous:
            raise self.error_class(AUTHENTICATION_REQUIRED)
        if caller.has_any(self.roles):
            return True
        names = " or ".join(sorted(role.value for role in self.roles))
        # Raised here rather than through `message`: the message names the field asked for.
        raise self.error_class(f"{NOT_AUTHORISED}: {info.field_name} needs role {names}")


class Public(BasePermission):
    """Anyone, with or without a token: published, non-personal data."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return True


def needs(*roles: Role) -> list[FieldExtension]:
    return [PermissionExtension(permissions=[Needs(*roles)], use_directives=False)]


def public() -> list[FieldExtension]:
    return [PermissionExtension(permissions=[Public()], use_directives=False)]


def refuse(message: str = NOT_AUTHORISED) -> Exception:
    """The error a resolver raises for a refusal it decides itself (same class as the rest)."""
    return Needs.error_class(message)


class MaySeeRecord(BasePermission):
    """The family's record: only for an organisation allowed to see it. `source` carries the
    family's RecordAccess as `access` (and its id as `family_unit_id`); both the read and the
    refusal are written to the audit log."""

    message = NOT_AUTHORISED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = principal(info)
        record: RecordAccess | None = source.access
        allowed = caller is not None and may_see_record(caller, record)
        if caller is not None:
            audit_read(info, caller, [source.family_unit_id], allowed=allowed)
        return allowed


class MaySeeLegalHistory(BasePermission):
    """A-numbers, case categories and legal actions: not for shelters or transport."""

    message = NOT_AUTHORISED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = principal(info)
        return caller is not None and caller.has_any(LEGAL_ROLES)


def audit_read(
    info: Info, caller: Principal, family_unit_ids: Iterable[str], *, allowed: bool
) -> None:
    audit.record(
        engine(info),
        caller,
        family_unit_ids,
        operation=_operation(info),
        outcome=audit.READ if allowed else audit.REFUSED,
        now=gateway(info).clock.now(),
    )


def _operation(info: Info) -> str:
    """`familyUnit.members`: the top-level field, then the field read."""
    path, top = info.path, info.path
    while top.prev is not None:
        top = top.prev
    return f"{top.key}.{path.key}" if top is not path else str(path.key)
