"""Notification rules: who hears about what, and what they are told. Pure: no I/O.

Shelters learn what they need to receive a family (size, languages, interpreter, when), never
names or legal history. A policy that changes operations is announced at least 24 hours before
it takes effect (DOMAIN.md, rule 6), to every organisation the platform knows (policy notices
cannot be unsubscribed) and to every shelter no organisation speaks for yet. Each reads it in
its own language, along the fallback chain of `puente_texts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import puente_texts
from puente_schemas.common import FieldError, Member, Need, PolicyChanges
from puente_schemas.places import SITE_PLACES

# A policy's title is a line shelters read; its effect is planned, not years away.
MAX_TITLE_LENGTH = 200
FURTHEST_AHEAD = dt.timedelta(days=365)


@dataclass(frozen=True)
class FamilyNeeds:
    people: int
    languages: tuple[str, ...]
    needs_interpreter: bool


@dataclass(frozen=True)
class Mailbox:
    """A contact's e-mail address and the languages they read, preferred first."""

    address: str
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    """Who a notice is for: an organisation, or a shelter no organisation speaks for yet
    (`organisation_id` None: it has an inbox, but nobody to acknowledge or e-mail)."""

    id: str
    organisation_id: str | None = None
    languages: tuple[str, ...] = ()
    mailboxes: tuple[Mailbox, ...] = ()

    def languages_of(self, mailbox: Mailbox) -> tuple[str, ...]:
        """A contact reads their own languages first, then their organisation's."""
        return (*mailbox.languages, *self.languages)


@dataclass(frozen=True)
class Piece:
    """A message of the catalogues and its parameters; a parameter may be a piece itself,
    written in the same language, or a tuple of pieces, written so and joined by commas."""

    message_id: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __call__(self, language: str) -> str:
        params = {k: _written(v, language) for k, v in self.params.items()}
        return puente_texts.render(self.message_id, language, **params)


def _written(value: object, language: str) -> object:
    if isinstance(value, Piece):
        return value(language)
    if isinstance(value, tuple):
        return ", ".join(str(_written(v, language)) for v in value)
    return value


@dataclass(frozen=True)
class Notice:
    recipient: Recipient
    kind: str
    title: Piece
    text: Piece


@dataclass(frozen=True)
class Written:
    language: str
    title: str
    text: str


def written(notice: Notice, languages: tuple[str, ...] | None = None) -> Written:
    """The notice in the first language of the reader's chain that has it; a reader whose
    language has no text (an Indigenous one, by rule) is offered an interpreter."""
    preferred = notice.recipient.languages if languages is None else languages
    language, interpreter_for = puente_texts.choose(notice.text.message_id, preferred)
    text = puente_texts.Text(language, notice.text(language), interpreter_for)
    return Written(
        language=language,
        title=notice.title(language),
        text=text.offering("notice.interpreter-offer"),
    )


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A time read back from a database that drops the zone (SQLite) is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _when(at: dt.datetime) -> str:
    return f"{at.astimezone(dt.UTC):%Y-%m-%d %H:%M}"


def needs_of(members: list[Member]) -> FamilyNeeds:
    return FamilyNeeds(
        people=len(members),
        languages=tuple(sorted({m.language for m in members})),
        needs_interpreter=any(m.needs_interpreter for m in members),
    )


def expected_arrival(
    recipient: Recipient,
    site: str,
    at: dt.datetime,
    needs: FamilyNeeds,
    extra: Sequence[Need] | Sequence[str],
) -> Notice:
    """`extra` is the needs processing published: messages of the catalogues, or the plain
    English lines of events from before them."""
    interpreter = Piece("notice.expected-arrival.interpreter") if needs.needs_interpreter else ""
    lines = tuple(e if isinstance(e, str) else Piece(e.id, e.params) for e in extra)
    wanted = Piece("notice.expected-arrival.needs", {"needs": lines}) if extra else ""
    text = Piece(
        "notice.expected-arrival.text",
        {
            "people": needs.people,
            "site": site,
            "at": _when(at),
            "languages": ", ".join(needs.languages),
            "interpreter": interpreter,
            "needs": wanted,
        },
    )
    return Notice(recipient, "expected-arrival", Piece("notice.expected-arrival.title"), text)


