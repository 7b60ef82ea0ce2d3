"""registerFamily: a command with a correlation id, then the outcome or PENDING."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from puente_gateway.schema import schema
from puente_runtime import Message
from puente_runtime.messages import to_message
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope
from puente_schemas.common import FieldError
from puente_schemas.events import Registered, RegistrationRejected
from puente_schemas.topics import REGISTRATION_COMMANDS

from tests.polling import eventually

from .support import Harness, registered

REGISTER = """
mutation ($input: RegisterFamilyInput!) {
  registerFamily(input: $input) { status commandId familyUnitId errors { field message } }
}
"""
INPUT = {
    "channel": "ONLINE",
    "currentLocation": {"city": "Matamoros", "country": "MX"},
    "members": [
        {
            "givenName": "Ana",
            "familyName": "Lopez",
            "birthDate": "1990-05-01",
            "inMpp": True,
            "aNumber": "A123456789",
            "mppEnrollmentDate": "2019-06-03",
            "caseCategory": "ACTIVE",
            "language": "spa",
            "needsInterpreter": False,
        },
        {
            "givenName": "Luis",
            "familyName": "Lopez",
            "birthDate": "2015-03-02",
            "inMpp": False,
            "aNumber": "123",
            "language": "spa",
        },
    ],
}


def answering(harness: Harness, outcome: Callable[[str], Registered | RegistrationRejected]):  # type: ignore[no-untyped-def]
    """A stand-in for registration: answers each RegisterFamily with `outcome`."""

    async def handle(message: Message) -> None:
        command = Envelope.from_kafka(message.headers, message.value)
        event = outcome(command.data["family_unit_id"])
        answer = envelope_for(event, source="registration", clock=harness.clock, cause=command)
        await harness.bus.publish(to_message(answer, event.TOPIC, {}))

    harness.bus.subscribe([REGISTRATION_COMMANDS], "fake-registration", handle)


async def register(harness: Harness) -> dict[str, Any]:
    result = await schema.execute(
        REGISTER, variable_values={"input": INPUT}, context_value=harness.context
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    answer: dict[str, Any] = result.data["registerFamily"]
    return answer


async def test_nothing_answers_so_the_command_is_pending(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness(outcome_timeout_seconds=0.2)
    await harness.start()

    answer = await register(harness)

    assert answer["status"] == "PENDING"
    assert answer["errors"] == []
    sent = await eventually(lambda: harness.bus.read(REGISTRATION_COMMANDS))
    command = Envelope.from_kafka(sent[0].headers, sent[0].value)
    assert command.correlation_id == answer["commandId"]
    assert command.subject == answer["familyUnitId"]
    assert command.data["members"][1]["a_number"] == "123"
    assert "traceparent" in sent[0].headers


async def test_registration_accepts(make_harness: Callable[..., Harness]) -> None:
    harness = make_harness()
    answering(harness, registered)
    await harness.start()

    answer = await register(harness)

    assert answer["status"] == "ACCEPTED"
    uuid.UUID(answer["familyUnitId"])


async def test_registration_rejects_with_errors_in_the_callers_spelling(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    answering(
        harness,
        lambda fid: RegistrationRejected(
            family_unit_id=fid,
            errors=[
                FieldError(field="members[1].a_number", message="an A-number is 'A' and 9 digits"),
                FieldError(field="current_location.country", message="unknown country"),
            ],
        ),
    )
    await harness.start()

    answer = await register(harness)

    assert answer["status"] == "REJECTED"
    assert answer["errors"] == [
        {"field": "members[1].aNumber", "message": "an A-number is 'A' and 9 digits"},
        {"field": "currentLocation.country", "message": "unknown country"},
    ]
