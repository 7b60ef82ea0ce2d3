"""What an operation on the plan changed, family by family, and what that tells the world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from puente_scheduling.domain.queue import Family, Snapshot, Status
from puente_scheduling.domain.sites import Policy, Site


class Notice(StrEnum):
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"  # waits in line at a site (or for a site that can take it)
    HELD = "held"  # waits for its phase: no member's category is eligible yet
    ESTIMATED = "estimated"  # waits where it waited, with another estimated day


@dataclass(frozen=True)
class FamilyChange:
    family: Family
    before: Snapshot
    reason: str
    only_estimate: bool = False  # nothing but its estimated day changed

    def notices(self) -> list[Notice]:
        """Scheduled, rescheduled or cancelled follow the appointment; a family newly in line
        (or in another line, or whose place changed) is told where it waits."""
        was, now = self.before.appointment, self.family.appointment
        if now is not None:
            if was is None:
                return [Notice.SCHEDULED]
            return [] if was.id == now.id else [Notice.RESCHEDULED]
        notices = [Notice.CANCELLED] if was is not None else []
        status = self.family.status
        if status is Status.WAITING and (was is not None or self._moved_in_line()):
            notices.append(Notice.WAITLISTED)
        elif status is Status.WAITING and self.family.estimate != self.before.estimate:
            notices.append(Notice.ESTIMATED)
        elif status is Status.HELD and (was is not None or self.before.status is not Status.HELD):
            notices.append(Notice.HELD)
        return notices

    def _moved_in_line(self) -> bool:
        before, family = self.before, self.family
        return (
            before.status is not Status.WAITING
            or before.site != family.site
            or before.place != (family.people, family.expedite_granted_at, family.queued_at)
        )


@dataclass
class Changes:
    families: list[FamilyChange] = field(default_factory=list)
    sites: list[tuple[Site, str]] = field(default_factory=list)  # sites changed, and why
    cursors: dict[str, dt.date] = field(default_factory=dict)
    policy: Policy | None = None  # the new policy, when it changed

    def __bool__(self) -> bool:
        return bool(self.families or self.sites or self.cursors or self.policy)
