"""Who receives notices, and issuing one: written in the recipient's language, stored in its
inbox, and announced (`notice-issued` for an organisation, `notice-delivered` on the inbox
channel for every recipient)."""

from __future__ import annotations

import datetime as dt
import uuid

from puente_schemas.events import Event, NoticeDelivered, NoticeEscalated, NoticeIssued
from sqlmodel import Session, col, select

from puente_notifications import domain, mail
from puente_notifications.tables import NoticeRow, OrganisationRow, ShelterRow


def organisation(row: OrganisationRow) -> domain.Recipient:
    languages = tuple(code for code in row.languages.split(",") if code)
    mailboxes = tuple(
        domain.Mailbox(address=c["email"], languages=tuple(c.get("languages", ())))
        for c in row.contacts
        if c.get("email")
    )
    return domain.Recipient(
        id=row.id, organisation_id=row.id, languages=languages, mailboxes=mailboxes
    )


def organisation_by_id(session: Session, organisation_id: str) -> domain.Recipient:
    """An organisation, in its languages if notifications knows it yet (else the fallback)."""
    row = session.get(OrganisationRow, organisation_id)
    if row is None:
        return domain.Recipient(id=organisation_id, organisation_id=organisation_id)
    return organisation(row)


def shelter(session: Session, shelter_id: str) -> domain.Recipient:
    """The organisation that runs the shelter, or the shelter itself while none is known."""
    row = session.exec(select(OrganisationRow).where(OrganisationRow.shelter_id == shelter_id))
    found = row.first()
    return organisation(found) if found is not None else domain.Recipient(id=shelter_id)


def everyone(session: Session) -> list[domain.Recipient]:
    """Every organisation, and every shelter no organisation speaks for."""
    organisations = session.exec(select(OrganisationRow).order_by(col(OrganisationRow.id))).all()
    spoken_for = {o.shelter_id for o in organisations}
    shelters = session.exec(select(ShelterRow).order_by(col(ShelterRow.id))).all()
    return [organisation(o) for o in organisations] + [
        domain.Recipient(id=s.id) for s in shelters if s.id not in spoken_for
    ]


def issue(
    session: Session,
    notice: domain.Notice,
    *,
    now: dt.datetime,
    family: str | None = None,
    policy: str | None = None,
    effective_at: dt.datetime | None = None,
) -> list[Event]:
    words = domain.written(notice)
    recipient = notice.recipient
    row = NoticeRow(
        id=str(uuid.uuid4()),
        family_unit_id=family,
        policy_id=policy,
        recipient=recipient.id,
        organisation_id=recipient.organisation_id,
        kind=notice.kind,
        title=words.title,
        text=words.text,
        language=words.language,
        created_at=now,
        effective_at=effective_at,
    )
    session.add(row)
    delivered = NoticeDelivered(
        notice_id=row.id,
        family_unit_id=family,
        policy_id=policy,
        recipient=recipient.id,
        channel="inbox",
        kind=notice.kind,
        organisation_id=recipient.organisation_id,
    )
    if recipient.organisation_id is None:
        return [delivered]
    for mailbox in recipient.mailboxes:
        mail.write(session, row, domain.written(notice, recipient.languages_of(mailbox)), mailbox)
    issued = NoticeIssued(
        notice_id=row.id,
        organisation_id=recipient.organisation_id,
        kind=notice.kind,
        title=words.title,
        text=words.text,
        language=words.language,
        policy_id=policy,
        family_unit_id=family,
        effective_at=effective_at,
    )
    return [issued, delivered]


def escalate(session: Session, notice: NoticeRow) -> list[Event]:
    """A notice sent again through every channel its organisation has, to every contact."""
    assert notice.organisation_id is not None  # only organisations' notices escalate
    recipient = organisation_by_id(session, notice.organisation_id)
    channels = ["inbox", *(["email"] if recipient.mailboxes else []), "webhook"]
    mail.remind(session, notice, recipient.mailboxes)
    escalated = NoticeEscalated(
        notice_id=notice.id,
        organisation_id=notice.organisation_id,
        policy_id=notice.policy_id,
        channels=channels,
    )
    return [escalated]
