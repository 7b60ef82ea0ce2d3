import datetime as dt

from puente_registration import domain
from puente_registration.handlers import COUNTRIES, LANGUAGES

from tests.conftest import adult, child, family

TODAY = dt.date(2026, 11, 28)


def errors_of(command, registered=()):
    found = domain.validate(
        command,
        today=TODAY,
        languages=LANGUAGES,
        countries=COUNTRIES,
        registered_a_numbers=registered,
    )
    return {e.field: e.message for e in found}


def test_a_family_with_a_member_never_in_mpp_is_accepted():
    assert errors_of(family("f", adult("A123456789"), child())) == {}


def test_indigenous_languages_are_known():
    for code in ("mam", "quc", "kek", "cak", "ixl", "knj", "cac", "kjb", "hat", "por", "spa"):
        assert errors_of(family("f", adult("A123456789", language=code))) == {}


def test_each_offending_field_gets_its_own_error():
    command = family(
        "f",
        adult("A12345", language="xx1"),
        adult(None, mpp_enrollment_date=None, given_name="Rosa"),
        adult("A987654321", mpp_enrollment_date=TODAY + dt.timedelta(days=1)),
        country="ZZ",
    )
    assert errors_of(command) == {
        "current_location.country": "unknown country code 'ZZ'",
        "members[0].a_number": "must be 'A' followed by 9 digits",
        "members[0].language": "unknown ISO 639-3 language code 'xx1'",
        "members[1].a_number": "is required for a member in MPP",
        "members[1].mpp_enrollment_date": "is required for a member in MPP",
        "members[2].mpp_enrollment_date": "is in the future",
    }


def test_an_empty_family_is_refused():
    assert errors_of(family("f")) == {"members": "a family needs at least one member"}


def test_an_a_number_already_registered_is_refused():
    assert errors_of(family("f", adult("A123456789")), registered={"A123456789"}) == {
        "members[0].a_number": "is already registered"
    }


def test_every_case_category_has_a_legal_action():
    assert set(domain.LEGAL_ACTION) == set(domain.CaseCategory)
