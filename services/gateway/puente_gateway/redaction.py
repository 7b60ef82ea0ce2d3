"""What of an event's content a caller may see: the one redaction rule, for the live feed's
`data` and family events sent by webhook (family_hooks.py). Pure: it uses
access.py's decisions about the caller and the family, and nothing else.

Every field of every event has a tier; a field with none is never shown (default deny):

- PUBLIC: policies (the CAP feed publishes them anyway) and the ids that name what happened.
- JOURNEY: the steps of a family's journey a shelter needs to receive it: times, site, size,
  languages, needs. For any case role (whether it may see the event at all is access.py's).
- CASEWORK: pick-up points, routes, vehicles, travel documents, call-backs: case roles other
  than a shelter (a transport operator sees pick-up points and times).
- RECORD: who the family is (members, where they live, their language): only for an
  organisation that may see the record (access.may_see_record). Members' legal history is
  taken out unless the caller may also see LEGAL.
- LEGAL: court, documents, expedite criteria (often medical), attorney decisions: a legal
  role that may see the record; a caller whose only legal role is `legal_provider` only for
  its own clients (access.own_client).
- ADDRESSEE: a notice's or webhook's content: only for the organisation it is addressed to.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from puente_gateway.access import Principal, RecordAccess, may_see_record, own_client
from puente_gateway.roles import CASE_ROLES, LEGAL_ROLES, Role

__all__ = ["MEMBER_LEGAL_FIELDS", "Tier", "personal", "redact", "tier"]


class Tier(Enum):
    PUBLIC = "public"
    JOURNEY = "journey"
    CASEWORK = "casework"
    RECORD = "record"
    LEGAL = "legal"
    ADDRESSEE = "addressee"


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FIELDS: Mapping[Tier, frozenset[str]] = {
    Tier.PUBLIC: _names("""family_unit_id policy_id title effective_at changes site shelter"""),
    Tier.JOURNEY: _names(
        """appointment_id appointment_at people seats decided_at eligible booking_id
        departure_at arrival_at departed_at expected_arrival_at arrived_at earliest_arrival
        checked_in_at processed_at released_at target_hours shelter_id expected_at languages
        needs_interpreter needs need_items confirmed_at onward_travel onward_travel_items
        registered_at reason command
        organisation_ids estimated_date seat_status"""
    ),
    Tier.CASEWORK: _names(
        """pickup_point origin_city origin route_id vehicle_id escorted_convoy risk lodging
        travel_documents cost_to_family callback_id due_at operator made_at
        rebooked_from"""
    ),
    Tier.RECORD: _names(
        """members current_location destination language after_release channel consent
        consent_recorded_at organisation_id errors member_id outcome"""
    ),
    Tier.LEGAL: _names(
        """court documents criterion note request_id requested_by requested_at approved_by
        decided_by granted attorney_organisation_id candidate_family_unit_ids
        existing_family_unit_id place on_parole"""
    ),
}
# Events whose content is an organisation's own (a notice to it, its webhooks): all of it but
# the family or policy it is about is for that organisation alone.
_ADDRESSED = ("notice-", "webhook-", "delivery-failed")
# Fields whose meaning depends on the event: an expedite's reason is medical, a registration
# update's or a duplicate's reason speaks of the people, a policy's or a site's is public.
_OVERRIDES: Mapping[tuple[str, str], Tier] = {
    ("expedite-decided", "reason"): Tier.LEGAL,
    ("attorney-access-decided", "reason"): Tier.LEGAL,
    ("duplicate-flagged", "reason"): Tier.RECORD,
    ("registration-updated", "reason"): Tier.RECORD,
    ("registration-rejected", "errors"): Tier.RECORD,
    ("policy-cancelled", "reason"): Tier.PUBLIC,
    ("site-updated", "reason"): Tier.PUBLIC,
}
_TIER_OF = {name: t for t, names in _FIELDS.items() for name in names}
# Inside a member: what only LEGAL may see (as Member's fields in the GraphQL API).
MEMBER_LEGAL_FIELDS = frozenset(
    {"a_number", "mpp_enrollment_date", "case_category", "legal_action"}
)


def tier(event_type: str, field: str) -> Tier | None:
    """The field's tier in this event (None: never shown)."""
    if event_type.startswith(_ADDRESSED) and field not in {"family_unit_id", "policy_id"}:
        return Tier.ADDRESSEE
    return _OVERRIDES.get((event_type, field), _TIER_OF.get(field))


def _legal(caller: Principal, record: RecordAccess | None) -> bool:
    if not caller.has_any(LEGAL_ROLES) or not may_see_record(caller, record):
        return False
    only_attorney = caller.roles & LEGAL_ROLES == {Role.LEGAL_PROVIDER}
    return not only_attorney or own_client(caller, record)


def _allowed(caller: Principal, record: RecordAccess | None, data: Mapping[str, Any]) -> set[Tier]:
    allowed = {Tier.PUBLIC}
    if caller.has_any(CASE_ROLES):  # what follows is about cases: for roles that follow them
        allowed.add(Tier.JOURNEY)
        if caller.has_any(CASE_ROLES - {Role.SHELTER}):
            allowed.add(Tier.CASEWORK)
        if may_see_record(caller, record):
            allowed.add(Tier.RECORD)
        if _legal(caller, record):
            allowed.add(Tier.LEGAL)
    addressee = data.get("organisation_id")
    if caller.organisation_id is not None and addressee == caller.organisation_id:
        allowed.add(Tier.ADDRESSEE)
    return allowed


def redact(
    caller: Principal, event_type: str, data: Mapping[str, Any], record: RecordAccess | None
) -> dict[str, Any]:
    """The part of `data` (an event's content) the caller may see; `record` is what decides who
    sees the family's record (None: the event names no family, or one not registered)."""
    allowed = _allowed(caller, record, data)
    shown = {k: v for k, v in data.items() if tier(event_type, k) in allowed}
    if "members" in shown and Tier.LEGAL not in allowed:
        shown["members"] = [
            {k: v for k, v in member.items() if k not in MEMBER_LEGAL_FIELDS}
            for member in shown["members"]
        ]
    return shown


def personal(event_type: str, shown: Mapping[str, Any]) -> bool:
    """Whether what is shown of the event reads a family's record or legal history: a read
    of personal data, written to the audit log."""
    return any(tier(event_type, f) in (Tier.RECORD, Tier.LEGAL) for f in shown)
