"""The gateway's pure rules: queue order (to count a place in line), the lookup rate limit,
registrant texts and the GraphQL role enum."""

from __future__ import annotations

import datetime as dt

from puente_gateway.api.types import RoleName
from puente_gateway.ordering import Place, key
from puente_gateway.ratelimit import RateLimit
from puente_gateway.roles import ISSUABLE
from puente_gateway.standing import Standing, Status, message

T0 = dt.datetime(2021, 2, 19, 8, tzinfo=dt.UTC)
MONDAY = dt.date(2021, 2, 22)
WRITTEN = ("spa", "eng", "por", "fra", "hat")  # the languages registrants are told in


def a_place(name: str, enrolled: dt.date | None, **more: dt.datetime | None) -> Place:
    values: dict[str, dt.datetime | None] = {
        "registered_at": T0,
        "expedite_granted_at": None,
        "queued_at": T0,
    } | more
    return Place(family_unit_id=name, earliest_enrollment=enrolled, **values)  # type: ignore[arg-type]


def test_expedites_go_first_by_grant_then_enrollment_then_registration() -> None:
    places = [
        a_place("late-registration", dt.date(2019, 1, 1), registered_at=T0 + dt.timedelta(1)),
        a_place("never-in-mpp", None),
        a_place("second-grant", dt.date(2020, 1, 1), expedite_granted_at=T0 + dt.timedelta(2)),
        a_place("early", dt.date(2019, 1, 1)),
        a_place("first-grant", dt.date(2020, 5, 1), expedite_granted_at=T0),
    ]

    ordered = [p.family_unit_id for p in sorted(places, key=key)]

    assert ordered == ["first-grant", "second-grant", "early", "late-registration", "never-in-mpp"]


def test_a_limit_counts_attempts_per_key_in_a_sliding_window() -> None:
    now = [0.0]
    limit = RateLimit(limit=2, window_seconds=60, now=lambda: now[0])

    first = [limit.allow("address:a", "code:x") for _ in range(3)]
    other_code_same_address = limit.allow("address:a", "code:y")
    now[0] = 61.0
    later = limit.allow("address:a", "code:x")

    assert first == [True, True, False]
    assert other_code_same_address is False
    assert later is True


def test_every_standing_is_told_in_each_language_with_registrant_texts() -> None:
    for standing in Standing:
        status = Status(standing=standing, place=4, site_name="Nogales", estimated_date=MONDAY)
        for language in WRITTEN:
            used, text = message(status, language)
            assert used == language and "{" not in text, (standing, language)


def test_a_language_without_text_gets_spanish_and_the_offer_of_an_interpreter() -> None:
    status = Status(standing=Standing.WAITING, place=4, site_name="Nogales", estimated_date=MONDAY)

    used, text = message(status, "kek")

    assert used == "spa"
    assert text == (
        "Su familia tiene el lugar 4 en la fila de Nogales. Fecha estimada: 2021-02-22. "
        "Es una estimación y puede cambiar.\nEste mensaje no está disponible en su idioma. "
        "Un intérprete puede ayudarle: llame a la línea de ayuda y pida uno."
    )
    assert message(status, "spa") == ("spa", text.split("\n")[0])


def test_the_graphql_role_enum_is_every_role_a_token_can_have() -> None:
    """The contracts' enums are GraphQL's as they are (api/types.py); roles are the gateway's
    own, and GraphQL's leaves out `public`, which no token has."""
    assert {member.value for member in RoleName} == {role.value for role in ISSUABLE}
