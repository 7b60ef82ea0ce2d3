"""Who may see what: pure rules over a principal and what the read model knows of a family.

Who follows which family lives here, once, for queries, subscriptions and (through
`may_receive`) anything else that delivers a family's events to a partner. Each case role
follows only the families it has a reason to (`reasons`); the agencies that process every
case (DHS, DOJ, State) follow every family through their unscoped case roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from puente_schemas.common import Channel, PartnerKind

from puente_gateway.roles import (
    AGENCIES,
    CASE_ROLES,
    CHANNELS,
    LEGAL_ROLES,
    LIMITED_CASE_ROLES,
    Role,
)

__all__ = [
    "JOURNEY_EVENTS",
    "NOT_YOUR_ROUTE",
    "NOT_YOUR_SITE",
    "Principal",
    "RecordAccess",
    "may_follow",
    "may_receive",
    "may_register",
    "may_see_event",
    "may_see_record",
    "own_client",
    "reasons",
    "route_refusal",
    "site_refusal",
    "works_at",
]

NOT_YOUR_SITE = "not your site"
NOT_YOUR_ROUTE = "not your route"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's public id and name, its organisation and roles, the
    shelter its organisation runs, if any, the sites a port officer works at and the routes
    a transport operator serves."""

    token_id: str
    name: str
    roles: frozenset[Role]
    organisation_id: str | None = None
    organisation_kind: PartnerKind | None = None
    shelter_id: str | None = None
    sites: frozenset[str] = frozenset()
    routes: frozenset[str] = frozenset()

    @property
    def anonymous(self) -> bool:
        return self.organisation_id is None and self.roles <= {Role.PUBLIC}

    def has_any(self, roles: Iterable[Role]) -> bool:
        return not self.roles.isdisjoint(roles)


ANONYMOUS = Principal(token_id="anonymous", name="anonymous", roles=frozenset({Role.PUBLIC}))


@dataclass(frozen=True)
class RecordAccess:
    """What decides who follows a family and sees its record: who registered it, to whom it
    consented, the shelter expecting it, the site that processes it (ports.site_of), the
    routes it is booked on, the hotline operators with a call-back for it, whether an
    expedite request of it awaits a decision, and the organisations that decided one."""

    family_unit_id: str
    organisation_id: str | None
    consent: frozenset[PartnerKind]
    shelter_id: str | None = None
    site: str | None = None
    routes: frozenset[str] = frozenset()
    callers: frozenset[str] = frozenset()
    expedite_pending: bool = False
    expedite_deciders: frozenset[str] = frozenset()


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


def route_refusal(principal: Principal, route_id: str | None) -> str | None:
    """Why a transport operator may not act on, or list, a booking on `route_id` (None: it
    may). Names the route, never the family's data."""
    if route_id is not None and route_id in principal.routes:
        return None
    return f"{NOT_YOUR_ROUTE}: {route_id or 'the booking names no route'}"


def _expected_by(principal: Principal, record: RecordAccess) -> bool:
    return principal.shelter_id is not None and record.shelter_id == principal.shelter_id


def _reason(principal: Principal, role: Role, record: RecordAccess) -> bool:
    """Whether `role` gives the caller a reason to follow this family."""
    if role in (Role.REGISTRAR, Role.LEGAL_PROVIDER):
        return own_client(principal, record)  # registered by it, or its client (attorney)
    if role is Role.HOTLINE_OPERATOR:
        return own_client(principal, record) or principal.name in record.callers
    if role is Role.EXPEDITE_DECIDER:
        decided = principal.organisation_id in record.expedite_deciders
        return record.expedite_pending or decided
    if role is Role.TRANSPORT_OPERATOR:
        return not principal.routes.isdisjoint(record.routes)
    if role is Role.SHELTER:
        return _expected_by(principal, record)
    if role is Role.PORT_OFFICER:
        return works_at(principal, record.site)
    return False


def reasons(principal: Principal, record: RecordAccess | None) -> frozenset[Role]:
    """The case roles through which the caller follows this family (none: it does not).
    An agency's unscoped case roles follow every family; every other role its own: a legal
    provider its clients, a registrar or hotline the families its organisation registered
    (and an operator those it has a call-back with), an expedite decider the families whose
    requests are before it, a transport operator those booked on its routes, a shelter those
    coming to it, a port officer those at its sites."""
    held = principal.roles & CASE_ROLES
    if principal.organisation_id is None or not held:
        return frozenset()
    every = held - LIMITED_CASE_ROLES if principal.organisation_kind in AGENCIES else frozenset()
    if record is None:
        return every
    return every | {role for role in held - every if _reason(principal, role, record)}


def may_follow(principal: Principal, record: RecordAccess | None) -> bool:
    """Whether the caller may follow this family (stage, timeline, itinerary, place in line,
    documents, live events)."""
    return bool(reasons(principal, record))


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


def may_see_event(principal: Principal, record: RecordAccess | None, event_type: str) -> bool:
    """A timeline entry (its type and time) of a followed family: everything when a role with
    legal work follows it, else the journey's steps (a shelter, transport)."""
    why = reasons(principal, record)
    return bool(why) and (event_type in JOURNEY_EVENTS or not why.isdisjoint(LEGAL_ROLES))


def may_receive(principal: Principal, record: RecordAccess | None, event_type: str) -> bool:
    """Whether an event of a family goes to this principal at all: live subscriptions use it,
    and webhooks (family_hooks.py), with the principal of the token that made the endpoint."""
    return may_see_event(principal, record, event_type)


def may_see_record(principal: Principal, record: RecordAccess | None) -> bool:
    """For a family the caller follows (may_follow): an agency, the organisation that
    registered the family, or a kind it consented to."""
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
