"""The console in a real browser: the embedded platform as a subprocess on a free port (no
simulator, real clock) and Debian's Chromium driven by Playwright. Without Chromium the tests
skip, except where servers are required (`CI` or PUENTE_REQUIRE_SERVERS=1): there they fail.
`make chromium` installs it. Screenshots land in PUENTE_ARTIFACTS (default var/artifacts)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Error, Page, sync_playwright

from tests.kafka.processes import _die_with_parent, free_port
from tests.servers import unavailable

from .support import Console, screenshot

CHROMIUM = os.environ.get("PUENTE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _wait_ready(url: str, popen: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if popen.poll() is not None:
            raise AssertionError(f"the platform exited while starting:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/ready", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"the platform was not ready after {timeout}s:\n{log.read_text()}")
        time.sleep(0.2)


@pytest.fixture(scope="package")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """`make run`'s platform (without the demo simulator) with an admin token."""
    var_dir = tmp_path_factory.mktemp("console")
    port = free_port()
    env = os.environ | {
        "PUENTE_VAR_DIR": str(var_dir),
        "PUENTE_GATEWAY_PORT": str(port),
        "PUENTE_SIMULATOR": "false",
        "PUENTE_RELAY_POLL_SECONDS": "0.05",
        # A family without an appointment is stuck at once (test_console_stuck.py).
        "PUENTE_STUCK_UNSCHEDULED_HOURS": "0",
    }
    log = var_dir / "platform.log"
    with log.open("wb") as output:
        popen = subprocess.Popen(
            [sys.executable, "-m", "puente_platform"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=var_dir,
            preexec_fn=_die_with_parent,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, popen, log)
        yield Console(url, var_dir)
    finally:
        popen.send_signal(signal.SIGTERM)
        try:
            popen.wait(15)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(5)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Package-scoped: Playwright's sync API runs an event loop of its own, which must be
    gone before the asyncio tests of the other packages start theirs."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        unavailable(f"no Chromium at {CHROMIUM}; install it with `make chromium`")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Error as error:
            unavailable(f"Chromium at {CHROMIUM} did not start: {error.message.splitlines()[0]}")
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (its own sessionStorage); a screenshot of the last screen is
    kept as an artifact, named after the test."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    screenshot(opened, request.node.name)
    context.close()
