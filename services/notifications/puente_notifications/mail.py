"""E-mail: one plain-text message per contact with an address, in the contact's language, with
the notice's link. Mails are rows written with the notice (so none is lost), sent by a loop
through SMTP (`PUENTE_SMTP_URL`) or, with no SMTP configured, written as `.eml` files under
`var/mail/`; each outcome is `notice-delivered` (channel `email`) or, once the attempts are
spent, `delivery-failed`. Logs and events name the mail and the organisation, never the
address or the words."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
import puente_texts
from puente_runtime import Clock, Service, describe
from puente_runtime.outbox import envelope_for, stage
from puente_schemas.events import DeliveryFailed, Event, NoticeDelivered
from sqlmodel import Session, col, select

from puente_notifications import domain
from puente_notifications.tables import MailRow, NoticeRow

# After each failed attempt, the wait before the next; then the mail is given up.
RETRY_AFTER = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
BATCH = 50
log = logging.getLogger("puente.notifications.mail")


def write(
    session: Session, notice: NoticeRow, words: domain.Written, mailbox: domain.Mailbox
) -> None:
    assert notice.organisation_id is not None
    session.add(
        MailRow(
            id=str(uuid.uuid4()),
            notice_id=notice.id,
            organisation_id=notice.organisation_id,
            family_unit_id=notice.family_unit_id,
            policy_id=notice.policy_id,
            kind=notice.kind,
            address=mailbox.address,
            language=words.language,
            title=words.title,
            text=words.text,
            created_at=notice.created_at,
            next_attempt_at=notice.created_at,
        )
    )


def remind(session: Session, notice: NoticeRow, mailboxes: Sequence[domain.Mailbox]) -> None:
    """The notice again to every contact the organisation has now, in the words each had
    (a contact added since reads it in the organisation's language)."""
    first = session.exec(
        select(MailRow).where(MailRow.notice_id == notice.id, col(MailRow.reminder).is_(False))
    ).all()
    had = {m.address: domain.Written(m.language, m.title, m.text) for m in first}
    now = notice.escalated_at or notice.created_at
    for mailbox in mailboxes:
        words = had.get(mailbox.address, domain.Written(notice.language, notice.title, notice.text))
        session.add(
            MailRow(
                id=str(uuid.uuid4()),
                notice_id=notice.id,
                organisation_id=notice.organisation_id or "",
                family_unit_id=notice.family_unit_id,
                policy_id=notice.policy_id,
                kind=notice.kind,
                address=mailbox.address,
                language=words.language,
                title=words.title,
                text=words.text,
                reminder=True,
                created_at=now,
                next_attempt_at=now,
            )
        )


def message(mail: MailRow, *, sender: str, link_base: str) -> EmailMessage:
    subject = "email.subject.reminder" if mail.reminder else "email.subject"
    body = puente_texts.render(
        "email.body", mail.language, text=mail.text, link=f"{link_base}/notices/{mail.notice_id}"
    )
    email = EmailMessage()
    email["From"] = sender
    email["To"] = mail.address
    email["Subject"] = puente_texts.render(subject, mail.language, title=mail.title)
    email["Message-ID"] = f"<{mail.id}@puente>"
    email.set_content(body)
    email["Content-Language"] = mail.language  # after set_content, which drops Content-*
    return email


class Transport(Protocol):
    async def send(self, email: EmailMessage, mail_id: str) -> None: ...


class Smtp:
    """An SMTP server named by a URL: smtp://[user:password@]host[:port] (STARTTLS when the
    server offers it), or smtps:// for TLS from the start."""

    def __init__(self, url: str, *, timeout: float = 15.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("PUENTE_SMTP_URL must be smtp://host[:port] or smtps://host[:port]")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout

    async def send(self, email: EmailMessage, mail_id: str) -> None:
        await aiosmtplib.send(
            email,
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.tls,
            timeout=self.timeout,
        )


class Files:
    """No SMTP configured: each e-mail is written as `<mail id>.eml` in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, email: EmailMessage, mail_id: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{mail_id}.eml").write_bytes(bytes(email))


def reason(error: Exception) -> str:
    """What went wrong, without what an SMTP server may echo (an address, the text)."""
    code = getattr(error, "code", None)
    return f"{type(error).__name__}{f' {code}' if code else ''}"


class Mailer:
    def __init__(
        self, service: Service, transport: Transport, *, sender: str, link_base: str
    ) -> None:
        self.service = service
        self.transport = transport
        self.sender = sender
        self.link_base = link_base.rstrip("/")

    @property
    def clock(self) -> Clock:
        return self.service.clock

    async def run(self) -> None:
        while True:
            try:
                tried = await self.send_due()
            except Exception as error:  # noqa: BLE001 - the loop outlives a failed pass
                # A database outage: nothing was recorded, so the mail is tried again.
                log.warning("mail pass failed: %s", describe(error))
                tried = 0
            if not tried:
                await asyncio.sleep(self.service.settings.relay_poll_seconds)

    async def send_due(self) -> int:
        """Send every mail due now (a batch at most); how many were tried."""
        with Session(self.service.engine) as session:
            due = session.exec(
                select(MailRow)
                .where(
                    col(MailRow.sent_at).is_(None),
                    col(MailRow.failed_at).is_(None),
                    col(MailRow.next_attempt_at) <= self.clock.now(),
                )
                .order_by(col(MailRow.next_attempt_at), col(MailRow.id))
                .limit(BATCH)
            ).all()
        for mail in due:
            email = message(mail, sender=self.sender, link_base=self.link_base)
            try:
                await self.transport.send(email, mail.id)
            except (aiosmtplib.SMTPException, OSError) as error:
                self._record(mail.id, reason(error))
            else:
                self._record(mail.id, None)
        return len(due)

    def _record(self, mail_id: str, failure: str | None) -> None:
        now = self.clock.now()
        with Session(self.service.engine) as session:
            mail = session.get(MailRow, mail_id)
            assert mail is not None
            mail.attempts += 1
            events: list[Event] = []
            if failure is None:
                mail.sent_at = now
                events.append(delivered(mail))
            elif mail.attempts > len(RETRY_AFTER):
                mail.failed_at = now
                log.warning("mail %s of %s given up: %s", mail.id, mail.organisation_id, failure)
                events.append(
                    DeliveryFailed(
                        notice_id=mail.notice_id,
                        recipient=mail.organisation_id,
                        reason=failure,
                        organisation_id=mail.organisation_id,
                        policy_id=mail.policy_id,
                        family_unit_id=mail.family_unit_id,
                    )
                )
            else:
                mail.next_attempt_at = now + RETRY_AFTER[mail.attempts - 1]
                log.info("mail %s of %s to retry: %s", mail.id, mail.organisation_id, failure)
            session.add(mail)
            staged = [
                (envelope_for(e, source="notifications", clock=self.clock), e.TOPIC) for e in events
            ]
            stage(session, staged, clock=self.clock)
            session.commit()
        self.service.relay.wake()


def delivered(mail: MailRow) -> NoticeDelivered:
    return NoticeDelivered(
        notice_id=mail.notice_id,
        family_unit_id=mail.family_unit_id,
        policy_id=mail.policy_id,
        recipient=mail.organisation_id,
        channel="email",
        kind=mail.kind,
        organisation_id=mail.organisation_id,
    )


def mailer(service: Service, *, smtp_url: str | None, sender: str, link_base: str) -> Mailer:
    transport: Transport = Smtp(smtp_url) if smtp_url else Files(service.settings.var_dir / "mail")
    return Mailer(service, transport, sender=sender, link_base=link_base)
