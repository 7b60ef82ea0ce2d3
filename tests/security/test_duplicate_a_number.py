"""Issue 8, item 8: registering an A-number that another organisation registered is refused
without confirming that organisation's case: the same words whoever holds it, and no refusal
on `existingFamilyUnitId` that would say a family is there."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from puente_gateway.roles import Role
from puente_schemas.common import FieldError, PartnerKind
from puente_schemas.events import RegistrationRejected

from tests.gateway.support import Harness, registered
from tests.gateway.test_gateway_commands import INPUT, REGISTER, answering

QUERY = REGISTER.replace("errors {", "existingFamilyUnitId registrationCode errors {")


async def test_another_organisations_a_number_is_refused_without_confirming_its_case(
    make_harness: Callable[..., Harness],
) -> None:
    harness = make_harness()
    existing = str(uuid.uuid4())
    answering(
        harness,
        lambda fid: RegistrationRejected(
            family_unit_id=fid,
            errors=[FieldError(field="members[0].a_number", message="is already registered")],
            existing_family_unit_id=existing,
        ),
    )
    await harness.start()
    await harness.publish_all(registered(existing, organisation_id="org-hotline"))
    other = harness.context_for(Role.REGISTRAR, kind=PartnerKind.UNHCR, organisation_id="org-b")

    result = await harness.execute(QUERY, other, input=INPUT)

    assert result.errors is None
    assert result.data is not None
    assert result.data["registerFamily"] | {"familyUnitId": None, "commandId": None} == {
        "status": "REJECTED",
        "familyUnitId": None,
        "commandId": None,
        "existingFamilyUnitId": None,
        "registrationCode": None,
        "errors": [
            {
                "field": "members[0].aNumber",
                "message": "cannot be registered with this A-number: check it, or ask Puente "
                "operations",
            }
        ],
    }
