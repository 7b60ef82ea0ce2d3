"""Expedite requests and decisions: published criteria, a second approver from another
organisation when the requester grants its own request, denials final at once. Pure."""

import pytest
from puente_registration import expedites
from puente_registration.expedites import Decision, Request, Status
from puente_schemas.commands import DecideExpedite, RequestExpedite
from puente_schemas.criteria import EXPEDITE_CRITERIA

SHELTER, LEGAL, UNHCR = "shelter-tijuana", "legal-aid-sd", "unhcr-mx"
PENDING = Request(requested_by=SHELTER, status=Status.PENDING)


def request(**changes: object) -> RequestExpedite:
    values: dict[str, object] = {
        "request_id": "r1",
        "family_unit_id": "f1",
        "criterion": "urgent-medical",
        "note": "insulin runs out next week",
        "organisation_id": SHELTER,
    }
    return RequestExpedite(**(values | changes))


def decision(
    organisation: str, *, granted: bool = True, reason: str = "documented"
) -> DecideExpedite:
    return DecideExpedite(
        family_unit_id="f1",
        request_id="r1",
        granted=granted,
        reason=reason,
        organisation_id=organisation,
    )


def messages(found) -> dict[str, str]:
    assert isinstance(found, list), found
    return {e.field: e.message for e in found}


@pytest.mark.parametrize("criterion", sorted(EXPEDITE_CRITERIA))
def test_a_request_under_a_published_criterion_with_a_note_is_accepted(criterion):
    assert expedites.request_errors(request(criterion=criterion)) == []


def test_a_request_names_each_missing_or_unknown_part():
    found = expedites.request_errors(request(criterion="vip", note="  ", organisation_id=""))
    assert messages(found) == {
        "criterion": "unknown criterion 'vip'; one of urgent-medical, safety-threat, "
        "other-vulnerability",
        "note": "a note explaining the request is required",
        "organisation_id": "the requesting organisation is required",
    }


def test_a_grant_by_another_organisation_is_final():
    assert expedites.decide(PENDING, decision(LEGAL)) == Decision(Status.GRANTED, (LEGAL,))


def test_a_grant_by_the_requesting_organisation_waits_for_another_one():
    first = expedites.decide(PENDING, decision(SHELTER))
    assert first == Decision(Status.AWAITING_SECOND_APPROVAL, (SHELTER,))
    assert not first.final
    waiting = Request(SHELTER, Status.AWAITING_SECOND_APPROVAL, (SHELTER,))
    assert expedites.decide(waiting, decision(UNHCR)) == Decision(Status.GRANTED, (SHELTER, UNHCR))


def test_the_same_organisation_cannot_approve_twice():
    waiting = Request(SHELTER, Status.AWAITING_SECOND_APPROVAL, (SHELTER,))
    assert messages(expedites.decide(waiting, decision(SHELTER))) == {
        "organisation_id": "has already approved this request: the second approver must be "
        "from another organisation"
    }


@pytest.mark.parametrize("decider", [SHELTER, LEGAL])
def test_a_denial_is_final_at_once_whoever_makes_it(decider):
    for state in (PENDING, Request(SHELTER, Status.AWAITING_SECOND_APPROVAL, (SHELTER,))):
        denied = expedites.decide(state, decision(decider, granted=False))
        assert denied == Decision(Status.DENIED, (decider,))
        assert denied.final


@pytest.mark.parametrize("status", [Status.GRANTED, Status.DENIED])
def test_a_decided_request_cannot_be_decided_again(status):
    decided = Request(SHELTER, status, (LEGAL,))
    assert messages(expedites.decide(decided, decision(UNHCR))) == {
        "request_id": f"is already decided ({status})"
    }


def test_a_decision_needs_a_reason_and_an_organisation():
    assert messages(expedites.decide(PENDING, decision(" ", reason=""))) == {
        "reason": "a reason for the decision is required",
        "organisation_id": "the deciding organisation is required",
    }
