"""The envelope as a partner's CloudEvents SDK sees it: the official Python SDK's strict Kafka
binding (`cloudevents.core`, binary content mode) reads what Puente sends, and Puente reads
what that SDK sends with only the required attributes."""

from __future__ import annotations

import datetime as dt

from puente_runtime import FakeClock
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope
from puente_schemas.commands import RecordDeparture, RegisterFamily
from puente_schemas.common import FieldError
from puente_schemas.events import RegistrationCommandRejected

from tests.cloudevents import sdk_made, sdk_read
from tests.conftest import START

REQUIRED = {"ce_id": "c1", "ce_source": "/partner", "ce_type": "t", "ce_specversion": "1.0"}


def test_the_sdk_reads_every_attribute_puente_sends():
    cause = envelope_for(
        RecordDeparture(family_unit_id="f1", booking_id="b1"),
        source="gateway",
        clock=FakeClock(START),
    )
    event = envelope_for(
        RecordDeparture(family_unit_id="f1", booking_id="b2"),
        source="transport",
        clock=FakeClock(START),
        cause=cause,
    )

    read = sdk_read(event.headers(), event.subject, event.body())

    assert read.get_attributes() == {
        "id": event.id,
        "source": "/puente/transport",
        "type": RecordDeparture.TYPE,
        "specversion": "1.0",
        "time": START,
        "subject": "f1",
        "datacontenttype": "application/json",
        "correlationid": cause.correlation_id,
        "causationid": cause.id,
        "partitionkey": "f1",
    }
    assert read.get_data() == event.data


def test_an_attribute_without_a_value_is_not_sent_at_all():
    """A partner's command that names no subject is rejected by a message without one: the
    header is left out, never sent empty (the strict SDK refuses an empty ce_subject)."""
    command = {**REQUIRED, "ce_type": RegisterFamily.TYPE, "content-type": "application/json"}
    cause = Envelope.from_kafka(command, b"{}")
    rejection = RegistrationCommandRejected(
        command=RegisterFamily.TYPE, errors=[FieldError(field="members", message="required")]
    )
    envelope = envelope_for(rejection, source="registration", clock=FakeClock(START), cause=cause)

    headers = envelope.headers()

    assert "ce_subject" not in headers
    assert all(headers.values())
    read = sdk_read(headers, "c1", envelope.body())
    assert (read.get_subject(), read.get_extension("causationid")) == (None, "c1")


def test_puente_reads_an_event_the_sdk_made_with_only_the_required_attributes():
    """The SDK stamps a time on every event it makes; a partner's producer may drop it, and
    the spec makes it optional: the time of receipt stands in."""
    headers, body = sdk_made("f1")
    received = START + dt.timedelta(minutes=5)

    envelope = Envelope.from_kafka(headers, body, received_at=received)

    assert (envelope.id, envelope.type, envelope.source) == (
        headers["ce_id"],
        RecordDeparture.TYPE,
        "/partner/iom",
    )
    assert (envelope.time, envelope.subject, envelope.correlation_id) == (
        received,
        "",
        headers["ce_id"],
    )
    assert RecordDeparture.model_validate(envelope.data).booking_id == "b1"
