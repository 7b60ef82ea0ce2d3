"""Processing's pure rules: documents, courts, destinations, shelters, targets, release notices
and what refuses each step."""

from __future__ import annotations

import datetime as dt

import pytest
from puente_processing.domain import (
    cities,
    courts,
    documents,
    needs,
    release_notice,
    shelters,
    steps,
    targets,
)
from puente_schemas.common import Member
from puente_schemas.places import SITE_PLACES, Place, distance_km

NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def person(member_id: str = "m", **changes: object) -> Member:
    values: dict[str, object] = {
        "member_id": member_id,
        "given_name": "Rosa",
        "family_name": "Pérez",
        "birth_date": dt.date(1990, 1, 1),
        "in_mpp": True,
        "a_number": "A123456789",
        "case_category": "active",
        "language": "spa",
    }
    return Member(**(values | changes))


# Documents


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("active", {"court transfer", "parole"}),
        ("in_absentia", {"motion to rescind in absentia order", "new notice to appear", "parole"}),
        ("denied", {"motion to reopen", "parole"}),
        ("terminated", {"new notice to appear", "parole"}),
        ("inactive", {"new notice to appear", "parole"}),
    ],
)
def test_documents_follow_the_case_category(category, expected):
    assert set(documents.documents_for(person(case_category=category))) == expected


def test_a_relative_never_in_mpp_goes_forward_with_an_nta_and_parole():
    relative = person(in_mpp=False, a_number=None, case_category=None)
    assert set(documents.documents_for(relative)) == {"new notice to appear", "parole"}


def test_inside_the_us_every_case_is_transferred_to_a_court_near_home():
    kinds = documents.documents_in_us(person(case_category="denied"))
    assert set(kinds) == {"court transfer", "motion to reopen", "parole"}
    relative = person(in_mpp=False, a_number=None, case_category=None)
    assert "court transfer" not in documents.documents_in_us(relative)


def test_documents_start_pending_and_come_ready_after_their_preparation_time():
    prepared = documents.prepare([person(case_category="denied")], since=NOW)
    assert {d.status for d in prepared} == {"pending"}
    at_half_day = documents.come_due(prepared, NOW + 12 * HOUR)
    assert {d.kind for d in documents.pending(at_half_day)} == {"motion to reopen"}
    assert documents.pending(documents.come_due(prepared, NOW + 36 * HOUR)) == []


def test_each_moment_a_document_came_ready_is_one_record_however_late_one_looks():
    prepared = documents.prepare([person(case_category="in_absentia")], since=NOW)
    states = documents.progress(prepared, NOW + 100 * HOUR)
    assert [len(documents.pending(s)) for s in states] == [1, 0]  # at 12 h, at 36 h
    assert documents.progress(states[-1], NOW + 200 * HOUR) == []


def test_what_is_pending_at_check_in_is_finished_at_the_port_within_the_hour():
    prepared = documents.prepare([person(case_category="denied")], since=NOW)
    finished = documents.finish_at_port(prepared, checked_in_at=NOW + 2 * HOUR)
    assert {d.ready_at for d in finished} == {NOW + 3 * HOUR}
    ready_early = documents.finish_at_port(prepared, checked_in_at=NOW + 40 * HOUR)
    assert ready_early == prepared  # nothing later than the port would take


def test_a_court_transfer_waits_for_a_court():
    prepared = documents.prepare([person()], since=NOW, in_us=True, court_known=False)
    transfer = next(d for d in prepared if d.kind == "court transfer")
    assert transfer.ready_at is None
    assert documents.come_due(prepared, NOW + 1000 * HOUR)[0].status == "pending"
    found = documents.court_found(prepared, since=NOW + HOUR)
    assert next(d for d in found if d.kind == "court transfer").ready_at == NOW + 25 * HOUR


# Courts and destinations


def test_at_least_25_eoir_courts_with_coordinates_and_unique_ids():
    assert len(courts.COURTS) >= 25
    assert len(courts.COURTS_BY_ID) == len(courts.COURTS)
    assert all(18 < c.place.latitude < 49 or c.id == "honolulu" for c in courts.COURTS)


@pytest.mark.parametrize(
    ("destination", "court"),
    [
        ("Houston", "houston"),
        ("1200 Main St, Houston, TX 77002", "houston"),
        ("55 Washington Ave, Houston, TX", "houston"),
        ("Queens", "new-york-broadway"),
        ("San José", "san-francisco"),
        ("Walnut Creek St, Concord, CA", "concord"),
        ("Oakland", "san-francisco"),
        ("McAllen", "harlingen"),
        ("Nashville", "memphis"),
        ("Raleigh", "charlotte"),
        ("Washington, DC", "arlington"),
        ("Hyattsville", "hyattsville"),
        ("Austin", "san-antonio"),
    ],
)
def test_the_case_goes_to_the_court_nearest_the_destination(destination, court):
    place = cities.find_city(destination)
    assert place is not None
    assert courts.nearest_court(place).id == court


