"""Secrets sealed with the platform key (Fernet: AES-128-CBC and HMAC-SHA256, from
`cryptography`), so a secret may travel on the bus and sit in a database without being read.

The gateway makes a webhook's secret, shows it once and seals it; notifications unseals it to
sign deliveries. Both read the same key: `PUENTE_PLATFORM_KEY` when set (every process and
replica needs the same one, e.g. from a secret store), else a key made on first start and
kept in `var/platform.key`, readable by its owner only (one machine, `make run`, tests).
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

__all__ = ["SECRET_PREFIX", "Sealer", "load_platform_key", "new_webhook_secret"]

SECRET_PREFIX = "whsec_"


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def load_platform_key(given: str | None, var_dir: Path) -> bytes:
    if given:
        return given.encode()
    path = var_dir / "platform.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another service of the same run made it first
            return path.read_text().strip().encode()
        with os.fdopen(descriptor, "w") as file:
            file.write(Fernet.generate_key().decode() + "\n")
    return path.read_text().strip().encode()


class Sealer:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def unseal(self, sealed: str) -> str:
        """Raises `cryptography.fernet.InvalidToken` for a value not sealed with this key."""
        return self._fernet.decrypt(sealed.encode()).decode()
