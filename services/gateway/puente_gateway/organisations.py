"""Partner organisations: each has a kind (common.PartnerKind) that consent names. A shelter
organisation may run one shelter (the shelter id processing publishes): what its `shelter`
role is limited to. Each has points of contact and the languages it reads (its profile),
which the gateway publishes as organisation-registered/updated so notifications can reach it:
never a token or a secret."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence

from puente_schemas import Event
from puente_schemas.common import Contact, LanguageCode, PartnerKind
from puente_schemas.events import OrganisationRegistered, OrganisationUpdated
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from puente_gateway.tables import Organisation, OrganisationProfile, OrganisationShelter, Token

__all__ = [
    "announce",
    "create_organisation",
    "organisation",
    "organisations",
    "profiles",
    "shelter_of",
    "shelters_of",
    "tokens_of",
    "update_profile",
    "valid_contacts",
    "valid_languages",
]

_CONTACTS = TypeAdapter(list[Contact])
_LANGUAGES = TypeAdapter(list[LanguageCode])
# What each malformed field must look like, in words a partner understands.
_EXPECTED = {
    "email": "is not an e-mail address",
    "phone": "is not a phone number in E.164 form ('+' and 6 to 15 digits)",
    "languages": "is not an ISO 639-3 language code (three lowercase letters, e.g. 'spa')",
}


def _refusal(name: str, error: ValidationError) -> ValueError:
    """One message per offending field, each naming it: `contacts[0].email: ...`."""
    messages = []
    for problem in error.errors():
        index, *rest = problem["loc"]
        path = f"{name}[{index}]" + "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in rest
        )
        field = next((str(p) for p in rest if isinstance(p, str)), name)
        messages.append(f"{path}: {_EXPECTED.get(field, problem['msg'])}")
    return ValueError("; ".join(messages))


def valid_contacts(contacts: Sequence[Mapping[str, object]]) -> list[Contact]:
    """The contacts, or a ValueError naming every invalid field."""
    try:
        return _CONTACTS.validate_python(list(contacts))
    except ValidationError as error:
        raise _refusal("contacts", error) from None


def valid_languages(languages: Sequence[str]) -> list[str]:
    try:
        codes = _LANGUAGES.validate_python(list(languages))
    except ValidationError as error:
        raise _refusal("languages", error) from None
    return list(dict.fromkeys(codes))  # ordered, preferred first; a repeat adds nothing


def create_organisation(
    engine: Engine,
    *,
    name: str,
    kind: PartnerKind,
    now: dt.datetime,
    shelter_id: str | None = None,
    languages: Sequence[str] = (),
    contacts: Sequence[Contact] = (),
) -> Organisation:
    """Store a new organisation; `announce` publishes it."""
    row = Organisation(id=str(uuid.uuid4()), name=name, kind=kind.value, created_at=now)
    with Session(engine, expire_on_commit=False) as session:
        session.add(row)
        session.add(_profile(row.id, languages, contacts))
        if shelter_id is not None:
            session.add(OrganisationShelter(organisation_id=row.id, shelter_id=shelter_id))
        session.commit()
    return row


def shelter_of(session: Session, organisation_id: str) -> str | None:
    link = session.get(OrganisationShelter, organisation_id)
    return link.shelter_id if link else None


def shelters_of(engine: Engine, organisation_ids: Sequence[str]) -> dict[str, str]:
    with Session(engine) as session:
        query = select(OrganisationShelter).where(
            col(OrganisationShelter.organisation_id).in_(list(organisation_ids))
        )
        return {link.organisation_id: link.shelter_id for link in session.exec(query)}


def organisation(engine: Engine, organisation_id: str) -> Organisation | None:
    with Session(engine) as session:
        return session.get(Organisation, organisation_id)


def organisations(engine: Engine) -> Sequence[Organisation]:
    with Session(engine) as session:
        query = select(Organisation).order_by(col(Organisation.created_at), col(Organisation.id))
        return session.exec(query).all()


def tokens_of(engine: Engine, organisation_id: str) -> Sequence[Token]:
    with Session(engine) as session:
        query = select(Token).where(Token.organisation_id == organisation_id)
        return session.exec(query.order_by(col(Token.created_at), col(Token.id))).all()


def _profile(
    organisation_id: str, languages: Sequence[str], contacts: Sequence[Contact]
) -> OrganisationProfile:
    return OrganisationProfile(
        organisation_id=organisation_id,
        languages=list(languages),
        contacts=[contact.model_dump(mode="json") for contact in contacts],
    )


def update_profile(
    engine: Engine, organisation_id: str, *, languages: Sequence[str], contacts: Sequence[Contact]
) -> OrganisationProfile | None:
    """Replace the organisation's languages and contacts (None: no such organisation);
    `announce` publishes the change."""
    with Session(engine, expire_on_commit=False) as session:
        if session.get(Organisation, organisation_id) is None:
            return None
        profile = session.get(OrganisationProfile, organisation_id)
        if profile is None:  # made before profiles existed
            profile = _profile(organisation_id, (), ())
            profile.version = 0
        changed = _profile(organisation_id, languages, contacts)
        profile.languages, profile.contacts = changed.languages, changed.contacts
        profile.version += 1
        session.add(profile)
        session.commit()
    return profile


def profiles(engine: Engine, organisation_ids: Sequence[str]) -> dict[str, OrganisationProfile]:
    with Session(engine) as session:
        query = select(OrganisationProfile).where(
            col(OrganisationProfile.organisation_id).in_(list(organisation_ids))
        )
        return {row.organisation_id: row for row in session.exec(query)}


def announce(session: Session, now: dt.datetime) -> list[Event]:
    """Timed work (runtime.Service.every): publish each organisation notifications does not
    know yet, or whose profile changed since it was last published. An organisation made
    before profiles existed gets an empty one. The profile and its event commit together."""
    query = select(Organisation, OrganisationProfile).join(
        OrganisationProfile,
        col(OrganisationProfile.organisation_id) == col(Organisation.id),
        isouter=True,
    )
    query = query.where(
        col(OrganisationProfile.organisation_id).is_(None)
        | (col(OrganisationProfile.announced_version) < col(OrganisationProfile.version))
    )
    events: list[Event] = []
    for organisation, profile in session.exec(query.order_by(col(Organisation.created_at))):
        profile = profile or _profile(organisation.id, (), ())
        model = OrganisationUpdated if profile.announced_version else OrganisationRegistered
        events.append(
            model(
                organisation_id=organisation.id,
                name=organisation.name,
                kind=PartnerKind(organisation.kind),
                languages=profile.languages,
                contacts=[Contact.model_validate(c) for c in profile.contacts],
                shelter_id=shelter_of(session, organisation.id),
            )
        )
        profile.announced_version = profile.version
        session.add(profile)
    return events
