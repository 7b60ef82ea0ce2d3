"""Credentials: bearer tokens stored only as SHA-256 hashes, and the first admin token.

Default deny: a request without a known token is refused before anything executes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from puente_gateway.tables import ApiToken

ADMIN = "admin"
AUTHENTICATION_REQUIRED = "authentication required"


@dataclass(frozen=True)
class Principal:
    name: str
    role: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(engine: Engine, *, name: str, role: str, now: dt.datetime) -> str:
    """Store a new token's hash and return the token: the only time it is seen."""
    token = secrets.token_urlsafe(32)
    with Session(engine) as session:
        session.add(ApiToken(token_hash=hash_token(token), name=name, role=role, created_at=now))
        session.commit()
    return token


def ensure_admin_token(engine: Engine, *, var_dir: Path, now: dt.datetime) -> str | None:
    """On first start, issue an admin token, print it and write it to `var/admin.token`."""
    with Session(engine) as session:
        if session.exec(select(ApiToken).where(ApiToken.role == ADMIN)).first() is not None:
            return None
    token = issue_token(engine, name="admin", role=ADMIN, now=now)
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "admin.token"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(token + "\n")
    path.chmod(0o600)
    print(f"admin token: {token}", flush=True)
    return token


def authenticate(engine: Engine, authorization: object) -> Principal | None:
    """The principal for an `Authorization: Bearer <token>` value, or None."""
    if not isinstance(authorization, str):
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    with Session(engine) as session:
        row = session.get(ApiToken, hash_token(token.strip()))
    return Principal(name=row.name, role=row.role) if row else None
