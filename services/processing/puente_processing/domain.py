"""Processing rules: the documents each person needs, and the order of the steps at the
port (check-in, processing, release). Pure: no I/O."""

from __future__ import annotations

from puente_schemas.common import CaseCategory, Member

PAROLE = "parole"
NEW_NTA = "new notice to appear"
COURT_TRANSFER = "court transfer"
MOTION_TO_RESCIND = "motion to rescind in absentia order"
MOTION_TO_REOPEN = "motion to reopen"

_BY_CATEGORY = {
    CaseCategory.ACTIVE: (COURT_TRANSFER,),
    CaseCategory.IN_ABSENTIA: (MOTION_TO_RESCIND, NEW_NTA),
    CaseCategory.DENIED: (MOTION_TO_REOPEN,),
    CaseCategory.TERMINATED: (NEW_NTA,),
    CaseCategory.INACTIVE: (NEW_NTA,),
}

STEPS = ("registered", "scheduled", "checked-in", "processed", "released")


class OutOfOrder(Exception):
    """A step reported before the one it depends on."""


def documents_for(member: Member) -> tuple[str, ...]:
    """Parole is the presumption for everyone; the case category adds the legal action.
    A relative never in MPP gets a new NTA so the family goes forward together."""
    if not member.in_mpp or member.case_category is None:
        return (NEW_NTA, PAROLE)
    return (*_BY_CATEGORY[member.case_category], PAROLE)


def advance(current: str, step: str) -> str:
    """The family's next step, or OutOfOrder when `step` does not follow `current`."""
    if STEPS.index(step) != STEPS.index(current) + 1:
        raise OutOfOrder(f"cannot record {step} for a family that is {current}")
    return step
