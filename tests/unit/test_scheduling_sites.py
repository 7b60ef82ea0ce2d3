import datetime as dt

from puente_scheduling import domain as scheduling

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
