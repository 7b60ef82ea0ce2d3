"""Sending a command on the caller's behalf and waiting briefly for what became of it."""

from __future__ import annotations

from puente_runtime.outbox import Contract
from strawberry.types import Info

from puente_gateway.api.permissions import gateway
from puente_gateway.api.types import CommandAnswer, CommandStatus, answer_of
from puente_gateway.live import Outcome

__all__ = ["REJECTED", "send", "send_or_refuse"]

# A service refuses a command with `<service>.command-rejected`; registration also answers a
# registration with `registration-rejected`.
REJECTED = frozenset({"command-rejected", "registration-rejected"})


async def send(
    info: Info, command: Contract, *, accepted: frozenset[str]
) -> tuple[CommandAnswer, Outcome | None]:
    command_id, outcome = await gateway(info).command(command, outcomes=accepted | REJECTED)
    status, errors = answer_of(command_id, outcome, rejections=REJECTED)
    answer = CommandAnswer(
        status=status,
        command_id=command_id,  # type: ignore[arg-type]
        outcome=outcome.type if outcome else None,
        errors=errors,
    )
    return answer, outcome


async def send_or_refuse(
    info: Info, command: Contract, *, accepted: frozenset[str]
) -> tuple[CommandAnswer, Outcome | None]:
    """As `send`, but a rejection is a GraphQL error naming each refused field."""
    answer, outcome = await send(info, command, accepted=accepted)
    if answer.status is CommandStatus.REJECTED:
        raise ValueError("; ".join(f"{e.field}: {e.message}" for e in answer.errors) or "rejected")
    return answer, outcome
