"""GraphQL over HTTP as the spec (graphql.github.io/graphql-over-http) has it, for strawberry.

- The answer comes in the media type the client accepts: `application/graphql-response+json`
  when asked for, else `application/json` (also for `*/*` or no `Accept`); anything else
  gets 406.
- Under `application/graphql-response+json`, a request that fails before execution (it does
  not parse, validate, or its variables do not coerce) gets 400; under `application/json`
  200, as legacy clients expect. Either way its answer has no `data` entry.
- A request the server cannot read (not a JSON object, not UTF-8, another content type, JSON
  nested too deeply) gets a 4xx whose body is a GraphQL error, never a 500 or plain text; a
  body larger than MAX_BODY_BYTES gets 413 without being read whole.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.types import ExecutionResult

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
_MEDIA_TYPES = {GRAPHQL_RESPONSE: GRAPHQL_RESPONSE, JSON: JSON, "application/*": JSON, "*/*": JSON}
_UTF8 = (None, "utf-8", "utf8")
_OFFERED = {"Accept": f"{GRAPHQL_RESPONSE}, {JSON}"}
# A registration of the largest family allowed is a few kilobytes; a query is at most 5000
# tokens.
MAX_BODY_BYTES = 64 * 1024
_TOO_LARGE = f"the body is larger than {MAX_BODY_BYTES} bytes"


def _parameters(value: str) -> tuple[str, dict[str, str]]:
    """`type/subtype; a=b` -> ("type/subtype", {"a": "b"}), lower-cased."""
    media_type, *pairs = value.split(";")
    parameters = dict(pair.strip().lower().partition("=")[::2] for pair in pairs)
    return media_type.strip().lower(), {k: v.strip('"') for k, v in parameters.items()}


def negotiate(accept: str | None) -> str | None:
    """The media type to answer in, or None when the client accepts neither of ours."""
    if not accept or not accept.strip():
        return JSON
    chosen, best = None, 0.0
    for offered in accept.split(","):
        media_type, parameters = _parameters(offered)
        try:
            quality = float(parameters.get("q", "1"))
        except ValueError:
            continue
        if media_type in _MEDIA_TYPES and parameters.get("charset") in _UTF8 and quality > best:
            chosen, best = _MEDIA_TYPES[media_type], quality
    return chosen


def readable(content_type: str | None) -> bool:
    media_type, parameters = _parameters(content_type or "")
    return media_type == JSON and parameters.get("charset") in _UTF8


def error(
    status: int, message: str, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    """A request error as a GraphQL response: `{"errors": [{"message": ...}]}`, no data."""
    return JSONResponse(
        {"errors": [{"message": message}]},
        status,
        headers=headers,
        media_type=f"{media_type}; charset=utf-8",
    )


def refusal(scope: Scope, status: int, message: str, headers: dict[str, str]) -> Response:
    """A refusal before GraphQL runs (authentication), in the media type the client accepts."""
    return error(status, message, negotiate(Request(scope).headers.get("accept")) or JSON, headers)


def failed_before_execution(result: ExecutionResult) -> bool:
    """No data and only errors without a path: parsing, validation or variable coercion
    failed, so nothing ran (an error during execution always has the path of its field)."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


class Unreadable(json.JSONDecodeError):
    """JSON we will not read. A JSONDecodeError, so that strawberry answers it with 400 over
    HTTP (we put back our reason) and closes a WebSocket with 4400, instead of crashing."""

    def __init__(self, reason: str, document: str) -> None:
        super().__init__(reason, document[:100], 0)


def _declared_too_large(request: Request) -> bool:
    length = request.headers.get("content-length", "0")
    return not length.isdigit() or int(length) > MAX_BODY_BYTES


def _capped(receive: Receive) -> Receive:
    """`receive` that refuses a body (of any declared length) once it grows past the cap."""
    received = 0

    async def capped() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > MAX_BODY_BYTES:
            raise HTTPException(413, _TOO_LARGE)
        return message

    return capped


class GraphQLOverHTTP:
    """Put before strawberry's `GraphQL` in the bases: negotiation, status codes, errors."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)  # type: ignore[misc]
            return
        request = Request(scope, _capped(receive))
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None:
            response = error(406, f"accept {GRAPHQL_RESPONSE} or {JSON}", JSON, _OFFERED)
        elif not readable(request.headers.get("content-type")):
            response = error(415, f"send the request as {JSON} (UTF-8)", media_type)
        elif _declared_too_large(request):
            response = error(413, _TOO_LARGE, media_type)
        else:
            response = await self._answer(request, media_type)
        await response(scope, receive, send)

    async def _answer(self, request: Request, media_type: str) -> Response:
        try:
            response: Response = await self.run(request)  # type: ignore[attr-defined]
        except HTTPException as refused:
            cause = refused.__cause__
            reason = cause.msg if isinstance(cause, Unreadable) else refused.reason
            return error(refused.status_code, reason, media_type)
        response.headers["content-type"] = f"{media_type}; charset=utf-8"
        if media_type == GRAPHQL_RESPONSE and getattr(request.state, "failed_early", False):
            response.status_code = 400
        return response

    def decode_json(self, data: str | bytes) -> object:
        """A body, or a WebSocket message: a JSON object."""
        try:
            body = json.loads(data)
        except UnicodeDecodeError as wrong:
            raise HTTPException(400, "the body is not UTF-8") from wrong
        except RecursionError as deep:
            raise Unreadable("the body's JSON nests too deeply", str(data)) from deep
        if not isinstance(body, dict):
            raise Unreadable("the body must be a JSON object with a query", str(data))
        return body

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        answer = await super().process_result(request, result)  # type: ignore[misc]
        if failed_before_execution(result):
            answer.pop("data", None)
            request.state.failed_early = True
        return answer
