"""Credentials: bearer tokens stored only as SHA-256 hashes, each belonging to an organisation
and carrying roles; and the first admin token.

Default deny: an `Authorization` header with an unknown, revoked or malformed token is refused
before anything executes. A port officer's token names the sites it works at, a transport
operator's the routes it serves, and there is no such token without one. A request with no
`Authorization` header at all is the anonymous principal, which only the public fields allow
(app.py refuses anything else with a 401).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import uuid
from collections.abc import Iterable
from pathlib import Path

from puente_schemas.common import PartnerKind
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from puente_gateway.access import ANONYMOUS, Principal
from puente_gateway.organisations import create_organisation, shelter_of
from puente_gateway.roles import Role
from puente_gateway.tables import Organisation, Token

__all__ = [
    "AUTHENTICATION_REQUIRED",
    "BOOTSTRAP_ORGANISATION",
    "BOOTSTRAP_ROLES",
    "SOCKET_TOKEN",
    "TOKEN_REVOKED",
    "authenticate",
    "ensure_admin_token",
    "hash_token",
    "issue_token",
    "principal_of",
    "revoke_token",
    "write_secret",
]

AUTHENTICATION_REQUIRED = "authentication required"
TOKEN_REVOKED = "token revoked"
# Where a WebSocket's context keeps the `authorization` it sent in connection_init.
SOCKET_TOKEN = "puente.socket_token"

# The first token belongs to the platform's operator. UNHCR runs the CONECTA registration in
# the wind-down, so that is the kind it has. Besides `admin` it carries `registrar`, so
# `make run` can register a family and follow it with the one token it prints (and the
# journey tests keep using it); it sees the records its organisation registered, as any
# registrar does. A deployment issues separate tokens for each person's work.
BOOTSTRAP_ORGANISATION = ("Puente operations", PartnerKind.UNHCR)
BOOTSTRAP_ROLES = frozenset({Role.ADMIN, Role.REGISTRAR})


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _scope_error(roles: Iterable[Role], sites: Iterable[str], routes: Iterable[str]) -> str | None:
    """Least privilege at the ports and on the road: a port officer's token names at least
    one site and a transport operator's at least one route, and only theirs name any."""
    held = set(roles)
    for role, given, field, what in (
        (Role.PORT_OFFICER, set(sites), "sites", "site it works at"),
        (Role.TRANSPORT_OPERATOR, set(routes), "routes", "route it serves"),
    ):
        if role in held and not given:
            return f"{field}: a {role.value} token must name at least one {what}"
        if given and role not in held:
            return f"{field}: only a {role.value} token names the {field} it " + (
                "works at" if role is Role.PORT_OFFICER else "serves"
            )
    return None


def issue_token(
    engine: Engine,
    *,
    organisation_id: str,
    roles: Iterable[Role],
    name: str,
    now: dt.datetime,
    sites: Iterable[str] = (),
    routes: Iterable[str] = (),
) -> tuple[str, Token]:
    """Store a new token's hash and return the token: the only time it is seen. Raises
    ValueError for a port officer without a site or a transport operator without a route
    (or sites or routes without them)."""
    chosen, where, served = {Role(r) for r in roles}, sorted(set(sites)), sorted(set(routes))
    refused = _scope_error(chosen, where, served)
    if refused:
        raise ValueError(refused)
    token = secrets.token_urlsafe(32)
    row = Token(
        token_hash=hash_token(token),
        id=str(uuid.uuid4()),
        name=name,
        organisation_id=organisation_id,
        roles=sorted(r.value for r in chosen),
        sites=where,
        routes=served,
        created_at=now,
    )
    with Session(engine, expire_on_commit=False) as session:
        session.add(row)
        session.commit()
    return token, row


def revoke_token(engine: Engine, token_id: str, *, now: dt.datetime) -> bool:
    with Session(engine) as session:
        row = session.exec(select(Token).where(Token.id == token_id)).first()
        if row is None:
            return False
        row.revoked_at = row.revoked_at or now
        session.add(row)
        session.commit()
    return True


def ensure_admin_token(engine: Engine, *, var_dir: Path, now: dt.datetime) -> str | None:
    """On first start, issue an admin token, print it and write it to `var/admin.token`."""
    with Session(engine) as session:
        live = session.exec(select(Token).where(col(Token.revoked_at).is_(None))).all()
    if any(Role.ADMIN.value in row.roles for row in live):
        return None
    name, kind = BOOTSTRAP_ORGANISATION
    organisation = create_organisation(engine, name=name, kind=kind, now=now)
    token, _ = issue_token(
        engine, organisation_id=organisation.id, roles=BOOTSTRAP_ROLES, name="admin", now=now
    )
    write_secret(var_dir / "admin.token", token)
    print(f"admin token: {token}", flush=True)
    return token


def write_secret(path: Path, secret: str) -> None:
    """Write `secret` to `path` (its folder made if missing), readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secret + "\n")
    path.chmod(0o600)


def authenticate(engine: Engine, authorization: object) -> Principal | None:
    """The principal for an `Authorization: Bearer <token>` value; ANONYMOUS when there is no
    header at all; None (refuse) for anything else."""
    if authorization is None:
        return ANONYMOUS
    if not isinstance(authorization, str):
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    with Session(engine) as session:
        row = session.get(Token, hash_token(token.strip()))
        return None if row is None else principal_of(session, row)


def principal_of(session: Session, row: Token) -> Principal | None:
    """Who a token is, as its organisation stands now; None once it is revoked."""
    if row.revoked_at is not None:
        return None
    organisation = session.get(Organisation, row.organisation_id)
    if organisation is None:
        return None
    shelter_id = shelter_of(session, row.organisation_id)
    return Principal(
        token_id=row.id,
        name=row.name,
        roles=frozenset(Role(r) for r in row.roles) - {Role.PUBLIC},
        organisation_id=organisation.id,
        organisation_kind=PartnerKind(organisation.kind),
        shelter_id=shelter_id,
        sites=frozenset(row.sites),
        routes=frozenset(row.routes),
    )
