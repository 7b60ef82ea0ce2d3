"""Every role's webhook against one family's journey: an endpoint names the journey's event
types, and gets only the families its token follows, only the events it may see, redacted as
the feed redacts them (access.py, redaction.py); never another family's. (Every role against
every event type's fields is the redaction matrix, tests/gateway/test_gateway_redaction.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from puente_gateway.auth import authenticate
from puente_gateway.roles import ISSUABLE, Role
from puente_notifications import create_app as create_notifications
from puente_schemas.common import PartnerKind
from puente_schemas.events import CourtAssigned

from tests.gateway.support import Harness, booked, registered, scheduled, shelter_assigned

CREATE = """
mutation($types: [String!]!) {
  createWebhookEndpoint(url: "http://127.0.0.1:9/hooks", eventTypes: $types) { status }
}"""
JOURNEY = ["registered", "scheduled", "transport-booked", "shelter-assigned", "court-assigned"]
# Who each role is, and what of the journey of a family it has a reason to follow (its own
# client, on its route, coming to its shelter, at its site) it receives: from the moment it
# follows the family, and nothing with no reason (an expedite decider with nothing pending,
# roles that follow no case).
ROLES: dict[Role, tuple[PartnerKind, dict[str, Any], list[str]]] = {
    Role.REGISTRAR: (PartnerKind.UNHCR, {}, JOURNEY),
    Role.HOTLINE_OPERATOR: (PartnerKind.HOTLINE, {}, JOURNEY),
    Role.LEGAL_PROVIDER: (PartnerKind.LEGAL_PROVIDER, {}, JOURNEY),
    Role.EXPEDITE_DECIDER: (PartnerKind.UNHCR, {}, []),
    Role.TRANSPORT_OPERATOR: (
        PartnerKind.IOM,
        {"routes": {"matamoros--brownsville"}},
        ["transport-booked", "shelter-assigned"],
    ),
    Role.SHELTER: (PartnerKind.SHELTER, {"shelter_id": "casa"}, ["shelter-assigned"]),
    Role.PORT_OFFICER: (PartnerKind.DHS, {"sites": {"brownsville"}}, JOURNEY[1:]),
    Role.POLICY_OFFICER: (PartnerKind.DHS, {}, []),
    Role.ANALYST: (PartnerKind.DHS, {}, []),
    Role.ADMIN: (PartnerKind.DHS, {}, []),
}
NEVER_WITHOUT_THE_RECORD = {"members", "current_location", "destination"}
LEGAL_HISTORY = {"court", "a_number", "case_category"}


@pytest.fixture
async def platform(tmp_path) -> AsyncIterator[Harness]:
    harness = Harness(tmp_path, webhook_allow_private=True)
    notifications = create_notifications(
        settings=harness.settings, bus=harness.bus, clock=harness.clock
    )
    await harness.start()
    await notifications.start()
    yield harness
    await notifications.stop()
    await harness.stop()


def test_the_matrix_names_every_role() -> None:
    assert set(ROLES) == set(ISSUABLE)


def journey(family: str, organisation: str, *, site: str, shelter: str) -> list[Any]:
    return [
        registered(family, organisation_id=organisation),
        scheduled(family, site=site),
        booked(family, f"bk-{family}", site=site),
        shelter_assigned(family, shelter),
        CourtAssigned(family_unit_id=family, court="Harlingen", destination="Houston"),
    ]


def handed(harness: Harness) -> list[dict[str, Any]]:
    """What the gateway handed to notifications for webhooks (its outbox)."""
    return [body for kind, body in harness.staged_commands() if kind == "deliver-webhook-event"]


@pytest.mark.parametrize("role", list(ROLES), ids=str)
async def test_each_roles_webhook_gets_what_it_follows_redacted(platform, role: Role) -> None:
    kind, scope, expected = ROLES[role]
    token, organisation = platform.token(role, kind=kind, **scope)
    caller = authenticate(platform.gateway.service.engine, f"Bearer {token}")
    context = {"gateway": platform.gateway, "principal": caller}
    created = await platform.execute(CREATE, context, types=JOURNEY)
    assert created.data == {"createWebhookEndpoint": {"status": "ACCEPTED"}}, created.errors
    await platform.publish_in_order(
        *journey("ours", organisation, site="brownsville", shelter="casa")
    )
    await platform.publish_in_order(
        *journey("theirs", "org-elsewhere", site="nogales", shelter="elsewhere")
    )
    deliveries = handed(platform)
    assert {d["family_unit_id"] for d in deliveries} <= {"ours"}
    assert [d["event_type"].split(".")[-2] for d in deliveries] == expected
    assert all(d["organisation_id"] == organisation for d in deliveries)
    shown = {k for d in deliveries for k in d["data"]}
    if role in (Role.SHELTER, Role.TRANSPORT_OPERATOR):  # kinds the family did not consent to
        assert not shown & (NEVER_WITHOUT_THE_RECORD | LEGAL_HISTORY), shown
    if role is Role.SHELTER:
        assert "pickup_point" not in shown
    if role in (Role.LEGAL_PROVIDER, Role.REGISTRAR, Role.HOTLINE_OPERATOR, Role.PORT_OFFICER):
        assert "court" in shown
