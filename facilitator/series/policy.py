"""Who may plan, change and read a series: its group's procesbegeleiders plan and change it;
the region's projectleider reads it."""

from __future__ import annotations

from facilitator.groups import policy as groups
from facilitator.groups.models import CaseGroup
from facilitator.series.models import MeetingSeries
from facilitator.users.models import Role, User


def can_plan_series(user: User, group: CaseGroup) -> bool:
    return group.active and groups.is_group_procesbegeleider(user, group)


def can_change_series(user: User, series: MeetingSeries) -> bool:
    """Extend or end a series: the procesbegeleiders of its group, while the group is active."""
    return can_plan_series(user, series.group)


def can_read_series_of(user: User, group: CaseGroup) -> bool:
    return groups.is_group_procesbegeleider(user, group) or (
        user.role == Role.PROJECTLEIDER and groups.in_region(user, group)
    )


def can_view_series(user: User, series: MeetingSeries) -> bool:
    return can_read_series_of(user, series.group)
