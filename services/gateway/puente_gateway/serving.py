"""How the gateway's HTTP server treats what it is told about the caller and what it logs.

- `X-Forwarded-For` names the caller only when it comes from a proxy the operator configured
  (`PUENTE_TRUSTED_PROXIES`, comma-separated addresses; none by default). Otherwise anyone
  able to reach the port, loopback included, could pick an address per request and escape the
  registrant-lookup limit.
- The access log never carries a query string: a token or a code sent there by mistake would
  stay in the logs.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["PathOnly", "log_paths_only", "proxy_options"]


def proxy_options(trusted_proxies: str) -> dict[str, Any]:
    """uvicorn's options: forwarded headers from the configured proxies only."""
    trusted = [address.strip() for address in trusted_proxies.split(",") if address.strip()]
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


class PathOnly(logging.Filter):
    """Drops the query string from uvicorn's access-log records (client, method, path,
    version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, version, status = record.args
            record.args = (client, method, str(path).partition("?")[0], version, status)
        return True


def log_paths_only() -> None:
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, PathOnly) for f in access_log.filters):
        access_log.addFilter(PathOnly())