def released_to(recipient: Recipient, site: str, needs: FamilyNeeds) -> Notice:
    text = Piece("notice.released.text", {"people": needs.people, "site": site})
    return Notice(recipient, "released", Piece("notice.released.title"), text)


def attorney_access(recipient: Recipient, granted: bool, reason: str) -> Notice:
    outcome = "granted" if granted else "denied"
    text = Piece(f"notice.attorney-access.{outcome}", {"reason": reason})
    return Notice(recipient, "attorney-access", Piece("notice.attorney-access.title"), text)


def webhook_disabled(recipient: Recipient, endpoint_id: str, host: str, gone: bool) -> Notice:
    """The organisation's endpoint gets nothing more: it answered 410 Gone, or failed for days.
    Named by its id and host, not its URL (a URL may carry a token of the partner's)."""
    reason = Piece("notice.webhook-disabled.gone" if gone else "notice.webhook-disabled.failing")
    text = Piece(
        "notice.webhook-disabled.text", {"endpoint_id": endpoint_id, "host": host, "reason": reason}
    )
    return Notice(recipient, "webhook-disabled", Piece("notice.webhook-disabled.title"), text)


def policy_notice(recipient: Recipient, title: str, effective_at: dt.datetime) -> Notice:
    return Notice(
        recipient,
        "policy-announced",
        Piece("notice.policy-announced.title", {"title": title}),
        Piece("notice.policy-announced.text", {"title": title, "at": _when(effective_at)}),
    )


def amendment_notice(recipient: Recipient, title: str, effective_at: dt.datetime) -> Notice:
    return Notice(
        recipient,
        "policy-amended",
        Piece("notice.policy-amended.title", {"title": title}),
        Piece("notice.policy-amended.text", {"title": title, "at": _when(effective_at)}),
    )


def cancellation_notice(recipient: Recipient, title: str, reason: str) -> Notice:
    return Notice(
        recipient,
        "policy-cancelled",
        Piece("notice.policy-cancelled.title", {"title": title}),
        Piece("notice.policy-cancelled.text", {"title": title, "reason": reason}),
    )


def policy_errors(
    *,
    title: str,
    effective_at: dt.datetime,
    changes: PolicyChanges,
    now: dt.datetime,
    notice: dt.timedelta,
) -> list[FieldError]:
    """What is wrong with a policy announcement or amendment; empty when it may be sent."""
    errors = []
    if not title.strip():
        errors.append(FieldError(field="title", message="is required"))
    elif len(title) > MAX_TITLE_LENGTH:
        errors.append(
            FieldError(field="title", message=f"is longer than {MAX_TITLE_LENGTH} characters")
        )
    if effective_at.tzinfo is None:
        errors.append(FieldError(field="effective_at", message="needs a time zone"))
    elif effective_at > now + FURTHEST_AHEAD:
        errors.append(
            FieldError(field="effective_at", message="must be within a year of its announcement")
        )
    elif effective_at < now + notice:
        hours = notice.total_seconds() / 3600
        errors.append(
            FieldError(
                field="effective_at",
                message=f"must be at least {hours:g} hours ahead: shelters need the notice",
            )
        )
    errors.extend(changes.errors(SITE_PLACES))
    return errors


def change_errors(*, known: bool, effective: bool, cancelled: bool) -> list[FieldError]:
    """Why a policy may not be amended or cancelled any more; empty when it may."""
    if not known:
        return [FieldError(field="policy_id", message="is not an announced policy")]
    if cancelled:
        return [FieldError(field="policy_id", message="is already cancelled")]
    if effective:
        return [FieldError(field="policy_id", message="has already taken effect")]
    return []


@dataclass(frozen=True)
class Deadlines:
    """How long before a policy takes effect an unacknowledged notice of it is sent again
    (`escalate`), and its policy raised as at risk (`at_risk`)."""

    escalate: dt.timedelta = dt.timedelta(hours=12)
    at_risk: dt.timedelta = dt.timedelta(hours=2)

    def escalates(self, effective_at: dt.datetime, now: dt.datetime) -> bool:
        return as_utc(effective_at) - self.escalate <= now < as_utc(effective_at)

    def at_risk_now(self, effective_at: dt.datetime, now: dt.datetime) -> bool:
        return as_utc(effective_at) - self.at_risk <= now < as_utc(effective_at)
