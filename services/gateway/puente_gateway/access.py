"""Who may see what: pure rules over a principal and what the read model knows of a family."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from puente_schemas.common import Channel, PartnerKind

from puente_gateway.roles import AGENCIES, CASE_ROLES, CHANNELS, LIMITED_CASE_ROLES, Role

__all__ = [
    "JOURNEY_EVENTS",
    "NOT_YOUR_SITE",
    "Principal",
    "RecordAccess",
    "limited",
    "may_follow",
    "may_register",
    "may_see_event",
    "may_see_record",
    "own_client",
    "shelter_only",
    "site_refusal",
    "works_at",
]

NOT_YOUR_SITE = "not your site"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's public id and name, its organisation and roles, the
    shelter its organisation runs, if any, and the sites a port officer works at."""

    token_id: str
    name: str
    roles: frozenset[Role]
    organisation_id: str | None = None
    organisation_kind: PartnerKind | None = None
    shelter_id: str | None = None
    sites: frozenset[str] = frozenset()

    @property
    def anonymous(self) -> bool:
        return self.organisation_id is None and self.roles <= {Role.PUBLIC}

    def has_any(self, roles: Iterable[Role]) -> bool:
        return not self.roles.isdisjoint(roles)


ANONYMOUS = Principal(token_id="anonymous", name="anonymous", roles=frozenset({Role.PUBLIC}))


@dataclass(frozen=True)
class RecordAccess:
    """What decides who sees a family's record: who registered it, to whom it consented, the
    shelter expecting it, and the site that processes it (ports.site_of)."""

    family_unit_id: str
    organisation_id: str | None
    consent: frozenset[PartnerKind]
    shelter_id: str | None = None
    site: str | None = None


def shelter_only(principal: Principal) -> bool:
    """The caller follows cases only as a shelter (no other case role)."""
    return Role.SHELTER in principal.roles and not principal.has_any(CASE_ROLES - {Role.SHELTER})


def limited(principal: Principal) -> bool:
    """The caller follows cases only through roles limited to some families (a shelter, a
    port officer), so what it follows is decided family by family (may_follow)."""
    held = principal.roles & CASE_ROLES
    return bool(held) and held <= LIMITED_CASE_ROLES


def works_at(principal: Principal, site: str | None) -> bool:
    """Least privilege at the ports: a port officer acts, and sees, only at the sites its
    token names. A family at no known site is at none of them."""
    return Role.PORT_OFFICER in principal.roles and site is not None and site in principal.sites


def site_refusal(principal: Principal, site: str | None) -> str | None:
    """Why a port officer may not act on a family at `site` (None: it may). Names the site,
    never the family's data."""
    if works_at(principal, site):
        return None
    return f"{NOT_YOUR_SITE}: {site or 'no site is known for this family yet'}"


def _expected_by(principal: Principal, record: RecordAccess) -> bool:
    return (
        Role.SHELTER in principal.roles
        and principal.shelter_id is not None
        and record.shelter_id == principal.shelter_id
    )


def may_follow(principal: Principal, record: RecordAccess | None) -> bool:
    """Whether a caller that holds a case role may follow this family (stage, timeline,
    itinerary, documents): a shelter the families assigned to the shelter its organisation
    runs, a port officer the families at its sites, each role adding what it follows; the
    other case roles any family."""
    if not limited(principal):
        return True
    return record is not None and (
        _expected_by(principal, record) or works_at(principal, record.site)
    )


# What a shelter sees of a family coming to it: the steps of its journey, never its legal
# history (documents, court, attorney), its expedites (often medical) or its call-backs.
JOURNEY_EVENTS = frozenset(
    {
        "registered",
        "waitlisted",
        "scheduled",
        "rescheduled",
        "schedule-cancelled",
        "transport-booked",
        "transport-departed",
        "transport-failed",
        "booking-cancelled",
        "arrived-at-port",
        "checked-in",
        "processed",
        "processing-overdue",
        "released",
        "shelter-assigned",
        "shelter-arrival-confirmed",
    }
)


def may_see_event(principal: Principal, event_type: str) -> bool:
    """A timeline entry (its type and time): everything for the other case roles, the
    journey's steps for a shelter."""
    return not shelter_only(principal) or event_type in JOURNEY_EVENTS


def may_see_record(principal: Principal, record: RecordAccess | None) -> bool:
    """An agency, the organisation that registered the family, or a kind it consented to; a
    shelter or a port officer, moreover, only for a family it follows (may_follow)."""
    kind = principal.organisation_kind
    if principal.organisation_id is None or kind is None:
        return False
    if not may_follow(principal, record):
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
