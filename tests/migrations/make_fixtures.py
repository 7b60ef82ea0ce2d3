"""Make the migration fixtures from a release: every service's database as that release left
it, with a family registered and carried to its release by the simulator, and a partner
organisation. Run with the release's code first on the path:

  git archive <release> | tar -x -C /tmp/release
  PYTHONPATH=$(ls -d /tmp/release/schemas /tmp/release/services/* | paste -sd:) \\
    .venv/bin/python -m tests.migrations.make_fixtures tests/migrations/fixtures

It writes `sqlite/<service>.sql` (sqlite3's dump) and `postgresql/<service>.sql` (pg_dump
--inserts of throwaway databases on 127.0.0.1, without psql's meta-commands). The committed
fixtures come from 06b4116, the last release before migrations.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
from puente_platform import create_platform
from puente_runtime import AcceleratedClock, EmbeddedBus, Settings

from tests.polling import eventually
from tests.servers import throwaway_databases
from tests.wiring.support import CHILD, FAMILY, REGISTER, member

SERVICES = ("registration", "scheduling", "transport", "processing", "notifications", "gateway")
PG = "postgresql://postgres:puente@127.0.0.1:5432/postgres"


async def run_a_release(var_dir: Path, database_url: str | None) -> None:
    settings = Settings(
        var_dir=var_dir,
        database_url=database_url,
        simulator=True,
        simulator_late_every=0,
        simulator_missed_every=0,
        relay_poll_seconds=0.05,
    )
    bus = EmbeddedBus(var_dir / "bus.db", poll_seconds=0.02)
    built = create_platform(
        settings=settings, bus=bus, clock=AcceleratedClock(speed=100_000, epoch=time.time())
    )
    await bus.start()
    for service in built.all_services:
        await service.start()
    token = (var_dir / "admin.token").read_text().strip()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=built.gateway.asgi),
        base_url="http://puente",
        headers={"authorization": f"Bearer {token}"},
    ) as client:

        async def graphql(query: str, **variables: object) -> dict:
            answer = await client.post("/graphql", json={"query": query, "variables": variables})
            assert "errors" not in answer.json(), answer.json()
            return answer.json()["data"]

        family = {"channel": "ONLINE", "consent": ["SHELTER"]}
        location = {"city": "Tijuana", "country": "MX"}
        registered = await graphql(
            REGISTER,
            input=family | {"currentLocation": location, "members": [member("A123456789"), CHILD]},
        )
        fid = registered["registerFamily"]["familyUnitId"]

        async def released() -> bool:
            data = await graphql(FAMILY, id=fid)
            return data["familyUnit"]["stage"] == "RELEASED"

        await eventually(released, timeout=60, what="the family to be released")
        await graphql('mutation { createOrganisation(name: "Casa", kind: SHELTER) { id } }')
    for service in built.all_services:
        await service.stop()
    await bus.stop()


def main(out: Path) -> None:
    sqlite_var = out / "var"
    asyncio.run(run_a_release(sqlite_var, None))
    (out / "sqlite").mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        with sqlite3.connect(sqlite_var / f"{name}.db") as db:
            (out / "sqlite" / f"{name}.sql").write_text("\n".join(db.iterdump()) + "\n")
    with throwaway_databases(PG, SERVICES) as template:
        asyncio.run(run_a_release(out / "pgvar", template))
        (out / "postgresql").mkdir(parents=True, exist_ok=True)
        for name in SERVICES:
            dump = subprocess.run(
                [
                    "pg_dump",
                    "--inserts",
                    "--no-owner",
                    "--no-privileges",
                    template.replace("{service}", name),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            lines = [line for line in dump.splitlines() if not line.startswith("\\")]
            (out / "postgresql" / f"{name}.sql").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
