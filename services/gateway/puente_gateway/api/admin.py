"""Administration: organisations, their tokens, and the audit log of personal-data reads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from puente_schemas.common import PartnerKind as Kind
from puente_schemas.places import SITE_PLACES
from sqlmodel import Session
from strawberry.types import Info

from puente_gateway import audit, organisations, queueing, sheltering, tables
from puente_gateway.api.partners import Contact, ContactInput, checked, contacts_of
from puente_gateway.api.permissions import engine, gateway
from puente_gateway.api.types import PartnerKind, RoleName
from puente_gateway.auth import issue_token, revoke_token
from puente_gateway.roles import Role


@strawberry.type(description="A credential, never its secret.")
class TokenInfo:
    id: strawberry.ID
    name: str
    roles: list[RoleName]
    sites: list[str] = strawberry.field(
        description="Where a port officer works: its `port_officer` role acts on, and sees, "
        "only the families at these sites."
    )
    routes: list[str] = strawberry.field(
        description="The routes a transport operator serves: its `transport_operator` role "
        "acts on, and sees, only the bookings and families on these routes."
    )
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def _tokens(root: strawberry.Parent[Organisation], info: Info) -> list[TokenInfo]:
    return [_token(row) for row in organisations.tokens_of(engine(info), root.id)]


@strawberry.type
class Organisation:
    id: strawberry.ID
    name: str
    kind: PartnerKind
    created_at: dt.datetime
    shelter_id: strawberry.ID | None = strawberry.field(
        description="The shelter a shelter organisation runs: its `shelter` tokens see that "
        "shelter's expected arrivals and the families coming to it, and nothing else."
    )
    languages: list[str] = strawberry.field(description="ISO 639-3, preferred first.")
    contacts: list[Contact]
    tokens: list[TokenInfo] = strawberry.field(resolver=_tokens)


@strawberry.type
class IssuedToken:
    token: str = strawberry.field(description="The bearer token: shown this once, kept hashed.")
    info: TokenInfo
    organisation_id: strawberry.ID


def _token(row: tables.Token) -> TokenInfo:
    return TokenInfo(
        id=strawberry.ID(row.id),
        name=row.name,
        roles=[RoleName(r) for r in row.roles],
        sites=list(row.sites),
        routes=list(row.routes),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def _organisation(
    row: tables.Organisation, shelter_id: str | None, profile: tables.OrganisationProfile | None
) -> Organisation:
    return Organisation(
        id=strawberry.ID(row.id),
        name=row.name,
        kind=PartnerKind(row.kind),
        created_at=row.created_at,
        shelter_id=strawberry.ID(shelter_id) if shelter_id else None,
        languages=list(profile.languages) if profile else [],
        contacts=contacts_of(profile),
    )


def _check_shelter(info: Info, kind: PartnerKind, shelter_id: str | None) -> None:
    if shelter_id is None:
        return
    if kind is not PartnerKind.SHELTER:
        raise ValueError("shelterId: only a SHELTER organisation runs a shelter")
    with Session(engine(info)) as session:
        if sheltering.shelter(session, shelter_id) is None:
            raise ValueError(f"shelterId: unknown shelter '{shelter_id}'")


def create_organisation(
    info: Info,
    name: str,
    kind: PartnerKind,
    shelter_id: strawberry.ID | None = None,
    contacts: list[ContactInput] | None = None,
    languages: Annotated[
        list[str] | None,
        strawberry.argument(description="ISO 639-3 codes it reads, preferred first."),
    ] = None,
) -> Organisation:
    """Stored, then published to notifications (organisation-registered)."""
    if not name.strip():
        raise ValueError("an organisation needs a name")
    _check_shelter(info, kind, shelter_id)
    valid, codes = checked(contacts or [], languages or [])
    row = organisations.create_organisation(
        engine(info),
        name=name.strip(),
        kind=Kind(kind.value),
        now=gateway(info).clock.now(),
        shelter_id=shelter_id,
        languages=codes,
        contacts=valid,
    )
    gateway(info).announce_organisations()
    profile = organisations.profiles(engine(info), [row.id]).get(row.id)
    return _organisation(row, shelter_id, profile)


def _check_sites(info: Info, sites: list[str]) -> None:
    """Each site is one scheduling may name: published geography, or one it told us of."""
    with Session(engine(info)) as session:
        known = set(SITE_PLACES) | {row.id for row in queueing.sites(session)}
    unknown = sorted(set(sites) - known)
    if unknown:
        noun = "site" if len(unknown) == 1 else "sites"
        raise ValueError(f"sites: unknown {noun} {', '.join(repr(s) for s in unknown)}")


def issue(
    info: Info,
    organisation_id: strawberry.ID,
    roles: list[RoleName],
    name: str = "",
    sites: Annotated[
        list[str] | None,
        strawberry.argument(
            description="Where a port officer works (site ids, as `sites` lists them): a "
            "token with `PORT_OFFICER` must name at least one, other tokens none."
        ),
    ] = None,
    routes: Annotated[
        list[str] | None,
        strawberry.argument(
            description="The routes a transport operator serves (route ids, as bookings name "
            "them, e.g. `matamoros--brownsville`): a token with `TRANSPORT_OPERATOR` must name "
            "at least one, other tokens none."
        ),
    ] = None,
) -> IssuedToken:
    if organisations.organisation(engine(info), organisation_id) is None:
        raise ValueError(f"unknown organisation '{organisation_id}'")
    if not roles:
        raise ValueError("a token needs at least one role")
    where = [site.strip() for site in sites or []]
    _check_sites(info, where)
    token, row = issue_token(
        engine(info),
        organisation_id=organisation_id,
        roles=[Role(r.value) for r in roles],
        name=name.strip() or "token",
        now=gateway(info).clock.now(),
        sites=where,
        routes=[route.strip() for route in routes or [] if route.strip()],
    )
    return IssuedToken(token=token, info=_token(row), organisation_id=organisation_id)


def revoke(info: Info, token_id: strawberry.ID) -> bool:
    """The token stops working at once: its live subscriptions are stopped and their sockets
    closed with the reason."""
    if not revoke_token(engine(info), token_id, now=gateway(info).clock.now()):
        raise ValueError(f"unknown token '{token_id}'")
    gateway(info).hub.revoke(token_id)
    return True


def all_organisations(info: Info) -> list[Organisation]:
    rows = organisations.organisations(engine(info))
    ids = [row.id for row in rows]
    shelters = organisations.shelters_of(engine(info), ids)
    profiles = organisations.profiles(engine(info), ids)
    return [_organisation(row, shelters.get(row.id), profiles.get(row.id)) for row in rows]


@strawberry.type(
    description="A permission decision: a read of a family's personal data, or a refusal "
    "(of a family, or of an operation that named none: familyUnitId null)."
)
class AuditEntry:
    at: dt.datetime
    family_unit_id: strawberry.ID | None
    operation: str
    outcome: str = strawberry.field(description="`read` or `refused`.")
    token_id: strawberry.ID
    principal: str
    organisation_id: strawberry.ID | None


def audit_log(
    info: Info, family_unit_id: strawberry.ID | None = None, token_id: strawberry.ID | None = None
) -> list[AuditEntry]:
    """The decisions about a family, or made on a token's requests (with its refusals that
    named no family)."""
    if family_unit_id is None and token_id is None:
        raise ValueError("auditLog needs familyUnitId or tokenId")
    return [
        AuditEntry(
            at=row.at,
            family_unit_id=strawberry.ID(row.family_unit_id) if row.family_unit_id else None,
            operation=row.operation,
            outcome=row.outcome,
            token_id=strawberry.ID(row.token_id),
            principal=row.principal,
            organisation_id=strawberry.ID(row.organisation_id) if row.organisation_id else None,
        )
        for row in audit.entries(engine(info), family_unit_id, token_id)
    ]
