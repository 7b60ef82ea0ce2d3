"""`make up`'s script, as a newcomer runs it: a process per service (the simulator too, with
PUENTE_SIMULATOR=true) on Kafka and PostgreSQL that answer ready, carry a family to RELEASED,
and are all gone after `down`."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.kafka.journey import GraphQL
from tests.kafka.processes import SERVICES, Platform
from tests.polling import eventually

pytestmark = pytest.mark.servers

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "local" / "services.sh"


def free_ports(count: int) -> int:
    """The first of `count` consecutive ports nobody listens on."""
    for base in range(18_100, 19_000, count):
        if all(_free(port) for port in range(base, base + count + 1)):
            return base
    raise AssertionError("no free ports between 18100 and 19000")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def services_sh(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=180
    )


async def test_up_runs_a_family_to_release_and_down_stops_every_process(
    platform: Platform, tmp_path: Path
) -> None:
    var, base = tmp_path / "up", free_ports(len(SERVICES) + 1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUENTE_")}
    env |= {
        "PUENTE_VAR": str(var),
        "PUENTE_DATABASE_URL": platform.database_url,
        "PUENTE_KAFKA_BOOTSTRAP": platform.bootstrap,
        "PUENTE_GROUP_PREFIX": platform.group_prefix,  # begins where the test began
        "PUENTE_TOPIC_PREFIX": "",  # the tests' topics, read from where the test began
        "PUENTE_HEALTH_BASE": str(base),
        "PUENTE_GATEWAY_PORT": str(base + len(SERVICES)),
        # as the README runs the demo: the field simulator plays the officers, without mishaps
        "PUENTE_CLOCK_SPEED": str(platform.clock_speed),
        "PUENTE_SIMULATOR": "true",
        "PUENTE_SIMULATOR_LATE_EVERY": "0",
        "PUENTE_SIMULATOR_MISSED_EVERY": "0",
    }
    started = services_sh("up", env)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        assert f"all {len(SERVICES)} services ready" in started.stdout
        token = (var / "admin.token").read_text().strip()
        assert f"admin token: {token}" in started.stdout
        gateway = GraphQL(f"http://127.0.0.1:{base + len(SERVICES)}", token)
        family = await gateway.register_family()

        async def released() -> bool:
            return await gateway.stage(family) == "RELEASED"

        await eventually(released, timeout=120, what="the family to reach RELEASED")
        assert services_sh("status", env).stdout.split("\n")[:-1] == [
            f"{name}: ready" for name in SERVICES
        ]
    except BaseException:
        for log in sorted((var / "log").glob("*.log")):  # shown with the failure
            print(f"==== {log.stem}", *log.read_text().splitlines()[-30:], sep="\n")
        raise
    finally:
        pids = [int(p.read_text()) for p in (var / "run").glob("*.pid")]
        stopped = services_sh("down", env)
    assert stopped.returncode == 0, stopped.stderr
    assert len(pids) == len(SERVICES)

    def all_gone() -> bool:
        return not any(running(pid) for pid in pids)

    await eventually(all_gone, timeout=30, what="every process to stop after `down`")
