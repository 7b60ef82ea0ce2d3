"""Likely duplicates: the same birth date and a similar name in any spelling. Pure."""

import datetime as dt

import pytest
from puente_registration.duplicates import Person, candidates, name_words, similar_names

BORN = dt.date(1990, 3, 1)
JOSE = Person("first-family", "José", "Pérez García", BORN)


def person(given: str, family: str, *, family_unit_id: str = "new", born: dt.date = BORN):
    return Person(family_unit_id, given, family, born)


def test_names_lose_accents_case_and_punctuation():
    assert name_words("Ángel", "Núñez-DÍAZ") == ("angel", "nunez", "diaz")


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("Jose", "Perez Garcia"),  # without accents
        ("JOSÉ", "PÉREZ GARCÍA"),  # in capitals
        ("José", "Pérez"),  # without the second surname
        ("Pérez García", "José"),  # names in the other fields
        ("Garcia Jose", "Perez"),  # in another order
        ("Josee", "Peres Garcia"),  # misspelt
        ("Jose", "Perezgarcia"),  # run together
    ],
)
def test_the_same_name_in_another_spelling_is_a_likely_duplicate(given, family):
    assert candidates(person(given, family), [JOSE]) == ["first-family"]


@pytest.mark.parametrize(
    ("given", "family", "born"),
    [
        ("María", "Pérez García", BORN),  # another person in the same family line
        ("José", "Hernández López", BORN),  # a namesake with other surnames
        ("José", "Pérez García", dt.date(1990, 3, 2)),  # born another day
    ],
)
def test_other_people_are_not_flagged(given, family, born):
    assert candidates(person(given, family, born=born), [JOSE]) == []


def test_a_family_is_never_its_own_duplicate_and_candidates_are_listed_once_in_order():
    others = [
        JOSE,
        person("Jose", "Perez", family_unit_id="another-family"),
        person("José", "Pérez García", family_unit_id="another-family"),
        person("José", "Pérez García", family_unit_id="new"),
    ]
    assert candidates(person("José", "Pérez"), others) == ["another-family", "first-family"]


def test_an_empty_name_matches_nothing():
    assert not similar_names((), ("jose",))
