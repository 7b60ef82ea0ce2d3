import datetime as dt

import pytest
from puente_notifications import domain as notifications
from puente_processing import domain as processing
from puente_scheduling import domain as scheduling
from puente_schemas.common import Member
from puente_transport import domain as transport

NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(hours=24)


def slot(people, booked=None, city="Tijuana", sites=scheduling.SITES):
    return scheduling.choose_slot(
        people=people, origin_city=city, now=NOW, min_notice=DAY, sites=sites, booked=booked or {}
    )


def test_nearest_open_port_no_sooner_than_the_notice():
    chosen = slot(3)
    assert chosen.site == "san-ysidro"
    assert chosen.at >= NOW + DAY
    assert chosen.at == dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)


def test_a_full_day_moves_the_whole_family_to_the_next_day():
    day = dt.date(2026, 11, 30)
    chosen = slot(3, booked={("san-ysidro", day): 118}, sites=(scheduling.Site("san-ysidro", 120),))
    assert chosen.at.date() == day + dt.timedelta(days=1)


def test_a_closed_site_is_never_chosen():
    sites = (scheduling.Site("nogales", 100, open=False), scheduling.Site("el-paso", 100))
    assert slot(2, city="Nogales", sites=sites).site == "el-paso"


def test_a_family_larger_than_any_day_cannot_be_scheduled():
    with pytest.raises(scheduling.NoCapacity):
        slot(5, sites=(scheduling.Site("calexico", 4),))


def test_far_away_families_get_more_than_the_minimum_notice():
    chosen = slot(1, city="Tapachula")
    hours = scheduling.travel_hours("Tapachula", scheduling.SITES[0])
    assert hours is not None and hours > 24
    assert chosen.at - NOW >= dt.timedelta(
        hours=min(scheduling.travel_hours("Tapachula", s) or 0 for s in scheduling.SITES if s.open)
    )


def test_journey_arrives_before_the_appointment_at_no_cost():
    appointment = NOW + 2 * DAY
    journey = transport.plan_journey(
        origin_city="Hermosillo", site="nogales", appointment_at=appointment
    )
    assert journey.arrival_at <= appointment - transport.SAFETY_MARGIN
    assert journey.departure_at < journey.arrival_at
    assert "Mexican transit permit" in journey.travel_documents


def test_no_journey_from_an_unknown_city():
    with pytest.raises(transport.CannotBook, match="unknown city 'Atlantis'"):
        transport.plan_journey(origin_city="Atlantis", site="nogales", appointment_at=NOW)


def member(**changes):
    values = {
        "member_id": "m",
        "given_name": "A",
        "family_name": "B",
        "birth_date": dt.date(1990, 1, 1),
        "in_mpp": True,
        "a_number": "A123456789",
        "mpp_enrollment_date": dt.date(2019, 1, 1),
        "case_category": "active",
        "language": "spa",
    }
    return Member(**(values | changes))


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
    assert set(processing.documents_for(member(case_category=category))) == expected


def test_a_relative_never_in_mpp_goes_forward_with_an_nta_and_parole():
    relative = member(in_mpp=False, a_number=None, case_category=None)
    assert set(processing.documents_for(relative)) == {"new notice to appear", "parole"}


def test_check_in_needs_an_appointment_first():
    with pytest.raises(processing.OutOfOrder, match="cannot record checked-in"):
        processing.advance("registered", "checked-in")
    assert processing.advance("scheduled", "checked-in") == "checked-in"


def test_release_before_processing_is_refused():
    with pytest.raises(processing.OutOfOrder, match="cannot record released"):
        processing.advance("checked-in", "released")


def test_shelter_notice_tells_needs_but_no_names():
    needs = notifications.needs_of(
        [member(language="mam", needs_interpreter=True), member(language="spa", given_name="Rosa")]
    )
    notice = notifications.expected_arrival("hidalgo", NOW, needs)
    assert "family of 2" in notice.text and "mam, spa" in notice.text
    assert "interpreter needed" in notice.text
    assert "Rosa" not in notice.text and "A123456789" not in notice.text
    assert notice.recipient.startswith("Catholic Charities")
