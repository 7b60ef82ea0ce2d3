"""The operations console: static assets shipped in this package (no CDN, no build step),
served at `/` (the page), at `/notices/{id}` (the link a notice's e-mail carries: the page,
which shows that notice after sign-in) and `/console/` (its scripts and styles). It talks to
the GraphQL API only, as any partner would."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["routes"]

ASSETS = Path(__file__).parent

# The console runs only its own scripts and reaches only its own origin (a token sits in
# sessionStorage: no third-party script may read it).
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


class _Assets(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        if not path.endswith((".js", ".css", ".svg")):
            path = "missing"  # the package's Python is not an asset
        response = await super().get_response(path, scope)
        response.headers.update(HEADERS)
        return response


async def _page(request: Request) -> Response:
    return FileResponse(ASSETS / "index.html", headers=HEADERS)


def routes() -> list[BaseRoute]:
    return [
        Route("/", _page),
        Route("/notices/{notice_id}", _page),
        Mount("/console", _Assets(directory=ASSETS)),
    ]
