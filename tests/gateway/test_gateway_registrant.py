"""registrantStatus: the right code and a birth date give the family's status, place and
estimated date in the registrant's language; anything else gives "no registration matches";
lookups are limited per client address and per code."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from puente_gateway.codes import code_hash, load_key
from puente_gateway.roles import Role

from .support import Harness, family_of, place, site_updated, waitlisted

CODE = "K7M2PQ9XRT"
BORN = dt.date(1987, 11, 23)
LOOKUP = """
query ($code: String!, $born: Date!, $language: String!) {
  registrantStatus(code: $code, birthDate: $born, language: $language) {
    standing language message place site estimatedDate appointmentAt
  }
}
"""


def from_address(harness: Harness, host: str) -> dict[str, Any]:
    return {**harness.anonymous, "request": SimpleNamespace(client=SimpleNamespace(host=host))}


async def lookup(
    harness: Harness,
    code: str = CODE,
    born: dt.date = BORN,
    language: str = "spa",
    host: str = "203.0.113.7",
) -> Any:
    return await harness.execute(
        LOOKUP, from_address(harness, host), code=code, born=born.isoformat(), language=language
    )


WEDNESDAY = dt.date(2021, 2, 24)


async def waiting_third_in_line(harness: Harness) -> None:
    await harness.publish_all(
        site_updated("hidalgo", capacity=4),
        family_of("a", people=4),
        family_of("b", people=4),
        family_of(
            "mine",
            people=3,
            born=BORN,
            registration_code_hash=code_hash(CODE, harness.gateway.code_key),
        ),
    )
    await harness.publish_all(
        waitlisted("a", place(dt.date(2019, 2, 1)), people=4, site="hidalgo"),
        waitlisted("b", place(dt.date(2019, 3, 1)), people=4, site="hidalgo"),
        waitlisted(  # scheduling's estimate: a and b take Monday and Tuesday
            "mine", place(dt.date(2019, 4, 1)), people=3, site="hidalgo", estimated=WEDNESDAY
        ),
    )


async def test_the_right_code_and_birth_date_tell_the_status_in_spanish_and_english(
    harness: Harness,
) -> None:
    await waiting_third_in_line(harness)

    spanish = await lookup(harness)
    english = await lookup(harness, code="k7m2-pq9x-rt", language="eng")

    assert spanish.errors is None
    assert spanish.data["registrantStatus"] == {
        "standing": "WAITING",
        "language": "spa",
        "message": "Su familia tiene el lugar 3 en la fila de Hidalgo. "
        "Fecha estimada: 2021-02-24. Es una estimación y puede cambiar.",
        "place": 3,
        "site": "Hidalgo",
        "estimatedDate": "2021-02-24",
        "appointmentAt": None,
    }
    assert english.data["registrantStatus"]["message"] == (
        "Your family is number 3 in line at Hidalgo. "
        "Estimated date: 2021-02-24. This is an estimate and may change."
    )


async def test_a_language_without_text_gets_spanish_and_an_interpreter_line(
    harness: Harness,
) -> None:
    await waiting_third_in_line(harness)

    mam = await lookup(harness, language="mam")
    creole = await lookup(harness, language="hat", host="198.51.100.1")

    assert mam.data["registrantStatus"]["language"] == "spa"
    assert mam.data["registrantStatus"]["message"].endswith(
        "Un intérprete puede ayudarle: llame a la línea de ayuda y pida uno."
    )
    assert creole.data["registrantStatus"]["language"] == "hat"
    assert creole.data["registrantStatus"]["message"].startswith("Fanmi w nan plas 3")


async def test_a_wrong_birth_date_gets_the_same_answer_as_an_unknown_code(
    harness: Harness,
) -> None:
    await waiting_third_in_line(harness)

    wrong_date = await lookup(harness, born=dt.date(1987, 11, 24))
    unknown_code = await lookup(harness, code="ZZZZZZZZZZ")
    other_member = await lookup(harness, born=dt.date(2015, 1, 2))  # the family's child

    assert wrong_date.errors is None
    assert wrong_date.data == unknown_code.data
    assert wrong_date.data["registrantStatus"] == {
        "standing": "NO_MATCH",
        "language": "spa",
        "message": "Ningún registro coincide con ese código y esa fecha de nacimiento. "
        "Revise los dos datos o llame a la línea de ayuda.",
        "place": None,
        "site": None,
        "estimatedDate": None,
        "appointmentAt": None,
    }
    assert other_member.data["registrantStatus"]["place"] == 3


async def test_lookups_are_limited_per_code_and_per_address(harness: Harness) -> None:
    await waiting_third_in_line(harness)

    same_code = [await lookup(harness, host=f"192.0.2.{n}") for n in range(6)]
    same_address = [
        await lookup(harness, code=f"ABCDEFGH{n}{n}", host="192.0.2.200") for n in range(2, 8)
    ]

    for results in (same_code, same_address):
        assert [r.errors is None for r in results] == [True] * 5 + [False]
        assert [e.message for e in results[-1].errors] == ["too many attempts, try again later"]
    assert (await lookup(harness, code="QQQQQQQQQQ", host="192.0.2.201")).errors is None


async def test_a_lookup_is_audited_as_the_registrants_own_read(harness: Harness) -> None:
    await waiting_third_in_line(harness)
    await lookup(harness)
    await lookup(harness, born=dt.date(2000, 1, 1))

    log = await harness.execute(
        '{ auditLog(familyUnitId: "mine") { operation outcome principal organisationId } }',
        harness.context_for(Role.ADMIN),
    )

    assert log.data == {
        "auditLog": [
            {
                "operation": "registrantStatus",
                "outcome": "read",
                "principal": "anonymous",
                "organisationId": None,
            },
            {  # the right code with a wrong birth date: a refused lookup (issue 8, item 4)
                "operation": "registrantStatus",
                "outcome": "refused",
                "principal": "anonymous",
                "organisationId": None,
            },
        ]
    }


def test_the_code_key_survives_a_restart_and_stays_private(tmp_path: Path) -> None:
    """Codes given before a restart still match after it; the key file is the owner's only."""
    first = load_key(None, tmp_path)
    assert load_key(None, tmp_path) == first
    assert (tmp_path / "code.key").stat().st_mode & 0o777 == 0o600
    assert code_hash("k7m2-pq9x rt", first) == code_hash(CODE, first)  # as read out or typed


def test_a_configured_code_key_is_used_and_another_key_gives_another_hash(tmp_path: Path) -> None:
    """Every gateway replica given the same PUENTE_CODE_KEY agrees; without it, a hash read from
    the bus cannot be recomputed from a guessed code."""
    assert load_key("shared-secret", tmp_path) == b"shared-secret"
    assert not (tmp_path / "code.key").exists()
    assert code_hash(CODE, b"shared-secret") != code_hash(CODE, b"another-secret")
    assert code_hash(CODE, b"shared-secret") != hashlib.sha256(CODE.encode()).hexdigest()
