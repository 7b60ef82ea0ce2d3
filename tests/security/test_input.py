"""Issue 8, item 5: input that slipped through. A-numbers are ASCII digits, the whole string,
by one rule that registration and the event contracts share (nothing registration accepts is
refused by the event it publishes); names are NFC, bounded and free of control and
text-direction characters; dates are sensible; families are bounded in size."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from puente_registration import domain
from puente_registration.handlers import COUNTRIES
from puente_schemas.common import Member
from pydantic import ValidationError

from tests.conftest import adult, child, family
from tests.wiring.conftest import platform
from tests.wiring.support import CHILD, REGISTER, events_for, member

__all__ = ["platform"]  # the whole platform in one process (tests/wiring)

TODAY = dt.date(2026, 11, 28)


def errors_of(command: object) -> dict[str, str]:
    found = domain.validate(command, today=TODAY, countries=COUNTRIES)  # type: ignore[arg-type]
    return {e.field: e.message for e in found}


@pytest.mark.parametrize(
    "a_number",
    [
        "A" + "".join(chr(0x0660 + int(d)) for d in "123456789"),
        "A" + "".join(chr(0xFF10 + int(d)) for d in "123456789"),
        "A123456789\n",
        " A123456789",
        "a123456789",
    ],
    ids=["arabic-indic", "full-width", "final newline", "leading space", "lower case"],
)
def test_an_a_number_is_an_ascii_a_and_nine_ascii_digits_whole(a_number: str) -> None:
    assert errors_of(family("f", adult(a_number))) == {
        "members[0].a_number": "must be 'A' followed by 9 digits"
    }


def member_with(a_number: str) -> Member:
    return Member(
        member_id="m",
        given_name="Ana",
        family_name="Lopez",
        birth_date=dt.date(1990, 1, 1),
        in_mpp=True,
        a_number=a_number,
        language="spa",
    )


@given(st.one_of(st.from_regex(r"A\d{9}\s?", fullmatch=True), st.text(max_size=12)))
def test_registration_accepts_an_a_number_exactly_when_its_event_does(a_number: str) -> None:
    accepted = "members[0].a_number" not in errors_of(family("f", adult(a_number)))
    try:
        member_with(a_number)
        published = True
    except ValidationError:
        published = False
    assert accepted == published


async def test_an_a_number_with_a_final_newline_is_rejected_not_left_pending(platform) -> None:
    _, bus, graphql = platform
    given = {"channel": "ONLINE", "currentLocation": {"city": "Tijuana", "country": "MX"}}

    answer = (await graphql(REGISTER, input=given | {"members": [member("A123456789\n"), CHILD]}))[
        "registerFamily"
    ]

    assert answer["status"] == "REJECTED"
    assert answer["errors"] == [
        {"field": "members[0].aNumber", "message": "must be 'A' followed by 9 digits"}
    ]
    assert set(events_for(bus, answer["familyUnitId"])) == {"registration-rejected"}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Ana\x00", "contains a control or text-direction character"),
        ("Ana\x1b[2J", "contains a control or text-direction character"),
        ("Ana\u202egnaL", "contains a control or text-direction character"),
        ("A" * 101, "is longer than 100 characters"),
    ],
    ids=["NUL", "escape sequence", "bidi override", "too long"],
)
def test_a_name_is_bounded_and_free_of_control_characters(name: str, problem: str) -> None:
    assert errors_of(family("f", adult("A123456789", family_name=name))) == {
        "members[0].family_name": problem
    }


def test_names_are_stored_in_nfc_one_spelling_one_string() -> None:
    decomposed = unicodedata.normalize("NFD", "López")
    command = family("f", adult("A123456789", family_name=decomposed))

    (stored, *_) = domain.members_of(command)

    assert errors_of(command) == {}
    assert stored.family_name == "López" and len(stored.family_name) == 5


def test_dates_are_within_sensible_bounds() -> None:
    command = family(
        "f",
        adult("A123456789", birth_date=dt.date(1850, 1, 1)),
        adult("A123456788", mpp_enrollment_date=dt.date(2018, 12, 31)),
    )
    assert errors_of(command) == {
        "members[0].birth_date": "is before 1900-01-01",
        "members[1].mpp_enrollment_date": "is before MPP began (2019-01-01)",
    }


def test_a_family_has_at_most_twenty_members() -> None:
    children = [child(birth_date=dt.date(2010, 1, 1 + n)) for n in range(20)]
    assert errors_of(family("f", adult("A123456789"), *children)) == {
        "members": "a family has at most 20 members"
    }
    assert errors_of(family("f", adult("A123456789"), *children[:19])) == {}
