"""The whole platform in one process, as `make run` starts it: GraphQL in, RELEASED out."""

from __future__ import annotations

from collections import Counter

from puente_registration.tables import FamilyRow, PersonRow
from puente_schemas import Envelope
from puente_schemas.topics import REGISTRATION_COMMANDS
from sqlmodel import Session, select

from tests.polling import eventually
from tests.wiring.support import CHILD, FAMILY, REGISTER, events_for, member

# Each step of the journey happens exactly once for a family nothing goes wrong for.
JOURNEY = (
    "registered",
    "scheduled",
    "shelter-assigned",
    "transport-booked",
    "transport-departed",
    "arrived-at-port",
    "checked-in",
    "processed",
    "court-assigned",
    "released",
)


async def test_a_family_with_a_child_never_in_mpp_reaches_released(platform):
    _, bus, graphql = platform
    members = [
        member("A123456789"),
        member("A123456780", caseCategory="IN_ABSENTIA", language="mam", needsInterpreter=True),
        CHILD,
    ]
    answer = (
        await graphql(
            REGISTER,
            input={
                "channel": "ONLINE",
                "currentLocation": {"city": "Tijuana", "country": "MX"},
                "members": members,
            },
        )
    )["registerFamily"]
    assert (answer["status"], answer["errors"]) == ("ACCEPTED", [])
    family = answer["familyUnitId"]

    async def released():
        unit = (await graphql(FAMILY, id=family))["familyUnit"]
        return unit["stage"] == "RELEASED" and unit

    unit = await eventually(released, timeout=20)
    assert unit["appointment"]["site"] == "san-ysidro"
    await eventually(lambda: events_for(bus, family)["notice-delivered"] == 2)
    counts = events_for(bus, family)
    assert {step: counts[step] for step in JOURNEY} == dict.fromkeys(JOURNEY, 1)
    assert counts["documents-prepared"] >= 1  # one per moment documents came ready
    # At 100,000x, 4 hours of processing last 0.14 s: on a loaded machine the officer's
    # "done" can come after the target, and `processing-overdue` is then right (its own tests
    # are in test_processing.py). Nothing else may appear.
    extra = set(counts) - {*JOURNEY, "documents-prepared", "notice-delivered"}
    assert extra <= {"processing-overdue"}, extra
    released_event = next(
        Envelope.from_kafka(m.headers, m.value)
        for m in bus.read("puente.processing.events")
        if m.headers["ce_type"].endswith("released.v1") and m.key == family
    )
    assert released_event.data["destination"].startswith("Jewish Family Service")
    assert released_event.correlation_id == answer["commandId"]


async def test_a_bad_registration_is_rejected_field_by_field_and_nothing_is_written(platform):
    built, bus, graphql = platform
    answer = (
        await graphql(
            REGISTER,
            input={
                "channel": "ONLINE",
                "currentLocation": {"city": "Tijuana", "country": "XX"},
                "members": [
                    member("A12"),
                    member(None, mppEnrollmentDate="2099-01-01"),
                    member("A123456789", language="zzz"),
                ],
            },
        )
    )["registerFamily"]
    assert answer["status"] == "REJECTED"
    assert {(e["field"], e["message"]) for e in answer["errors"]} == {
        ("currentLocation.country", "unknown country code 'XX'"),
        ("members[0].aNumber", "must be 'A' followed by 9 digits"),
        ("members[1].aNumber", "is required for a member in MPP"),
        ("members[1].mppEnrollmentDate", "is in the future"),
        ("members[2].language", "unknown ISO 639-3 language code 'zzz'"),
    }
    family = answer["familyUnitId"]
    assert events_for(bus, family) == Counter({"registration-rejected": 1})
    registration = next(s for s in built.services if s.name == "registration")
    with Session(registration.engine) as session:
        assert session.exec(select(FamilyRow)).all() == []
        assert session.exec(select(PersonRow)).all() == []
    assert (await graphql(FAMILY, id=family))["familyUnit"]["stage"] == "REJECTED"


async def test_an_empty_family_is_rejected(platform):
    _, bus, graphql = platform
    answer = (
        await graphql(
            REGISTER,
            input={
                "channel": "IN_PERSON",
                "currentLocation": {"city": "Reynosa", "country": "MX"},
                "members": [],
            },
        )
    )["registerFamily"]
    assert answer["status"] == "REJECTED"
    assert answer["errors"] == [
        {"field": "members", "message": "a family needs at least one member"}
    ]
    assert len(bus.read(REGISTRATION_COMMANDS)) == 1


async def test_a_second_family_with_a_registered_a_number_is_rejected(platform):
    _, _, graphql = platform
    first = {
        "channel": "ONLINE",
        "currentLocation": {"city": "Matamoros", "country": "MX"},
        "members": [member("A555555555")],
    }
    assert (await graphql(REGISTER, input=first))["registerFamily"]["status"] == "ACCEPTED"
    again = (await graphql(REGISTER, input=first))["registerFamily"]
    assert again["status"] == "REJECTED"
    assert again["errors"] == [{"field": "members[0].aNumber", "message": "is already registered"}]
