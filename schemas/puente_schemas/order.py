"""The fair order (DOMAIN.md rule 2), the one definition scheduling books by and anyone
auditing the published `QueuePlace`s recomputes: granted expedites first, in order of grant;
then everyone else by the earliest MPP enrollment of any member (a family with none goes
last), ties by registration time; the family-unit id breaks exact ties, so the order is total.
The audit of appointments against it is `fairness.inversions`.
"""

from __future__ import annotations

import datetime as dt

# Sentinels that keep every key the same shape, so any two keys compare.
NO_ENROLLMENT = dt.date.max
NOT_EXPEDITED = dt.datetime.min.replace(tzinfo=dt.UTC)

Key = tuple[int, dt.datetime, dt.date, dt.datetime, str]


def queue_key(
    *,
    family_unit_id: str,
    earliest_enrollment: dt.date | None,
    registered_at: dt.datetime,
    expedite_granted_at: dt.datetime | None,
) -> Key:
    enrolled = earliest_enrollment or NO_ENROLLMENT
    if expedite_granted_at is not None:
        return (0, expedite_granted_at, enrolled, registered_at, family_unit_id)
    return (1, NOT_EXPEDITED, enrolled, registered_at, family_unit_id)
