"""The ecosystem's reference tools (npm packages under tools/, installed by `make tools`),
run as a partner would run them. Without them a test is skipped, except where servers are
required (`CI` set or `PUENTE_REQUIRE_SERVERS=1`): there it fails."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.servers import unavailable

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def run_tool(script: str, *args: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Run `tools/<script>` with node; its JSON lines, one object each."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed (Node 20 or later)")
    if not (TOOLS / "node_modules" / ".package-lock.json").exists():
        unavailable("the reference tools are not installed: run `make tools`")
    done = subprocess.run(
        [node, str(TOOLS / script), *args],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert done.stdout, f"{script} printed nothing: {done.stderr[-2000:]}"
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
