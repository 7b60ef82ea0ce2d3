"""Who the caller is: what a client (the console) needs to show only the views its roles
may use. It reads the caller's own token, nothing about any family."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from puente_gateway.api.permissions import principal
from puente_gateway.api.types import RoleName

__all__ = ["Viewer", "viewer"]


@strawberry.type(description="The caller's own credential: its name, roles and scope.")
class Viewer:
    name: str
    roles: list[RoleName]
    sites: list[str] = strawberry.field(description="Where a port officer works.")
    shelter_id: strawberry.ID | None = strawberry.field(
        description="The shelter the caller's organisation runs, if any."
    )


def viewer(info: Info) -> Viewer:
    caller = principal(info)
    assert caller is not None  # the field's permission refused anonymous callers
    return Viewer(
        name=caller.name,
        roles=sorted((RoleName(role.value) for role in caller.roles), key=lambda r: r.value),
        sites=sorted(caller.sites),
        shelter_id=strawberry.ID(caller.shelter_id) if caller.shelter_id else None,
    )