def test_a_destination_in_no_known_city_has_no_place():
    assert cities.find_city("Springfield") is None
    assert cities.find_city("") is None


def test_the_longest_city_name_wins_where_two_start_together():
    place = cities.find_city("10 Grand Blvd, Kansas City, MO")
    assert place is not None and place.name == "Kansas City"


# Shelters


def test_every_port_has_at_least_two_shelters_within_250_km():
    ports = [site for site in SITE_PLACES if not site.startswith("consulate")]
    for site in ports:
        near = [s for s in shelters.SHELTERS if distance_km(SITE_PLACES[site], s.place) < 250]
        assert len(near) >= 2, site
    assert len({s.id for s in shelters.SHELTERS}) == len(shelters.SHELTERS)
    services = {service for s in shelters.SHELTERS for service in s.services}
    assert services == {"food", "medical", "mental_health", "onward_travel"}


def test_the_nearest_shelter_with_room_for_the_whole_family_is_chosen():
    san_ysidro = SITE_PLACES["san-ysidro"]
    assert shelters.choose_shelter(shelters.SHELTERS, san_ysidro, 3).id == "jfs-san-diego"
    crowded = [
        s if s.id != "jfs-san-diego" else shelters.Shelter(s.id, s.name, s.place, 10, s.services, 8)
        for s in shelters.SHELTERS
    ]
    assert shelters.choose_shelter(crowded, san_ysidro, 2).id == "jfs-san-diego"
    chosen = shelters.choose_shelter(crowded, san_ysidro, 3)
    assert chosen.id == "catholic-charities-san-diego"


def test_no_shelter_when_none_has_room():
    tiny = [shelters.Shelter("a", "A", SITE_PLACES["laredo"], 2, ("food",))]
    assert shelters.choose_shelter(tiny, SITE_PLACES["laredo"], 3) is None


def test_a_capacity_cut_below_the_beds_held_reports_no_free_beds_not_fewer():
    cut = shelters.Shelter("a", "A", SITE_PLACES["laredo"], beds=2, services=(), held=5)
    assert cut.beds_free == 0


def test_beds_come_free_three_days_after_arrival_or_after_release_unconfirmed():
    assert shelters.stay_ends(arrived_at=None, released_at=NOW) == NOW + 72 * HOUR
    assert shelters.stay_ends(arrived_at=NOW + HOUR, released_at=NOW) == NOW + 73 * HOUR


def test_a_shelter_learns_needs_not_names_nor_legal_history():
    family = [
        person("a", language="mam", needs_interpreter=True),
        person("b", birth_date=dt.date(2025, 6, 1), in_mpp=False, a_number=None),
        person("c", birth_date=dt.date(2015, 6, 1), case_category="in_absentia"),
    ]
    told = needs.in_english(needs.shelter_needs(family, NOW.date()))
    assert told == ["interpreter: mam", "children under 18: 2", "infants under 2: 1"]
    assert not any("Rosa" in n or "A123" in n or "absentia" in n for n in told)


# Processing time


def test_targets_come_from_the_letter_and_default_to_four_hours():
    assert targets.target_hours("brownsville") == 2.5
    assert targets.target_hours("hidalgo") == 4.0
    assert set(targets.TARGET_HOURS) == set(SITE_PLACES)
    assert targets.target_hours("somewhere-new") == 4.0


def test_overdue_only_past_the_target():
    assert not targets.overdue("brownsville", NOW, NOW + 2.5 * HOUR)
    assert targets.overdue("brownsville", NOW, NOW + 2.6 * HOUR)


# Steps and what refuses them


def test_check_in_needs_an_appointment_at_that_site():
    assert steps.arrival_wait(step="scheduled", scheduled_site="hidalgo", site="hidalgo") is None
    assert steps.arrival_wait(step="scheduled", scheduled_site="hidalgo", site="laredo") == (
        "site: the family's appointment is at 'hidalgo', not 'laredo'"
    )
    assert steps.arrival_wait(step="registered", scheduled_site=None, site="laredo") == (
        "site: no appointment for the family at 'laredo' (it is registered)"
    )


def test_processing_and_release_need_every_document_ready():
    waiting = documents.prepare([person()], since=NOW)
    ready = documents.come_due(waiting, NOW + 24 * HOUR)
    assert steps.completion_errors("checked-in", ready) == []
    assert [e.message for e in steps.completion_errors("checked-in", waiting)] == [
        "court transfer for member m is not ready",
        "parole for member m is not ready",
    ]
    assert steps.release_errors("processed", ready) == []
    assert {e.field for e in steps.release_errors("processed", waiting)} == {"documents"}


