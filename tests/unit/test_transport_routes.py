"""The route table: every city to every site, sensible distances and risks, and bad data refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from puente_runtime import Settings
from puente_schemas.places import CITIES, SITE_PLACES, distance_km
from puente_transport import create_app
from puente_transport.routes import (
    EVERY_DAY,
    LOCAL_KM,
    ROAD_FACTOR,
    ROUTES,
    InvalidRoutes,
    Risk,
    check_routes,
)


def route(city: str, site: str):
    return ROUTES[(city, site)]


def broken(**changes: object):
    """The route table with Tijuana to San Ysidro changed."""
    key = ("tijuana", "san-ysidro")
    return {**ROUTES, key: dataclasses.replace(ROUTES[key], **changes)}


def test_every_city_has_a_route_to_every_site():
    assert set(ROUTES) == {(c, s) for c in CITIES for s in SITE_PLACES}
    assert len(CITIES) == 13 and len(ROUTES) == 130


def test_road_distance_is_the_great_circle_times_the_road_factor():
    for (city, site), r in ROUTES.items():
        assert r.distance_km == pytest.approx(
            distance_km(CITIES[city], SITE_PLACES[site]) * ROAD_FACTOR, abs=0.1
        )


def test_a_longer_road_never_takes_less_time():
    by_distance = sorted(ROUTES.values(), key=lambda r: r.distance_km)
    times = [r.travel for r in by_distance]
    assert times == sorted(times)


@pytest.mark.parametrize(
    ("city", "site"),
    [
        ("reynosa", "hidalgo"),
        ("matamoros", "brownsville"),
        ("nuevo laredo", "laredo"),
        ("monterrey", "laredo"),
        ("hermosillo", "nogales"),
        ("hermosillo", "san-ysidro"),
        ("tapachula", "consulate-mexico-city"),
        ("tapachula", "brownsville"),
        ("mexico city", "el-paso"),
    ],
)
def test_dangerous_corridors_are_high_risk_and_escorted(city, site):
    assert route(city, site).risk is Risk.HIGH and route(city, site).escorted_convoy


def test_long_escorted_corridors_run_only_on_given_weekdays():
    convoys = [r for r in ROUTES.values() if r.escorted_convoy and r.distance_km >= LOCAL_KM]
    assert convoys and all(r.timetable.weekdays < EVERY_DAY for r in convoys)
    assert all(r.timetable.departure_hours == (13,) for r in convoys)


@pytest.mark.parametrize(
    ("city", "site"),
    [
        ("tijuana", "san-ysidro"),
        ("ciudad juarez", "el-paso"),
        ("nogales", "nogales"),
        ("mexico city", "consulate-mexico-city"),
        ("tijuana", "calexico"),
    ],
)
def test_safe_roads_run_every_day_without_escort(city, site):
    r = route(city, site)
    assert r.risk is Risk.LOW and not r.escorted_convoy
    assert r.timetable.weekdays == EVERY_DAY and r.timetable.vehicles_per_day >= 9


def test_a_route_without_travel_time_is_refused_by_name():
    with pytest.raises(InvalidRoutes, match=r"^route tijuana--san-ysidro has no travel time$"):
        check_routes(broken(travel=None))
    with pytest.raises(InvalidRoutes, match="has no travel time"):
        check_routes(broken(travel=dt.timedelta(0)))


@pytest.mark.parametrize(
    ("timetable", "problem"),
    [
        ({"seats_per_vehicle": 0}, "needs at least one vehicle with at least one seat"),
        ({"vehicles_per_departure": 0}, "needs at least one vehicle with at least one seat"),
        ({"departure_hours": ()}, "needs departure hours between 0 and 23"),
        ({"departure_hours": (25,)}, "needs departure hours between 0 and 23"),
        ({"weekdays": frozenset()}, "needs weekdays between 0 (Monday) and 6"),
        ({"weekdays": frozenset({7})}, "needs weekdays between 0 (Monday) and 6"),
    ],
)
def test_a_timetable_with_no_usable_vehicle_is_refused(timetable, problem):
    bad = dataclasses.replace(ROUTES[("tijuana", "san-ysidro")].timetable, **timetable)
    with pytest.raises(InvalidRoutes, match=f"^route tijuana--san-ysidro {re.escape(problem)}"):
        check_routes(broken(timetable=bad))


def test_every_problem_of_a_table_is_named_at_once():
    with pytest.raises(InvalidRoutes) as refused:
        check_routes(broken(travel=None, distance_km=0.0, site="tucson"))
    assert str(refused.value) == (
        "route tijuana--san-ysidro has no travel time; "
        "route tijuana--san-ysidro ends at unknown site 'tucson'; "
        "route tijuana--san-ysidro has no distance; "
        "route tijuana--san-ysidro is filed under ('tijuana', 'san-ysidro')"
    )


def test_the_service_does_not_start_on_a_bad_route_table(tmp_path):
    with pytest.raises(InvalidRoutes, match="tijuana--san-ysidro has no travel time"):
        create_app(
            settings=Settings(var_dir=tmp_path), bus=None, clock=None, routes=broken(travel=None)
        )
    assert not (tmp_path / "transport.db").exists()
