"""Registration's message handlers: decode, decide with the domain, store, answer."""

from __future__ import annotations

from collections.abc import Collection

import pycountry
from puente_runtime import Context, Handlers
from puente_schemas.commands import RegisterFamily
from puente_schemas.events import Event, Registered, RegistrationRejected, Released
from sqlmodel import col, select

from puente_registration import domain
from puente_registration.tables import FamilyRow, PersonRow

LANGUAGES = frozenset(language.alpha_3 for language in pycountry.languages)
COUNTRIES = frozenset(country.alpha_2 for country in pycountry.countries)


def register_family(command: RegisterFamily, ctx: Context) -> list[Event]:
    if ctx.session.get(FamilyRow, command.family_unit_id) is not None:
        return []  # the same command again: already decided
    errors = domain.validate(
        command,
        today=ctx.clock.now().date(),
        languages=LANGUAGES,
        countries=COUNTRIES,
        registered_a_numbers=_registered(ctx, [m.a_number for m in command.members if m.a_number]),
    )
    if errors:
        return [RegistrationRejected(family_unit_id=command.family_unit_id, errors=errors)]
    members = domain.members_of(command)
    location = domain.location_of(command)
    now = ctx.clock.now()
    ctx.session.add(
        FamilyRow(
            id=command.family_unit_id,
            channel=command.channel,
            city=location.city,
            country=location.country,
            registered_at=now,
        )
    )
    ctx.session.flush()
    for member in members:
        action = domain.LEGAL_ACTION[member.case_category] if member.case_category else None
        ctx.session.add(
            PersonRow(
                family_unit_id=command.family_unit_id, legal_action=action, **member.model_dump()
            )
        )
    return [
        Registered(
            family_unit_id=command.family_unit_id,
            channel=command.channel,
            current_location=location,
            members=members,
            registered_at=now,
        )
    ]


def mark_released(event: Released, ctx: Context) -> list[Event]:
    family = ctx.session.get(FamilyRow, event.family_unit_id)
    if family is not None:
        family.status = "released"
        ctx.session.add(family)
    return []


def _registered(ctx: Context, a_numbers: Collection[str]) -> set[str]:
    query = select(PersonRow.a_number).where(col(PersonRow.a_number).in_(a_numbers))
    return {a for a in ctx.session.exec(query).all() if a}


HANDLERS: Handlers = {RegisterFamily: register_family, Released: mark_released}
