import datetime as dt
import re
from pathlib import Path

import puente_notifications.handlers
import puente_processing.handlers
import puente_registration.handlers
import puente_transport.handlers
import pytest
from puente_runtime import FakeClock
from puente_runtime.outbox import envelope_for
from puente_schemas import Envelope
from puente_schemas.catalog import CONSUMES
from puente_schemas.commands import ReleaseFamily
from puente_schemas.events import Registered, Released
from puente_schemas.export import exports

ROOT = Path(__file__).resolve().parents[2] / "schemas"
REQUIRED = {"ce_id": "1", "ce_source": "/partner", "ce_type": "t", "ce_specversion": "1.0"}


def test_committed_exports_match_the_code():
    """Run `make contracts` when this fails after a deliberate contract change."""
    drifted = [
        path
        for path, text in exports().items()
        if not (ROOT / path).exists() or (ROOT / path).read_text() != text
    ]
    assert drifted == []


@pytest.mark.parametrize(
    "module",
    [
        puente_registration.handlers,
        puente_transport.handlers,
        puente_processing.handlers,
        puente_notifications.handlers,
    ],
)
def test_services_consume_what_the_catalog_says(module):
    service = module.__name__.split(".")[0].removeprefix("puente_")
    assert set(module.HANDLERS) == set(CONSUMES[service])


def test_envelope_round_trips_through_kafka_headers():
    envelope = Envelope(
        type=Registered.TYPE,
        source="/puente/registration",
        time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        subject="f1",
        correlation_id="c1",
        causation_id="e0",
        data={"x": 1},
    )
    headers = envelope.headers()
    assert headers["ce_specversion"] == "1.0" and headers["ce_type"] == Registered.TYPE
    assert Envelope.from_kafka(headers, envelope.body()) == envelope


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        ({}, b"{}", "missing CloudEvents headers: ce_id, ce_source, ce_type, ce_specversion"),
        ({**REQUIRED, "ce_type": ""}, b"{}", "ce_type: String should have at least 1 character"),
        ({**REQUIRED, "ce_specversion": "0.3"}, b"{}", "ce_specversion: Input should be '1.0'"),
        (
            {**REQUIRED, "content-type": "application/xml"},
            b"<a/>",
            "content-type: not a JSON media type",
        ),
        ({**REQUIRED, "ce_time": "yesterday"}, b"{}", "ce_time: Input should be a valid datetime"),
        (REQUIRED, b"\xff not json", "body is not JSON"),
        (REQUIRED, b"[1]", "body is not a JSON object"),
    ],
)
def test_malformed_envelopes_say_what_is_wrong(headers, body, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        Envelope.from_kafka(headers, body)


def test_a_simulated_message_says_so_and_so_does_what_it_causes():
    """The field simulator's commands carry `ce_puentesimulated: true`, which any consumer
    reads; an event they cause is simulated too, so the chain can be told from a real one."""
    clock = FakeClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    command = envelope_for(
        ReleaseFamily(family_unit_id="f1"), source="simulator", clock=clock, simulated=True
    )
    headers = command.headers()
    assert headers["ce_source"] == "/puente/simulator"
    assert headers["ce_puentesimulated"] == "true"
    received = Envelope.from_kafka(headers, command.body())
    assert received.simulated

    event = Released.model_construct(family_unit_id="f1")
    caused = envelope_for(event, source="processing", clock=clock, cause=received)
    assert caused.simulated and caused.headers()["ce_puentesimulated"] == "true"
    real = envelope_for(ReleaseFamily(family_unit_id="f2"), source="gateway", clock=clock)
    assert not real.simulated and "ce_puentesimulated" not in real.headers()
