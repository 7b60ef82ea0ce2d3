"""Notices by e-mail (issue 10): one plain-text e-mail per contact, in the contact's
language, with the notice's link, through a real SMTP server (aiosmtpd on 127.0.0.1), again
when the notice escalates; retried, then reported, never losing one nor naming its address."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import socket

import pytest
from aiosmtpd.controller import Controller
from puente_notifications.tables import MailRow
from puente_schemas.commands import AnnouncePolicy
from puente_schemas.common import Contact, PartnerKind
from puente_schemas.events import OrganisationRegistered
from sqlmodel import Session, select

from tests.polling import eventually
from tests.wiring.notices import NOW, Notifications

HOUR = dt.timedelta(hours=1)


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, f"smtp://127.0.0.1:{controller.port}"
    controller.stop()


def partner(organisation_id: str, languages: list[str], *contacts: Contact):
    return OrganisationRegistered(
        organisation_id=organisation_id,
        name=organisation_id.title(),
        kind=PartnerKind.UNHCR,
        languages=languages,
        contacts=list(contacts),
    )


ALPHA = partner(
    "alpha",
    ["eng"],
    Contact(name="Ann", email="ann@alpha.example.org"),
    Contact(name="Luis", email="luis@alpha.example.org", languages=["spa"]),
    Contact(name="Phone only", phone="+525512345678"),
)
BETA = partner("beta", ["mam"], Contact(name="Ixchel", email="ixchel@beta.example.org"))
POLICY = AnnouncePolicy(policy_id="p-1", title="Laredo 40/day", effective_at=NOW + 30 * HOUR)


async def running(tmp_path, **settings) -> Notifications:
    notifications = Notifications(tmp_path, public_url="https://puente.example.org", **settings)
    await notifications.start()
    return notifications


async def test_a_policy_30_hours_ahead_reaches_every_contact_by_email_and_again_at_12_hours(
    tmp_path, smtp
):
    inbox, url = smtp
    notifications = await running(tmp_path, smtp_url=url)
    try:
        for message in (ALPHA, BETA, POLICY):
            await notifications.send(message)
        await eventually(lambda: len(inbox.messages) == 3)
        (ann,) = inbox.to("ann@alpha.example.org")
        (luis,) = inbox.to("luis@alpha.example.org")
        (ixchel,) = inbox.to("ixchel@beta.example.org")
        assert ann["Subject"] == "[Puente] Policy change: Laredo 40/day"
        assert ann.get_content_type() == "text/plain"
        body = ann.get_content()
        assert "Policy change from 2026-11-29 18:00 UTC: Laredo 40/day." in body
        notice_id = _notice_of(notifications, "alpha")
        assert f"https://puente.example.org/notices/{notice_id}" in body
        assert luis["Subject"] == "[Puente] Cambio de política: Laredo 40/day"  # his language
        assert "intérprete de Mam" in ixchel.get_content()
        delivered = await eventually(
            lambda: (
                len(notifications.published("notice-delivered")) == 5
                and notifications.published("notice-delivered")
            )
        )
        channels = sorted((d.data["organisation_id"], d.data["channel"]) for d in delivered)
        assert channels == [
            ("alpha", "email"),
            ("alpha", "email"),
            ("alpha", "inbox"),
            ("beta", "email"),
            ("beta", "inbox"),
        ]

        notifications.at(POLICY.effective_at - 12 * HOUR)
        await eventually(lambda: len(inbox.messages) == 6)
        reminders = [m["Subject"] for m in inbox.messages[3:]]
        assert sorted(reminders) == [
            "[Puente] Recordatorio, por favor confirme: Cambio de política: Laredo 40/day",
            "[Puente] Recordatorio, por favor confirme: Cambio de política: Laredo 40/day",
            "[Puente] Reminder, please acknowledge: Policy change: Laredo 40/day",
        ]
    finally:
        await notifications.stop()


def _notice_of(notifications: Notifications, organisation_id: str) -> str:
    (issued,) = [
        e
        for e in notifications.published("notice-issued")
        if e.data["organisation_id"] == organisation_id
    ]
    return issued.data["notice_id"]


async def test_without_smtp_each_email_is_an_eml_file_under_var_mail(tmp_path):
    notifications = await running(tmp_path)
    try:
        for message in (BETA, POLICY):
            await notifications.send(message)
        await eventually(lambda: list((tmp_path / "mail").glob("*.eml")))
        (written,) = (tmp_path / "mail").glob("*.eml")
        parsed = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
        assert parsed["To"] == "ixchel@beta.example.org"
        assert parsed["Subject"] == "[Puente] Cambio de política: Laredo 40/day"
        assert parsed["Content-Language"] == "spa"
        await eventually(
            lambda: [
                d
                for d in notifications.published("notice-delivered")
                if d.data["channel"] == "email"
            ]
        )
    finally:
        await notifications.stop()


async def test_an_unreachable_server_is_retried_on_the_clock_then_reported_without_the_address(
    tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    notifications = await running(tmp_path, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    try:
        for message in (BETA, POLICY):
            await notifications.send(message)
        await eventually(lambda: notifications.published("notice-issued"))
        await eventually(lambda: _mails(notifications) == [(1, NOW + dt.timedelta(minutes=1))])
        for attempts, wait in enumerate((1, 5, 30, 120), start=2):
            notifications.clock.advance(dt.timedelta(minutes=wait))
            await eventually(lambda n=attempts: _mails(notifications)[0][0] == n)
        (failed,) = await eventually(lambda: notifications.published("delivery-failed"))
        assert failed.data["recipient"] == "beta"
        assert failed.data["reason"].startswith("SMTPConnect")
        assert "ixchel" not in caplog.text and "ixchel" not in failed.body().decode()
        assert not [
            d for d in notifications.published("notice-delivered") if d.data["channel"] == "email"
        ]
    finally:
        await notifications.stop()


def _mails(notifications: Notifications) -> list[tuple[int, dt.datetime]]:
    """Each mail's attempts so far and when the next is due."""
    with Session(notifications.service.engine) as session:
        rows = session.exec(select(MailRow)).all()
    return [(m.attempts, m.next_attempt_at.replace(tzinfo=dt.UTC)) for m in rows]
