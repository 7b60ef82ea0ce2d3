"""Registration rules: families, channels, locations, languages, consent. Pure, no I/O."""

import datetime as dt

import pytest
from puente_registration import domain
from puente_registration.handlers import COUNTRIES
from puente_registration.languages import LANGUAGES
from puente_schemas.commands import LocationInput, RegisterFamily
from puente_schemas.common import CaseCategory, Channel, PartnerKind

from tests.conftest import adult, child, family

TODAY = dt.date(2026, 11, 28)


def errors_of(command, registered=()):
    found = domain.validate(
        command, today=TODAY, countries=COUNTRIES, registered_a_numbers=registered
    )
    return {e.field: e.message for e in found}


def with_changes(command: RegisterFamily, **changes: object) -> RegisterFamily:
    return command.model_copy(update=changes)


def test_a_family_with_a_member_never_in_mpp_is_accepted():
    assert errors_of(family("f", adult("A123456789"), child())) == {}


def test_the_issue_languages_are_known_indigenous_ones_included():
    for code in ("mam", "quc", "kek", "cak", "ixl", "knj", "cac", "kjb", "hat", "por", "spa"):
        assert errors_of(family("f", adult("A123456789", language=code))) == {}


def test_the_language_list_covers_the_forty_languages_of_mpp_cases():
    assert len(LANGUAGES) >= 40
    assert {"eng", "fra", "ara", "rus", "tzo", "zap", "yua"} <= set(LANGUAGES)
    assert all(len(code) == 3 and code.isalpha() and code.islower() for code in LANGUAGES)


def test_an_unknown_language_names_the_field():
    assert errors_of(family("f", adult("A123456789"), child(language="xyz"))) == {
        "members[1].language": "unknown ISO 639-3 language code 'xyz'"
    }


def test_each_offending_field_gets_its_own_error():
    command = family(
        "f",
        adult("A12345", language="xx1"),
        adult(None, mpp_enrollment_date=None, given_name="Rosa"),
        adult("A987654321", given_name="Eva", mpp_enrollment_date=TODAY + dt.timedelta(days=1)),
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


def test_an_mpp_member_needs_a_case_category_and_an_enrollment_after_birth():
    command = family(
        "f", adult("A123456789", case_category=None, mpp_enrollment_date=dt.date(1989, 1, 1))
    )
    assert errors_of(command) == {
        "members[0].case_category": "is required for a member in MPP",
        "members[0].mpp_enrollment_date": "is before the birth date",
    }


def test_a_relative_never_in_mpp_has_no_mpp_enrollment_or_category():
    command = family(
        "f",
        adult("A123456789"),
        child(mpp_enrollment_date=dt.date(2019, 6, 3), case_category="active"),
    )
    assert errors_of(command) == {
        "members[1].mpp_enrollment_date": "only a member in MPP has one",
        "members[1].case_category": "only a member in MPP has one",
    }


def test_an_empty_family_is_refused():
    assert errors_of(family("f")) == {"members": "a family needs at least one member"}


def test_a_family_with_nobody_in_mpp_is_refused():
    assert errors_of(family("f", child())) == {
        "members": "a family needs at least one member in MPP"
    }


def test_the_same_person_twice_in_one_family_is_refused():
    command = family("f", adult("A123456789"), child(), child(given_name="LUÍS"))
    assert errors_of(command) == {
        "members[2]": "appears twice in this family (same name and birth date)"
    }
    twice = family("f", adult("A123456789"), adult("A123456789", given_name="Rosa"))
    assert errors_of(twice) == {"members[1].a_number": "appears twice in this family"}


def test_two_members_with_different_a_numbers_are_two_cases_whatever_their_names():
    assert errors_of(family("f", adult("A123456789"), adult("A123456780"))) == {}


def test_an_a_number_already_registered_is_refused():
    assert errors_of(family("f", adult("A123456789")), registered={"A123456789": "other"}) == {
        "members[0].a_number": "is already registered"
    }


def test_every_case_category_has_a_legal_action():
    assert set(domain.LEGAL_ACTION) == set(CaseCategory)


@pytest.mark.parametrize(
    ("category", "action"),
    [
        ("active", "transfer to the immigration court nearest the destination"),
        ("in_absentia", "DOJ rescinds the in absentia order; DHS issues a new NTA"),
        ("denied", "DHS files a motion to reopen; a new NTA if reopening is denied"),
        ("terminated", "DHS issues a new NTA"),
        ("inactive", "DHS issues a new NTA"),
    ],
)
def test_each_mpp_member_carries_the_legal_action_of_their_category(category, action):
    command = family("f", adult("A123456789", case_category=category), child())
    mpp_member, relative = domain.members_of(command)
    assert mpp_member.legal_action == action
    assert relative.legal_action is None and relative.in_mpp is False


@pytest.mark.parametrize("channel", [Channel.ONLINE, Channel.HOTLINE])
def test_self_and_hotline_registrations_need_no_organisation(channel):
    command = with_changes(family("f", adult("A123456789")), channel=channel)
    assert errors_of(command) == {}


@pytest.mark.parametrize(
    ("channel", "who"),
    [
        (Channel.IN_PERSON, "the shelter or registration point"),
        (Channel.ATTORNEY, "legal provider"),
    ],
)
def test_in_person_and_attorney_registrations_name_their_organisation(channel, who):
    command = with_changes(family("f", adult("A123456789")), channel=channel)
    assert who in errors_of(command)["organisation_id"]
    blank = with_changes(command, organisation_id="  ")
    assert set(errors_of(blank)) == {"organisation_id"}
    assert errors_of(with_changes(command, organisation_id="shelter-juarez")) == {}


def test_a_registration_code_is_only_ever_received_as_its_sha256():
    command = family("f", adult("A123456789"))
    assert errors_of(with_changes(command, registration_code_hash="a" * 64)) == {}
    assert errors_of(with_changes(command, registration_code_hash="MY-CODE-1234")) == {
        "registration_code_hash": "must be a SHA-256 in lowercase hex"
    }


def test_a_mexican_city_must_be_one_scheduling_knows_whatever_the_accents():
    assert errors_of(family("f", adult("A123456789"), city="Ciudad Juárez")) == {}
    location = domain.location_of(LocationInput(city=" ciudad JUÁREZ ", country="MX"))
    assert location.city == "Ciudad Juarez"
    message = errors_of(family("f", adult("A123456789"), city="Atlantis"))["current_location.city"]
    assert message.startswith("unknown Mexican city 'Atlantis'; one of Tijuana, Mexicali")


def test_elsewhere_in_the_region_any_city_of_a_known_country():
    assert errors_of(family("f", adult("A123456789"), city="Quetzaltenango", country="GT")) == {}
    assert errors_of(family("f", adult("A123456789"), city=" ", country="GT")) == {
        "current_location.city": "city is required"
    }


def test_a_family_already_inside_the_us_is_registered_and_marked_inside():
    command = family("f", adult("A123456789"), city="Houston", country="US")
    assert errors_of(command) == {}
    assert domain.location_of(command.current_location).inside_us


def test_consent_names_each_partner_kind_once_in_the_order_given():
    command = with_changes(
        family("f", adult("A123456789")),
        consent=[PartnerKind.SHELTER, PartnerKind.LEGAL_PROVIDER, PartnerKind.SHELTER],
    )
    assert domain.consent_of(command) == ["shelter", "legal_provider"]
    assert domain.consent_of(family("f", adult("A123456789"))) == []
