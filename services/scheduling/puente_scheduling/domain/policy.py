"""Which policy content scheduling can apply. Scheduling owns sites and the queue, so it is the
judge of a policy's scheduling part even when notifications checked it before announcing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from puente_schemas.common import FieldError, PolicyChanges, SiteChange

from puente_scheduling.domain.sites import Policy, Site


def policy_errors(changes: PolicyChanges, sites: Mapping[str, Site]) -> list[FieldError]:
    """Every problem, one per offending field; an empty list means it can be applied whole."""
    return changes.errors(sites)


def changed_site(site: Site, change: SiteChange) -> Site:
    return dataclasses.replace(
        site,
        open=site.open if change.open is None else change.open,
        capacity_per_day=(
            site.capacity_per_day if change.capacity_per_day is None else change.capacity_per_day
        ),
    )


def changed_policy(policy: Policy, changes: PolicyChanges) -> Policy:
    if changes.min_notice_hours is not None:
        policy = dataclasses.replace(
            policy, min_notice=dt.timedelta(hours=changes.min_notice_hours)
        )
    if changes.eligible_categories is not None:
        policy = dataclasses.replace(policy, eligible=frozenset(changes.eligible_categories))
    return policy
