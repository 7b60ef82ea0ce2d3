"""Registration codes: what a registrant is given once to look up their own status.

Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L), so it can be read out
over a phone line or copied by hand: about 49 bits. Lookups are rate-limited (ratelimit.py),
which makes guessing impractical online. Only a keyed hash (HMAC-SHA256) leaves the gateway:
49 bits would not stand up offline against a plain hash read from the bus, but without the
gateway's key the hashes on the bus tell nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from puente_gateway.auth import write_secret

__all__ = ["ALPHABET", "LENGTH", "code_hash", "load_key", "new_code", "normalise"]

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    """As typed or read out: case, spaces and dashes do not matter."""
    return "".join(code.split()).replace("-", "").upper()


def code_hash(code: str, key: bytes) -> str:
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()


def load_key(given: str | None, var_dir: Path) -> bytes:
    """`PUENTE_CODE_KEY` when set (every gateway replica needs the same one), else a key made
    on first start and kept in `var/code.key`, readable by its owner only. A new key makes
    every code given before it unusable."""
    if given:
        return given.encode()
    path = var_dir / "code.key"
    if not path.exists():
        write_secret(path, secrets.token_hex(32))
    return path.read_text().strip().encode()
