"""Composition root: the gateway's service, read model and GraphQL app."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from typing import Any

import uvicorn
from opentelemetry.trace import SpanKind
from puente_runtime import Bus, Clock, Service, Settings, metrics
from puente_runtime.outbox import Contract
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from puente_gateway import cap, codes, console, http, organisations, projection
from puente_gateway.access import Principal
from puente_gateway.auth import (
    AUTHENTICATION_REQUIRED,
    SOCKET_TOKEN,
    authenticate,
    ensure_admin_token,
)
from puente_gateway.live import Hub, Outcome, Outcomes
from puente_gateway.public import only_public
from puente_gateway.ratelimit import RateLimit
from puente_gateway.schema import PUBLIC_FIELDS, schema
from puente_gateway.serving import log_paths_only, proxy_options
from puente_gateway.tables import HISTORY, TABLES

# Registrant lookups per client address and per code (registrantStatus).
LOOKUPS_PER_MINUTE = 5
# Organisations are published when made or changed (announce_organisations); this sweep
# catches one a crash left unpublished, and those that existed before the gateway started.
ANNOUNCE_SWEEP = dt.timedelta(hours=1)


class Gateway:
    def __init__(self, *, settings: Settings, bus: Bus, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.hub = Hub(
            queue_size=settings.subscriber_queue,
            per_token=settings.subscriptions_per_token,
            per_organisation=settings.subscriptions_per_organisation,
        )
        self.outcomes = Outcomes()
        self.lookups = RateLimit(limit=LOOKUPS_PER_MINUTE, window_seconds=60.0)
        self.code_key = codes.load_key(settings.code_key, settings.var_dir)
        self.service = Service(
            name="gateway",
            settings=settings,
            bus=bus,
            clock=clock,
            tables=TABLES,
            history=HISTORY,
            handlers=projection.handlers(hub=self.hub, outcomes=self.outcomes),
        )
        self.service.every(ANNOUNCE_SWEEP, organisations.announce)
        self.graphql = _GraphQL(self)
        self.asgi = Starlette(
            routes=[
                Route("/health", self._health),
                Route("/ready", self._ready),
                Route("/metrics", self._metrics),
                Route("/graphql", self.graphql, methods=["POST"]),
                WebSocketRoute("/graphql", self.graphql),
                *console.routes(),
                *cap.routes(self.service.engine, clock),
            ]
        )

    def new_id(self) -> str:
        return str(uuid.uuid4())

    def announce_organisations(self) -> None:
        """Publish organisations made or changed (organisation-registered/updated) now."""
        self.service.run_now(organisations.announce)

    async def command(
        self, command: Contract, *, outcomes: frozenset[str]
    ) -> tuple[str, Outcome | None]:
        """Send a command and wait briefly for its first outcome; None means still pending."""
        command_id = self.new_id()
        with (
            self.service.tracer.start_as_current_span(
                _operation(command),
                kind=SpanKind.SERVER,
                attributes={"puente.command_id": command_id},
            ),
            self.outcomes.expect(command_id, outcomes) as outcome,
        ):
            self.service.submit([command], correlation_id=command_id)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.outcome_timeout_seconds):
                    return command_id, await outcome
        return command_id, None

    async def serve_http(self) -> None:
        """Serve the ASGI app with uvicorn until signalled, or cancelled (then gracefully)."""
        config = uvicorn.Config(
            self.asgi,
            host=self.settings.gateway_host,
            port=self.settings.gateway_port,
            lifespan="off",
            ws="websockets-sansio",
            ws_max_size=http.MAX_BODY_BYTES,
            **proxy_options(self.settings.trusted_proxies),
        )
        log_paths_only()
        server = uvicorn.Server(config)
        serving = asyncio.ensure_future(server.serve())
        try:
            await asyncio.shield(serving)
        except asyncio.CancelledError:
            server.should_exit = True
            await serving
            raise

    async def _health(self, request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok\n")

    async def _ready(self, request: Request) -> PlainTextResponse:
        ready = self.service.ready()
        return PlainTextResponse("ok\n" if ready else "not ready\n", 200 if ready else 503)

    async def _metrics(self, request: Request) -> Response:
        """Prometheus text of every service in this process (async: read on the loop)."""
        return Response(metrics.exposition(), headers={"content-type": metrics.CONTENT_TYPE})


def _operation(command: Contract) -> str:
    """`org.puente.registration.register-family.v1` -> `registerFamily`."""
    first, *rest = str(command.TYPE).split(".")[-2].split("-")
    return first + "".join(word.capitalize() for word in rest)


_PRINCIPAL = "puente.principal"


class _Unauthenticated(Exception):
    """An anonymous request for something that is not public: answered with a 401."""


def _refusal(scope: Scope) -> Response:
    return http.refusal(scope, 401, AUTHENTICATION_REQUIRED, {"WWW-Authenticate": "Bearer"})


class _GraphQL(http.GraphQLOverHTTP, GraphQL[dict[str, Any], None]):
    """HTTP takes a bearer token, or none at all for the public fields (a bad token is always
    refused); WebSockets send theirs in `connection_init`."""

    def __init__(self, gateway: Gateway) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            allow_queries_via_get=False,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        )
        self.gateway = gateway

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            principal = authenticate(
                self.gateway.service.engine, Request(scope).headers.get("authorization")
            )
            if principal is None:
                await _refusal(scope)(scope, receive, send)
                return
            scope[_PRINCIPAL] = principal
        try:
            await super().__call__(scope, receive, send)
        except _Unauthenticated:
            await _refusal(scope)(scope, receive, send)

    async def execute_operation(self, **given: Any) -> Any:  # type: ignore[override]
        """Before anything runs: an anonymous caller gets only public queries."""
        principal: Principal = given["context"]["principal"]
        data = given["request_data"]
        batch = data if isinstance(data, list) else [data]
        if principal.anonymous and not all(_public(one) for one in batch):
            raise _Unauthenticated
        return await super().execute_operation(**given)

    async def get_context(self, request: Request | WebSocket, response: Any) -> dict[str, Any]:
        return {
            "request": request,
            "response": response,
            "gateway": self.gateway,
            "principal": request.scope.get(_PRINCIPAL),
        }

    async def on_ws_connect(self, context: dict[str, Any]) -> UnsetType:
        params = context.get("connection_params") or {}
        principal = authenticate(self.gateway.service.engine, params.get("authorization"))
        if principal is None or principal.anonymous:  # no public subscriptions
            raise ConnectionRejectionError({"message": AUTHENTICATION_REQUIRED})
        context["principal"] = principal
        context[SOCKET_TOKEN] = params.get("authorization")  # checked again on each subscribe
        return UnsetType()  # acknowledge without a payload


def _public(data: GraphQLRequestData) -> bool:
    return only_public(data.query, data.operation_name, PUBLIC_FIELDS)


def create_app(*, settings: Settings, bus: Bus, clock: Clock) -> Gateway:
    gateway = Gateway(settings=settings, bus=bus, clock=clock)
    ensure_admin_token(gateway.service.engine, var_dir=settings.var_dir, now=clock.now())
    return gateway
