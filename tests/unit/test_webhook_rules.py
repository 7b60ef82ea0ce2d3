"""Webhook rules: the retry schedule, answers, Retry-After, and which endpoints are allowed."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from puente_notifications import webhook_rules as rules
from puente_schemas.events import NoticeIssued

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
NOTICE = [NoticeIssued.TYPE]


def test_attempts_follow_the_schedule_and_stop_after_the_eighth():
    moments, now = [T0], T0
    for made in range(1, 9):
        following = rules.next_attempt(made, now)
        if following is None:
            break
        moments.append(following)
        now = following
    gaps = [later - earlier for earlier, later in itertools.pairwise(moments)]
    assert len(moments) == 8
    assert gaps == [
        dt.timedelta(seconds=5),
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=30),
        dt.timedelta(hours=2),
        dt.timedelta(hours=5),
        dt.timedelta(hours=10),
        dt.timedelta(hours=10),
    ]
    assert rules.next_attempt(8, now) is None


def test_retry_after_is_honoured_never_sooner_than_asked():
    asked = rules.retry_after(429, "120", T0)
    assert asked == dt.timedelta(seconds=120)
    assert rules.next_attempt(1, T0, asked) == T0 + dt.timedelta(seconds=120)
    # The schedule's own wait is longer: it stands.
    assert rules.next_attempt(2, T0, asked) == T0 + dt.timedelta(minutes=5)
    date = "Tue, 01 Dec 2026 09:10:00 GMT"
    assert rules.retry_after(503, date, T0) == dt.timedelta(minutes=10)
    assert rules.retry_after(500, "120", T0) is None  # only 429 and 503 ask for a wait
    assert rules.retry_after(429, "soon", T0) is None


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (200, rules.Answer.SUCCEEDED),
        (204, rules.Answer.SUCCEEDED),
        (301, rules.Answer.FAILED),  # redirects are not followed
        (410, rules.Answer.GONE),
        (429, rules.Answer.FAILED),
        (500, rules.Answer.FAILED),
        (None, rules.Answer.FAILED),
    ],
)
def test_what_an_answer_means(status, answer):
    assert rules.answer_of(status) is answer


def fields(errors) -> list[str]:
    return [e.field for e in errors]


def test_bad_endpoints_are_refused_naming_the_field():
    assert rules.endpoint_errors("https://hooks.example.org/p", NOTICE) == []
    assert fields(rules.endpoint_errors("ftp://hooks.example.org/p", NOTICE)) == ["url"]
    long = "https://hooks.example.org/" + "a" * 2048
    assert "longer than 2048" in rules.endpoint_errors(long, NOTICE)[0].message
    unknown = rules.endpoint_errors("https://hooks.example.org/p", ["org.puente.x.v1"])
    assert fields(unknown) == ["event_types"] and "org.puente.x.v1" in unknown[0].message
    assert fields(rules.endpoint_errors("https://hooks.example.org/p", [])) == ["event_types"]


def test_an_endpoint_may_name_family_events_as_the_feed_does():
    family = ["shelter-assigned", "transport-booked", *NOTICE]
    assert rules.endpoint_errors("https://hooks.example.org/p", family) == []
    (typo,) = rules.endpoint_errors("https://hooks.example.org/p", ["shelter-asigned"])
    assert typo.field == "event_types" and "unknown: shelter-asigned" in typo.message


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "192.168.0.9", "169.254.169.254", "::1", "fe80::1"]
)
def test_loopback_private_and_link_local_addresses_need_the_setting(address):
    url = "https://hooks.example.org/p"
    refused = rules.address_errors(url, [address], allow_private=False)
    assert fields(refused) == ["url"] and "private" in refused[0].message
    assert rules.address_errors(url, [address], allow_private=True) == []


def test_an_address_is_refused_when_any_of_its_hosts_addresses_is_private():
    both = ["93.184.215.14", "10.0.0.1"]
    assert fields(rules.address_errors("https://h.example/", both, allow_private=False)) == ["url"]


def test_plain_http_only_to_a_private_address_with_the_setting():
    public = ["93.184.215.14"]
    assert rules.address_errors("https://h.example/", public, allow_private=False) == []
    for allow in (False, True):
        refused = rules.address_errors("http://h.example/", public, allow_private=allow)
        assert fields(refused) == ["url"] and "https" in refused[0].message
    assert rules.address_errors("http://127.0.0.1:9/", ["127.0.0.1"], allow_private=True) == []
    assert fields(rules.address_errors("https://nowhere.invalid/", [], allow_private=True)) == [
        "url"
    ]
