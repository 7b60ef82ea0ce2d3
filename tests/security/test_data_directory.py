"""Issue 8, items 7 and 8: one platform per data directory, and the directory private to its
owner. Each test starts `python -m puente_platform` as `make run` does."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(var_dir: Path) -> subprocess.Popen[str]:
    env = os.environ | {
        "PUENTE_VAR_DIR": str(var_dir),
        "PUENTE_GATEWAY_PORT": str(free_port()),
        "PUENTE_SIMULATOR": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "puente_platform"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="module")
def running(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A platform that has started on its own var/ and is ready."""
    var_dir = tmp_path_factory.mktemp("platform") / "var"
    first = start(var_dir)
    assert first.stdout is not None
    deadline = time.monotonic() + 60
    for line in first.stdout:
        if "ready" in line:
            break
        assert time.monotonic() < deadline and first.poll() is None, "the platform did not start"
    yield first, var_dir
    first.terminate()
    first.communicate(timeout=30)


def test_a_second_platform_on_the_same_data_directory_refuses_naming_the_first(
    running: tuple[subprocess.Popen[str], Path],
) -> None:
    first, var_dir = running

    second = start(var_dir)
    output, _ = second.communicate(timeout=60)

    assert second.returncode != 0
    assert f"in use by another Puente (pid {first.pid})" in output
    assert first.poll() is None  # the first goes on


def test_the_data_directory_and_its_databases_are_its_owners_only(
    running: tuple[subprocess.Popen[str], Path],
) -> None:
    _, var_dir = running

    files = [p for p in var_dir.iterdir() if p.is_file()]

    assert stat.S_IMODE(var_dir.stat().st_mode) == 0o700
    assert {p.name for p in files} >= {"bus.db", "gateway.db", "registration.db", "admin.token"}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}