def test_release_before_processing_is_refused():
    ready = documents.come_due(documents.prepare([person()], since=NOW), NOW + 24 * HOUR)
    errors = steps.release_errors("checked-in", ready)
    assert [(e.field, e.message) for e in errors] == [
        ("family_unit_id", "is checked-in: release comes after processing")
    ]
    assert steps.completion_errors("scheduled", ready)[0].field == "family_unit_id"


def test_the_old_step_order_still_refuses_out_of_order_steps():
    with pytest.raises(steps.OutOfOrder, match="cannot record released"):
        steps.advance("checked-in", "released")
    assert steps.advance("scheduled", "checked-in") == "checked-in"


def test_capacity_updates_name_what_is_wrong():
    assert steps.capacity_errors(known=True, beds=0) == []
    assert {e.field for e in steps.capacity_errors(known=False, beds=-3)} == {"shelter_id", "beds"}


@pytest.mark.parametrize(
    ("step", "expected_at", "confirmed", "field", "message"),
    [
        ("released", "b", False, "shelter_id", "the family is expected at 'b'"),
        ("released", None, False, "shelter_id", "the family is expected at no shelter"),
        ("processed", "a", False, "family_unit_id", "is processed, not released yet"),
        ("released", "a", True, "family_unit_id", "arrival already confirmed"),
    ],
)
def test_a_shelter_confirms_only_a_released_family_it_expects(
    step, expected_at, confirmed, field, message
):
    errors = steps.shelter_arrival_errors(
        step=step, expected_at=expected_at, shelter_id="a", known=True, confirmed=confirmed
    )
    assert [(e.field, e.message) for e in errors] == [(field, message)]


def test_an_unknown_shelter_cannot_confirm_anything():
    errors = steps.shelter_arrival_errors(
        step="released", expected_at="a", shelter_id="zzz", known=False, confirmed=False
    )
    assert [e.field for e in errors] == ["shelter_id"]


@pytest.mark.parametrize(
    ("attorney", "organisation", "step", "granted", "reason"),
    [
        ("org", "org", "checked-in", True, "attorney of record; the family is in processing"),
        ("org", "org", "processed", True, "attorney of record; the family is in processing"),
        ("org", "other", "checked-in", False, "not the family's attorney of record"),
        (None, "org", "checked-in", False, "the family has no attorney of record"),
        ("org", "org", "scheduled", False, "the family is not in processing yet (it is scheduled)"),
        ("org", "org", "released", False, "the family has been released"),
    ],
)
def test_attorney_access_only_for_the_attorney_of_record_during_processing(
    attorney, organisation, step, granted, reason
):
    decision = steps.attorney_access(
        attorney_of_record=attorney, organisation=organisation, step=step
    )
    assert decision == (granted, reason)


# After release


@pytest.mark.parametrize("language", ["spa", "eng", "por", "hat", "fra"])
def test_work_authorization_information_in_the_family_language(language):
    notice = release_notice.after_release(language, "Houston Immigration Court")
    assert notice.language == language
    assert "I-765" in notice.text and "I-912" in notice.text
    assert "Houston Immigration Court" in notice.text
    assert "{" not in notice.text


def test_a_language_without_a_text_gets_spanish_and_an_interpreter():
    notice = release_notice.after_release("quc", "Dallas Immigration Court")
    spanish = release_notice.after_release("spa", "Dallas Immigration Court")
    assert notice.language == spanish.language == "spa"
    assert notice.text == spanish.text + (
        "\nUn intérprete le explicará esta información en K'iche'."
    )
    assert release_notice.after_release("arb", "c").text.endswith("en árabe.")
    assert release_notice.after_release("xyz", "c").text.endswith("en xyz.")


def test_the_family_is_addressed_in_the_language_of_its_first_member_in_mpp():
    family = [
        person("child", in_mpp=False, a_number=None, case_category=None, language="eng"),
        person("mother", language="por"),
    ]
    assert release_notice.family_language(family) == "por"
    assert release_notice.family_language(family[:1]) == "eng"


def test_onward_travel_lists_seats_interpreters_and_child_seats():
    family = [
        person("a", language="kek", needs_interpreter=True),
        person("b", birth_date=dt.date(2022, 1, 1), in_mpp=False, a_number=None),
    ]
    trip = needs.in_english(
        needs.onward_travel(family, from_city="Hidalgo", to_city="Chicago", on=NOW.date())
    )
    assert trip == ["2 seats from Hidalgo to Chicago", "interpreter: kek", "child seats: 1"]
    assert needs.onward_travel(family, from_city="Tucson", to_city="tucson", on=NOW.date()) == []
    assert needs.onward_travel(family, from_city="Tucson", to_city=None, on=NOW.date()) == []


def test_places_compare_by_great_circle_distance():
    houston, dallas = (cities.find_city(n) for n in ("Houston", "Dallas"))
    assert isinstance(houston, Place) and isinstance(dallas, Place)
    assert 350 < distance_km(houston, dallas) < 400
