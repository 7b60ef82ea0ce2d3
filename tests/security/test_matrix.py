"""Issue 8, item 9: the role x operation matrix, generated from the schema itself.

Every query, mutation and subscription field the schema has is called by every role (and by
the anonymous caller), with arguments made from its types. RULES says, once and apart from
the code, who may call each: a field missing from RULES fails the suite, and so does every
cell where the gateway lets in a role RULES does not name, or refuses one it names.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLType,
    get_named_type,
)
from puente_gateway.auth import AUTHENTICATION_REQUIRED
from puente_gateway.roles import Role
from puente_gateway.schema import schema
from puente_schemas.common import PartnerKind

from tests.gateway.support import EVERY_SITE, Harness

CASE = frozenset(
    {
        Role.REGISTRAR,
        Role.HOTLINE_OPERATOR,
        Role.LEGAL_PROVIDER,
        Role.EXPEDITE_DECIDER,
        Role.SHELTER,
        Role.TRANSPORT_OPERATOR,
        Role.PORT_OFFICER,
    }
)
EVERYONE = frozenset(Role)  # PUBLIC: the anonymous caller too
ISSUED = EVERYONE - {Role.PUBLIC}  # any token; the resolver keeps it to its own organisation
R = Role
RULES: dict[str, dict[str, frozenset[Role]]] = {
    "query": {
        "familyUnit": CASE,
        "flow": CASE,
        "queuePosition": CASE,
        "registrantStatus": EVERYONE,
        "sites": EVERYONE,
        "expediteCriteria": EVERYONE,
        "fairnessAudit": EVERYONE,
        "queueSummary": frozenset({R.ANALYST, R.POLICY_OFFICER}),
        "expediteRequests": frozenset({R.EXPEDITE_DECIDER}),
        "callbacks": frozenset({R.HOTLINE_OPERATOR}),
        "bookings": frozenset({R.TRANSPORT_OPERATOR}),
        "itinerary": CASE,
        "documents": frozenset({R.PORT_OFFICER, R.LEGAL_PROVIDER, R.REGISTRAR}),
        "arrivalsWithDocumentsNotReady": frozenset({R.PORT_OFFICER}),
        "attorneyAccess": frozenset({R.PORT_OFFICER, R.LEGAL_PROVIDER}),
        "processingTimes": frozenset({R.PORT_OFFICER, R.ANALYST}),
        "shelters": CASE | {R.ANALYST, R.POLICY_OFFICER},
        "organisations": frozenset({R.ADMIN}),
        "auditLog": frozenset({R.ADMIN}),
        "viewer": ISSUED,
        "notices": ISSUED,
        "webhookEndpoints": ISSUED,
        "webhookDeliveries": ISSUED,
        "familiesByStage": frozenset({R.ANALYST, R.POLICY_OFFICER}),
        "policyCompliance": frozenset({R.ADMIN, R.POLICY_OFFICER}),
        "policiesAtRisk": frozenset({R.ADMIN, R.POLICY_OFFICER}),
        "partnerDirectory": frozenset({R.ADMIN, R.POLICY_OFFICER}),
        "translationCoverage": frozenset({R.ADMIN, R.POLICY_OFFICER}),
        "operations": frozenset({R.ADMIN, R.ANALYST, R.POLICY_OFFICER}),
        "stuckFamilies": CASE,
        "siteLoad": frozenset({R.ANALYST, R.POLICY_OFFICER}),
        "policies": frozenset({R.ADMIN, R.POLICY_OFFICER}),
    },
    "mutation": {
        "registerFamily": frozenset({R.REGISTRAR, R.HOTLINE_OPERATOR, R.LEGAL_PROVIDER}),
        "addFamilyMember": frozenset({R.REGISTRAR}),
        "updateLocation": frozenset({R.REGISTRAR}),
        "requestExpedite": frozenset({R.REGISTRAR, R.LEGAL_PROVIDER}),
        "decideExpedite": frozenset({R.EXPEDITE_DECIDER}),
        "recordCallback": frozenset({R.HOTLINE_OPERATOR}),
        "checkIn": frozenset({R.PORT_OFFICER}),
        "recordDeparture": frozenset({R.TRANSPORT_OPERATOR}),
        "reportDelay": frozenset({R.TRANSPORT_OPERATOR}),
        "reportMissedPickup": frozenset({R.TRANSPORT_OPERATOR}),
        "completeProcessing": frozenset({R.PORT_OFFICER}),
        "releaseFamily": frozenset({R.PORT_OFFICER}),
        "requestAttorneyAccess": frozenset({R.LEGAL_PROVIDER}),
        "updateShelterCapacity": frozenset({R.SHELTER}),
        "confirmShelterArrival": frozenset({R.SHELTER}),
        "announcePolicy": frozenset({R.POLICY_OFFICER}),
        "createOrganisation": frozenset({R.ADMIN}),
        "issueToken": frozenset({R.ADMIN}),
        "revokeToken": frozenset({R.ADMIN}),
        "amendPolicy": frozenset({R.POLICY_OFFICER}),
        "cancelPolicy": frozenset({R.POLICY_OFFICER}),
        "acknowledgeNotice": ISSUED,
        "updateOrganisationContacts": ISSUED,
        "createWebhookEndpoint": ISSUED,
        "rotateWebhookSecret": ISSUED,
        "replayWebhookDeliveries": ISSUED,
    },
    "subscription": {"familyEvents": CASE, "notices": ISSUED},
}
SCALARS = {
    "Int": "1",
    "Float": "1.5",
    "Boolean": "true",
    "Date": '"2021-03-01"',
    "DateTime": '"2021-03-01T00:00:00+00:00"',
}


def root_fields(operation: str) -> dict[str, GraphQLField]:
    root = getattr(schema._schema, f"{operation}_type")
    return dict(root.fields) if root else {}


def literal(kind: GraphQLType) -> str:
    """A value of `kind`, as a GraphQL literal: required input fields filled, the rest left."""
    if isinstance(kind, GraphQLNonNull):
        return literal(kind.of_type)
    if isinstance(kind, GraphQLList):
        return f"[{literal(kind.of_type)}]"
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        required = {
            name: literal(field.type)
            for name, field in kind.fields.items()
            if isinstance(field.type, GraphQLNonNull)
        }
        return "{" + ", ".join(f"{name}: {value}" for name, value in required.items()) + "}"
    assert isinstance(kind, GraphQLScalarType)
    return SCALARS.get(kind.name, '"x"')


def document(operation: str, name: str, field: GraphQLField) -> str:
    """A call of the field with every required argument, selecting only `__typename`."""
    arguments = ", ".join(
        f"{arg}: {literal(spec.type)}"
        for arg, spec in field.args.items()
        if isinstance(spec.type, GraphQLNonNull)
    )
    call = f"{name}({arguments})" if arguments else name
    selection = (
        " { __typename }" if isinstance(get_named_type(field.type), GraphQLObjectType) else ""
    )
    return f"{operation} {{ {call}{selection} }}"


def caller(harness: Harness, role: Role) -> dict[str, Any]:
    """One role alone, for an agency that would see any record, scoped where the role is."""
    if role is Role.PUBLIC:
        return harness.anonymous
    return harness.context_for(
        role,
        kind=PartnerKind.DHS,
        sites=EVERY_SITE if role is Role.PORT_OFFICER else (),
        routes={"x"} if role is Role.TRANSPORT_OPERATOR else (),
        shelter_id="x" if role is Role.SHELTER else None,
    )


async def messages(operation: str, text: str, context: dict[str, Any]) -> list[str] | None:
    """The errors of one call; None for a subscription still open (it was let in)."""
    if operation != "subscription":
        result = await schema.execute(text, context_value=context)
        return [e.message for e in result.errors or []]
    stream = await schema.subscribe(text, context_value=context)
    if hasattr(stream, "errors"):
        return [e.message for e in stream.errors or []]
    try:
        first = await asyncio.wait_for(anext(stream), 0.3)  # type: ignore[arg-type]
    except TimeoutError:
        return None
    finally:
        await stream.aclose()  # type: ignore[union-attr]
    return [e.message for e in first.errors or []]


CELLS = [(op, name) for op in RULES for name in root_fields(op)]


@pytest.mark.parametrize("operation", list(RULES))
def test_every_field_of_the_schema_has_a_rule(operation: str) -> None:
    assert set(root_fields(operation)) == set(RULES[operation])


def test_the_matrix_checks_every_role_on_every_field() -> None:
    """The count the issue asks for: grows with the schema (then update it here)."""
    cells = len(CELLS) * len(Role)
    assert cells == 60 * 11  # 32 queries, 26 mutations, 2 subscriptions; 10 roles, anonymous


@pytest.mark.parametrize(("operation", "name"), CELLS, ids=[n for _, n in CELLS])
async def test_each_role_is_let_in_or_refused_as_its_rule_says(
    make_harness: Any, operation: str, name: str
) -> None:
    harness = make_harness(outcome_timeout_seconds=0.05)
    await harness.start()
    text = document(operation, name, root_fields(operation)[name])
    allowed = RULES[operation].get(name, frozenset())
    wrong = []
    for role in Role:
        errors = await messages(operation, text, caller(harness, role)) or []
        names = " or ".join(sorted(r.value for r in allowed))
        refusal = (
            AUTHENTICATION_REQUIRED
            if role is Role.PUBLIC
            else (f"not authorised: {name} needs role {names}")
        )
        refused = refusal in errors
        if refused == (role in allowed):
            wrong.append((role.value, "refused" if refused else "let in", errors))
    assert wrong == [], text
