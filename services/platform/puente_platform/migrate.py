"""`make migrate` and `make migration`: every database's schema brought to this code, and a
new revision of one history written from what its models have and its migrations lack.

  python -m puente_platform.migrate                       # upgrade every service's database
  python -m puente_platform.migrate revision SERVICE MESSAGE   # SERVICE may be `runtime`
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import puente_gateway.tables
import puente_notifications.tables
import puente_processing.tables
import puente_registration.tables
import puente_scheduling.tables
import puente_simulator.tables
import puente_transport.tables
from alembic import command
from puente_runtime.upgrades import RUNTIME, History, config_for, differences, upgrade
from sqlalchemy import create_engine

from puente_platform.settings import PlatformSettings

HISTORIES: dict[str, History] = {
    module.HISTORY.name: module.HISTORY
    for module in (
        puente_registration.tables,
        puente_scheduling.tables,
        puente_transport.tables,
        puente_processing.tables,
        puente_notifications.tables,
        puente_gateway.tables,
        puente_simulator.tables,
    )
}


def migrate_all(settings: PlatformSettings) -> list[str]:
    """Upgrade each service's database (the simulator's only when it runs)."""
    done = []
    for name, history in HISTORIES.items():
        if name == "simulator" and not settings.simulator:
            continue
        upgrade(settings.database_for(name), [RUNTIME, history])
        done.append(name)
    return done


def new_revision(name: str, message: str) -> Path:
    """Write the next revision of `name`'s history: what autogenerate finds between its models
    and a scratch database upgraded to the history's head."""
    history = RUNTIME if name == "runtime" else HISTORIES[name]
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{scratch}/scratch.db")
        with engine.begin() as connection:
            config = config_for(history, connection)
            command.upgrade(config, "head")
            if not differences(connection, history):
                raise SystemExit(f"{name}: its models and its migrations agree; nothing to write")
            number = len(list((history.location / "versions").glob("*.py"))) + 1
            script = command.revision(
                config, message=message, autogenerate=True, rev_id=f"{number:04d}"
            )
        engine.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


def main(argv: list[str]) -> None:
    if argv[:1] == ["revision"] and len(argv) == 3:
        print(f"wrote {new_revision(argv[1], argv[2])}: read it, then commit it")
        return
    if argv:
        raise SystemExit(__doc__)
    for name in migrate_all(PlatformSettings()):
        print(f"{name}: up to date")


if __name__ == "__main__":
    main(sys.argv[1:])
