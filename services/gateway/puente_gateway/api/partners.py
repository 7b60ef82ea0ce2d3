"""Partners' points of contact and languages: the inter-agency directory (the letter asks that
every organisation have a point of contact), and how an organisation keeps its own up to date.
A change is published to notifications (organisation-updated) as soon as it is stored."""

from __future__ import annotations

import strawberry
from puente_schemas import common
from strawberry.types import Info

from puente_gateway import organisations
from puente_gateway.api.permissions import NOT_AUTHORISED, engine, gateway, principal, refuse
from puente_gateway.api.types import PartnerKind
from puente_gateway.roles import Role
from puente_gateway.tables import Organisation, OrganisationProfile

__all__ = [
    "Contact",
    "ContactInput",
    "Partner",
    "checked",
    "partner_directory",
    "update_organisation_contacts",
]


@strawberry.input(description="A point of contact: e-mail and phone (E.164) are optional.")
class ContactInput:
    name: str
    role: str = ""
    email: str | None = None
    phone: str | None = None
    languages: list[str] = strawberry.field(
        default_factory=list, description="ISO 639-3 codes they read, preferred first."
    )


@strawberry.type(description="A point of contact at a partner organisation.")
class Contact:
    name: str
    role: str
    email: str | None
    phone: str | None
    languages: list[str]


@strawberry.type(description="A partner organisation and how to reach it.")
class Partner:
    organisation_id: strawberry.ID
    name: str
    kind: PartnerKind
    languages: list[str] = strawberry.field(description="ISO 639-3, preferred first.")
    contacts: list[Contact]


def checked(
    contacts: list[ContactInput], languages: list[str]
) -> tuple[list[common.Contact], list[str]]:
    """Valid contacts and languages, or a ValueError naming each invalid field."""
    given = [
        {
            "name": c.name.strip(),
            "role": c.role.strip(),
            "email": (c.email or "").strip() or None,
            "phone": (c.phone or "").strip() or None,
            "languages": [code.strip() for code in c.languages],
        }
        for c in contacts
    ]
    valid = organisations.valid_contacts(given)
    return valid, organisations.valid_languages([code.strip() for code in languages])


def contacts_of(profile: OrganisationProfile | None) -> list[Contact]:
    return [Contact(**row) for row in (profile.contacts if profile else [])]


def _partner(row: Organisation, profile: OrganisationProfile | None) -> Partner:
    return Partner(
        organisation_id=strawberry.ID(row.id),
        name=row.name,
        kind=PartnerKind(row.kind),
        languages=list(profile.languages) if profile else [],
        contacts=contacts_of(profile),
    )


def partner_directory(info: Info) -> list[Partner]:
    rows = organisations.organisations(engine(info))
    profiles = organisations.profiles(engine(info), [row.id for row in rows])
    return [_partner(row, profiles.get(row.id)) for row in rows]


def update_organisation_contacts(
    info: Info, organisation_id: strawberry.ID, contacts: list[ContactInput], languages: list[str]
) -> Partner:
    """An admin, or the organisation itself (any of its tokens)."""
    caller = principal(info)
    assert caller is not None
    if Role.ADMIN not in caller.roles and caller.organisation_id != organisation_id:
        raise refuse(f"{NOT_AUTHORISED}: only an admin or the organisation itself")
    valid, codes = checked(contacts, languages)
    profile = organisations.update_profile(
        engine(info), organisation_id, languages=codes, contacts=valid
    )
    row = organisations.organisation(engine(info), organisation_id)
    if profile is None or row is None:
        raise ValueError(f"organisationId: unknown organisation '{organisation_id}'")
    gateway(info).announce_organisations()
    return _partner(row, profile)
