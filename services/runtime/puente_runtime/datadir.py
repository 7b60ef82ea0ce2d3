"""The data directory (`var/`): one platform at a time, readable by its owner only.

Two platforms on one directory would run two clocks and two scheduling plans on one bus, so
the first to start holds an exclusive lock (flock) on `var/.lock` for as long as it runs, and
a second refuses to start, naming the process that holds it. The lock goes with the process,
however it ends: nothing stale to clean up after a crash.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

__all__ = ["DataDirectoryInUse", "claim", "make_private"]

LOCK_FILE = ".lock"


class DataDirectoryInUse(SystemExit):
    """Another process runs a platform on this directory."""


def make_private(var_dir: Path) -> None:
    """var/ 0700, the files in it 0600, and so every file this process creates from now."""
    os.umask(0o077)
    var_dir.mkdir(parents=True, exist_ok=True)
    var_dir.chmod(0o700)
    for path in var_dir.iterdir():
        if path.is_file() and not path.is_symlink():
            path.chmod(0o600)


def claim(var_dir: Path) -> IO[str]:
    """Lock the directory for this process; keep the returned file open while running."""
    make_private(var_dir)
    held = (var_dir / LOCK_FILE).open("a+")
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        held.seek(0)
        holder = held.read().strip() or "unknown"
        held.close()
        raise DataDirectoryInUse(
            f"{var_dir} is in use by another Puente (pid {holder}): stop it, or give this one "
            "its own PUENTE_VAR_DIR"
        ) from None
    held.seek(0)
    held.truncate()
    held.write(f"{os.getpid()}\n")
    held.flush()
    return held
