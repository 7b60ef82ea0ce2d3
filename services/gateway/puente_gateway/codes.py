"""Registration codes: what a registrant is given once to look up their own status.

Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L), so it can be read out
over a phone line or copied by hand: about 49 bits. Only its SHA-256 leaves the gateway;
lookups are rate-limited (ratelimit.py), which is what makes guessing impractical online.
"""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["ALPHABET", "LENGTH", "code_hash", "new_code", "normalise"]

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(code: str) -> str:
    """As typed or read out: case, spaces and dashes do not matter."""
    return "".join(code.split()).replace("-", "").upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()
