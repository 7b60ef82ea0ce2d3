import datetime as dt

import pytest
from puente_notifications import domain as notifications
from puente_processing import domain as processing
from puente_scheduling import domain as scheduling
from puente_schemas.common import Member

NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(hours=24)


def schedule(people, city="Tijuana", sites=scheduling.DEFAULT_SITES, notice=DAY, family="f1"):
    """The appointment a lone family gets, or None while it waits."""
    plan = scheduling.Plan(sites=sites, policy=scheduling.Policy(min_notice=notice))
    return book(plan, family, people, city)


def book(plan, family, people, city="Tijuana"):
    arrival = scheduling.Arrival(
        family, people, city, "MX", frozenset({"active"}), dt.date(2019, 6, 3), NOW
    )
    plan.register(arrival, now=NOW)
    return plan.families[family].appointment


def test_nearest_open_port_no_sooner_than_the_notice():
    chosen = schedule(3)
    assert chosen.site == "san-ysidro"
    assert chosen.at >= NOW + DAY
    assert chosen.at == dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)


def test_the_default_notice_is_three_days():
    plan = scheduling.Plan(sites=scheduling.DEFAULT_SITES, policy=scheduling.Policy())
    assert book(plan, "f1", 3).at == dt.datetime(2026, 12, 2, 8, tzinfo=dt.UTC)


def test_a_full_day_moves_the_whole_family_to_the_next_day():
    plan = scheduling.Plan(
        sites=(scheduling.site("san-ysidro", 5),), policy=scheduling.Policy(min_notice=DAY)
    )
    first = book(plan, "f1", 3)
    second = book(plan, "f2", 3)
    assert second.day == first.day + dt.timedelta(days=1)
    assert plan.booked("san-ysidro", first.day) == 3


def test_a_closed_site_is_never_chosen():
    sites = (scheduling.site("nogales", 100, open=False), scheduling.site("el-paso", 100))
    assert schedule(2, city="Nogales", sites=sites).site == "el-paso"


def test_a_family_larger_than_any_day_waits_for_a_site_that_can_take_it():
    plan = scheduling.Plan(
        sites=(scheduling.site("calexico", 4),), policy=scheduling.Policy(min_notice=DAY)
    )
    assert book(plan, "f1", 5) is None
    assert plan.families["f1"].status is scheduling.Status.WAITING
    assert plan.families["f1"].site is None


def test_far_away_families_get_more_than_the_minimum_notice():
    chosen = schedule(1, city="Tapachula", notice=dt.timedelta(0))
    assert chosen.site == "consulate-mexico-city"
    consulate = next(s for s in scheduling.DEFAULT_SITES if s.id == chosen.site)
    journey = scheduling.travel_time("Tapachula", consulate)
    assert journey > dt.timedelta(hours=12)
    assert chosen.at - NOW >= journey


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
