"""Administration: organisations, their tokens, and the audit log of personal-data reads."""

from __future__ import annotations

import datetime as dt

import strawberry
from puente_schemas.common import PartnerKind as Kind
from strawberry.types import Info

from puente_gateway import audit, organisations, tables
from puente_gateway.api.permissions import engine, gateway
from puente_gateway.api.types import PartnerKind, RoleName
from puente_gateway.auth import issue_token, revoke_token
from puente_gateway.roles import Role


@strawberry.type(description="A credential, never its secret.")
class TokenInfo:
    id: strawberry.ID
    name: str
    roles: list[RoleName]
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
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def _organisation(row: tables.Organisation) -> Organisation:
    return Organisation(
        id=strawberry.ID(row.id),
        name=row.name,
        kind=PartnerKind(row.kind),
        created_at=row.created_at,
    )


def create_organisation(info: Info, name: str, kind: PartnerKind) -> Organisation:
    if not name.strip():
        raise ValueError("an organisation needs a name")
    row = organisations.create_organisation(
        engine(info), name=name.strip(), kind=Kind(kind.value), now=gateway(info).clock.now()
    )
    return _organisation(row)


def issue(
    info: Info,
    organisation_id: strawberry.ID,
    roles: list[RoleName],
    name: str = "",
) -> IssuedToken:
    if organisations.organisation(engine(info), organisation_id) is None:
        raise ValueError(f"unknown organisation '{organisation_id}'")
    if not roles:
        raise ValueError("a token needs at least one role")
    token, row = issue_token(
        engine(info),
        organisation_id=organisation_id,
        roles=[Role(r.value) for r in roles],
        name=name.strip() or "token",
        now=gateway(info).clock.now(),
    )
    return IssuedToken(token=token, info=_token(row), organisation_id=organisation_id)


def revoke(info: Info, token_id: strawberry.ID) -> bool:
    if not revoke_token(engine(info), token_id, now=gateway(info).clock.now()):
        raise ValueError(f"unknown token '{token_id}'")
    return True


def all_organisations(info: Info) -> list[Organisation]:
    return [_organisation(row) for row in organisations.organisations(engine(info))]


@strawberry.type(description="A read of a family's personal data, or a refused attempt.")
class AuditEntry:
    at: dt.datetime
    family_unit_id: strawberry.ID
    operation: str
    outcome: str = strawberry.field(description="`read` or `refused`.")
    token_id: strawberry.ID
    principal: str
    organisation_id: strawberry.ID | None


def audit_log(info: Info, family_unit_id: strawberry.ID) -> list[AuditEntry]:
    return [
        AuditEntry(
            at=row.at,
            family_unit_id=strawberry.ID(row.family_unit_id),
            operation=row.operation,
            outcome=row.outcome,
            token_id=strawberry.ID(row.token_id),
            principal=row.principal,
            organisation_id=strawberry.ID(row.organisation_id) if row.organisation_id else None,
        )
        for row in audit.entries(engine(info), family_unit_id)
    ]
