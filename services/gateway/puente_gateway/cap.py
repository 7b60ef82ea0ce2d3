"""Policies as public CAP 1.2 alerts (OASIS Common Alerting Protocol): every announcement is an
`Alert`, every amendment an `Update` and a cancellation a `Cancel`, the last two referencing the
policy's earlier alerts. One `<info>` per language the policy's notices were written in (the
texts notifications wrote, from its catalogues), the affected sites as `<area>`s with their
coordinates (puente_schemas.places). Served without a token: `GET /cap/policies.atom` (an Atom
feed of the latest alerts) and `GET /cap/alerts/{id}.xml`."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from puente_runtime import Clock
from puente_schemas.places import SITE_PLACES
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from puente_gateway import compliance, notices
from puente_gateway.tables import NoticeRow, PolicyAlertRow

__all__ = ["CAP", "SENDER", "alert_xml", "feed_xml", "routes"]

CAP = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM = "http://www.w3.org/2005/Atom"
SENDER = "policies@puente"
FEED_LENGTH = 100
# The language of an alert no notice has been written for yet: the policy's own title.
DEFAULT_LANGUAGE = "eng"
# A port of entry or consulate, as a circle around the city it is in (km).
SITE_RADIUS_KM = 5
ET.register_namespace("cap", CAP)
ET.register_namespace("atom", ATOM)


def _time(moment: dt.datetime) -> str:
    """CAP's form: seconds and a numeric offset (`Z` is not allowed)."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _child(parent: ET.Element, tag: str, text: str, namespace: str = CAP) -> ET.Element:
    element = ET.SubElement(parent, f"{{{namespace}}}{tag}")
    element.text = text
    return element


def _texts(row: PolicyAlertRow, issued: Sequence[NoticeRow]) -> dict[str, tuple[str, str]]:
    """language -> (headline, description): the policy's notices of this alert, one per
    language (the first written in it), or else the policy's title."""
    texts: dict[str, tuple[str, str]] = {}
    for notice in issued:
        texts.setdefault(notice.language, (notice.title, notice.text))
    return texts or {DEFAULT_LANGUAGE: (row.title, row.reason or row.title)}


def _areas(info: ET.Element, row: PolicyAlertRow) -> None:
    for change in row.changes.get("sites", []):
        place = SITE_PLACES.get(change["site"])
        if place is None:
            continue
        area = ET.SubElement(info, f"{{{CAP}}}area")
        _child(area, "areaDesc", place.name)
        _child(area, "circle", f"{place.latitude},{place.longitude} {SITE_RADIUS_KM}")


def _info(alert: ET.Element, row: PolicyAlertRow, language: str, headline: str, text: str) -> None:
    info = ET.SubElement(alert, f"{{{CAP}}}info")
    _child(info, "language", language)
    _child(info, "category", "Other")
    _child(info, "event", "Policy change")
    _child(info, "responseType", "None" if row.message_type == "Cancel" else "Prepare")
    _child(info, "urgency", "Future")
    _child(info, "severity", "Moderate")
    _child(info, "certainty", "Likely")
    _child(info, "effective", _time(row.effective_at))
    _child(info, "senderName", "Puente")
    _child(info, "headline", headline[:160])
    _child(info, "description", text)
    _areas(info, row)


def _reference(row: PolicyAlertRow) -> str:
    return f"{SENDER},{row.alert_id},{_time(row.sent_at)}"


def alert_xml(session: Session, row: PolicyAlertRow) -> bytes:
    alert = ET.Element(f"{{{CAP}}}alert")
    _child(alert, "identifier", row.alert_id)
    _child(alert, "sender", SENDER)
    _child(alert, "sent", _time(row.sent_at))
    _child(alert, "status", "Actual")
    _child(alert, "msgType", row.message_type)
    _child(alert, "scope", "Public")
    earlier = compliance.earlier_alerts(session, row)
    if row.message_type != "Alert" and earlier:
        _child(alert, "references", " ".join(_reference(e) for e in earlier))
    following = compliance.next_alert(session, row)
    issued = notices.issued_between(
        session, row.policy_id, row.sent_at, following.sent_at if following else None
    )
    for language, (headline, text) in _texts(row, issued).items():
        _info(alert, row, language, headline, text)
    written: bytes = ET.tostring(alert, encoding="utf-8", xml_declaration=True)
    return written


def feed_xml(rows: Sequence[PolicyAlertRow], *, base_url: str, now: dt.datetime) -> bytes:
    feed = ET.Element(f"{{{ATOM}}}feed")
    _child(feed, "id", f"{base_url}/cap/policies.atom", ATOM)
    _child(feed, "title", "Puente: policy alerts (CAP 1.2)", ATOM)
    _child(feed, "updated", _time(rows[0].sent_at if rows else now), ATOM)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _child(author, "name", "Puente", ATOM)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base_url}/cap/policies.atom")
    for row in rows:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _child(entry, "id", f"urn:uuid:{row.alert_id}", ATOM)
        _child(entry, "title", f"{row.message_type}: {row.title}", ATOM)
        _child(entry, "updated", _time(row.sent_at), ATOM)
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            rel="alternate",
            type="application/cap+xml",
            href=f"{base_url}/cap/alerts/{row.alert_id}.xml",
        )
    written: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return written


def routes(engine: Engine, clock: Clock) -> list[Route]:
    async def feed(request: Request) -> Response:
        with Session(engine) as session:
            rows = compliance.alerts(session, limit=FEED_LENGTH)
            body = feed_xml(rows, base_url=_base(request), now=clock.now())
        return Response(body, media_type="application/atom+xml")

    async def one(request: Request) -> Response:
        with Session(engine) as session:
            row = compliance.alert(session, request.path_params["alert_id"])
            if row is None:
                return PlainTextResponse("no such alert\n", status_code=404)
            body = alert_xml(session, row)
        return Response(body, media_type="application/cap+xml")

    return [
        Route("/cap/policies.atom", feed, methods=["GET"]),
        Route("/cap/alerts/{alert_id}.xml", one, methods=["GET"]),
    ]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")
