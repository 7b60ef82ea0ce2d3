"""Over HTTP: default deny, the admin token, health and readiness."""

from __future__ import annotations

import hashlib
import stat
import uuid

import httpx
from puente_gateway.tables import Organisation, Token
from sqlmodel import Session, select

from tests.polling import eventually

from .support import Harness, registered

QUERY = {"query": "query ($id: ID!) { familyUnit(id: $id) { id stage } }"}


def client(harness: Harness, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=harness.gateway.asgi),
        base_url="http://gateway",
        headers=headers,
    )


async def test_the_admin_token_is_written_once_and_stored_only_hashed(harness: Harness) -> None:
    path = harness.settings.var_dir / "admin.token"

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Session(harness.gateway.service.engine) as session:
        rows = session.exec(select(Token)).all()
        organisation = session.get(Organisation, rows[0].organisation_id)
    assert [(r.roles, r.token_hash) for r in rows] == [
        (["admin", "registrar"], hashlib.sha256(harness.admin_token.encode()).hexdigest())
    ]
    assert organisation is not None
    assert (organisation.name, organisation.kind) == ("Puente operations", "unhcr")


async def test_a_request_without_a_known_token_is_refused(harness: Harness) -> None:
    body = {**QUERY, "variables": {"id": "x"}}
    for token in (None, "not-a-token"):
        async with client(harness, token) as http:
            response = await http.post("/graphql", json=body)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"

    async with client(harness) as http:
        response = await http.post("/graphql", json=body, headers={"Authorization": "Basic x"})
    assert response.status_code == 401


async def test_a_request_with_the_admin_token_reads_the_projection(harness: Harness) -> None:
    fid = str(uuid.uuid4())
    await harness.publish(registered(fid, organisation_id=harness.admin_organisation))

    async def stage() -> object:
        async with client(harness, harness.admin_token) as http:
            response = await http.post("/graphql", json={**QUERY, "variables": {"id": fid}})
        assert response.status_code == 200
        unit = response.json()["data"]["familyUnit"]
        return unit and unit["stage"]

    assert await eventually(stage) == "REGISTERED"


async def test_health_and_readiness_need_no_token(harness: Harness) -> None:
    async with client(harness) as http:
        assert (await http.get("/health")).status_code == 200
        assert (await http.get("/ready")).status_code == 200
