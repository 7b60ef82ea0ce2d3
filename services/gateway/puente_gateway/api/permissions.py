"""Permissions every field passes: by role (Needs), and for personal data by organisation
(MaySeeRecord, MaySeeLegalHistory). A refusal is an error on the field, never silence.

Every decision is audited once, after all of a field's permissions have decided (Guard): a
refusal always, with the family it named if any; a read of a family's personal data (a field
of a family's record, or a resolver's own decision through `decide`)."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError
from sqlalchemy import Engine
from starlette.websockets import WebSocket
from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from puente_gateway import audit
from puente_gateway.access import Principal, RecordAccess, may_see_record
from puente_gateway.auth import AUTHENTICATION_REQUIRED, SOCKET_TOKEN, TOKEN_REVOKED, authenticate
from puente_gateway.roles import LEGAL_ROLES, Role

if TYPE_CHECKING:
    from puente_gateway.app import Gateway

__all__ = [
    "NOT_AUTHORISED",
    "Guard",
    "MaySeeLegalHistory",
    "MaySeeRecord",
    "Needs",
    "Public",
    "audit_read",
    "check_socket_token",
    "close_socket",
    "decide",
    "engine",
    "gateway",
    "guarded",
    "needs",
    "principal",
    "public",
    "refuse",
]

NOT_AUTHORISED = "not authorised"


def gateway(info: Info) -> Gateway:
    found: Gateway = info.context["gateway"]
    return found


def engine(info: Info) -> Engine:
    found: Engine = gateway(info).service.engine
    return found


def principal(info: Info) -> Principal | None:
    found: Principal | None = info.context.get("principal")
    return found


class Needs(BasePermission):
    """The caller must hold one of `roles`; the refusal names the operation and the roles."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = principal(info)
        if caller is None or caller.anonymous:
            raise self.error_class(AUTHENTICATION_REQUIRED)
        if caller.has_any(self.roles):
            return True
        names = " or ".join(sorted(role.value for role in self.roles))
        # Raised here rather than through `message`: the message names the field asked for.
        raise self.error_class(f"{NOT_AUTHORISED}: {info.field_name} needs role {names}")


class Public(BasePermission):
    """Anyone, with or without a token: published, non-personal data."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return True


class Guard(PermissionExtension):
    """Runs every permission of a field, then audits the outcome once, then answers: a field
    refused by any permission is logged as refused, never as read. The family is the one the
    field's source carries, or its `family_argument`. Reads are logged only for fields of a
    family's record (`reads`); a resolver that decides itself which families it shows audits
    them through `decide` or `audit_read`."""

    def __init__(
        self,
        permissions: list[BasePermission],
        *,
        reads: bool = False,
        family_argument: str = "family_unit_id",
    ) -> None:
        super().__init__(permissions=permissions, use_directives=False)
        self.reads = reads
        self.family_argument = family_argument

    def _refusal(self, source: Any, info: Info, kwargs: dict[str, Any]) -> Exception | None:
        for permission in self.permissions:
            try:
                allowed = permission.has_permission(source, info, **kwargs)
            except GraphQLError as refused:  # Needs names the field in its message
                return refused
            if not allowed:
                return permission.error_class(permission.message or "")
        return None

    def _family(self, source: Any, kwargs: dict[str, Any]) -> str | None:
        family = getattr(source, "family_unit_id", None) or kwargs.get(self.family_argument)
        return str(family) if family else None

    def _decide(self, source: Any, info: Info, kwargs: dict[str, Any]) -> None:
        refused = self._refusal(source, info, kwargs)
        caller = principal(info)
        family = self._family(source, kwargs)
        if caller is not None and (refused is not None or (self.reads and family)):
            audit_read(info, caller, [family], allowed=refused is None)
        if refused is not None:
            raise refused

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        self._decide(source, info, kwargs)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        self._decide(source, info, kwargs)
        answer = next_(source, info, **kwargs)
        return answer if inspect.isasyncgen(answer) else await answer


def needs(*roles: Role, family_argument: str = "family_unit_id") -> list[FieldExtension]:
    return [Guard([Needs(*roles)], family_argument=family_argument)]


def guarded(*permissions: BasePermission, reads: bool = True) -> list[FieldExtension]:
    """A field of a family's record: its reads (unless `reads` is off: a part of a record
    whose read is already logged) and its refusals are audited."""
    return [Guard(list(permissions), reads=reads)]


def public() -> list[FieldExtension]:
    return [PermissionExtension(permissions=[Public()], use_directives=False)]


def refuse(message: str = NOT_AUTHORISED) -> Exception:
    """The error a resolver raises for a refusal it decides itself (same class as the rest)."""
    return Needs.error_class(message)


class MaySeeRecord(BasePermission):
    """The family's record: only for an organisation allowed to see it. `source` carries the
    family's RecordAccess as `access` (and its id as `family_unit_id`)."""

    message = NOT_AUTHORISED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = principal(info)
        record: RecordAccess | None = source.access
        return caller is not None and may_see_record(caller, record)


class MaySeeLegalHistory(BasePermission):
    """A-numbers, case categories and legal actions: not for shelters or transport."""

    message = NOT_AUTHORISED

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = principal(info)
        return caller is not None and caller.has_any(LEGAL_ROLES)


async def check_socket_token(info: Info) -> None:
    """On a WebSocket, each subscribe checks again the token sent in connection_init: a
    revoked one's socket is closed, with the reason."""
    if SOCKET_TOKEN not in info.context:
        return
    if authenticate(engine(info), info.context[SOCKET_TOKEN]) is None:
        await close_socket(info, TOKEN_REVOKED)
        raise refuse(TOKEN_REVOKED)


async def close_socket(info: Info, reason: str | None) -> None:
    """Close the caller's WebSocket (4403, with the reason) when its token was revoked; a
    subscription stopped for another reason (too slow) ends alone."""
    socket = info.context.get("request")
    if reason == TOKEN_REVOKED and isinstance(socket, WebSocket):
        await socket.close(code=4403, reason=reason)


def decide(info: Info, family_unit_id: str, refusal: str | None) -> None:
    """A resolver's own decision on one family (follow it, act on it): audited either way,
    then the refusal (`refusal`, a message naming no personal data) raised."""
    caller = principal(info)
    if caller is not None:
        audit_read(info, caller, [family_unit_id], allowed=refusal is None)
    if refusal is not None:
        raise refuse(refusal)


def audit_read(
    info: Info, caller: Principal, family_unit_ids: Iterable[str | None], *, allowed: bool
) -> None:
    audit.record(
        engine(info),
        caller,
        family_unit_ids,
        operation=_operation(info),
        outcome=audit.READ if allowed else audit.REFUSED,
        now=gateway(info).clock.now(),
    )


def _operation(info: Info) -> str:
    """`familyUnit.members`: the top-level field, then the field read."""
    path, top = info.path, info.path
    while top.prev is not None:
        top = top.prev
    return f"{top.key}.{path.key}" if top is not path else str(path.key)
