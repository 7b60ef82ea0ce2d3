"""What wiring tests share: GraphQL documents, member inputs, and reading the bus."""

from __future__ import annotations

from collections import Counter

from puente_runtime import EmbeddedBus
from puente_schemas.topics import ALL_EVENT_TOPICS

REGISTER = """
mutation($input: RegisterFamilyInput!) {
  registerFamily(input: $input) { status commandId familyUnitId errors { field message } }
}"""
FAMILY = """query($id: ID!) { familyUnit(id: $id) { stage appointment { site } } }"""


def member(a_number: str | None, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "givenName": "Ana",
        "familyName": "López",
        "birthDate": "1990-03-01",
        "inMpp": True,
        "aNumber": a_number,
        "mppEnrollmentDate": "2019-06-03",
        "caseCategory": "ACTIVE",
        "language": "spa",
        "needsInterpreter": False,
    }
    return values | changes


CHILD = member(
    None,
    givenName="Luis",
    birthDate="2018-09-09",
    inMpp=False,
    mppEnrollmentDate=None,
    caseCategory=None,
)


def events_for(bus: EmbeddedBus, family_unit_id: str) -> Counter[str]:
    return Counter(
        m.headers["ce_type"].split(".")[-2]
        for topic in ALL_EVENT_TOPICS
        for m in bus.read(topic)
        if m.key == family_unit_id
    )
