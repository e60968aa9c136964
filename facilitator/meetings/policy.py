"""Who may see, plan and run a meeting."""

from __future__ import annotations

from facilitator.groups import policy as groups
from facilitator.meetings.models import Meeting
from facilitator.users.models import User


def can_view_meeting(user: User, meeting: Meeting) -> bool:
    return groups.can_view_group(user, meeting.group) and (
        groups.is_member(user, meeting.group) or groups.can_manage_group(user, meeting.group)
    )


def can_plan_meetings(user: User, group) -> bool:
    """Plan, change the agenda, attendance: the group's procesbegeleiders and its managers."""
    return group.active and (
        groups.is_group_procesbegeleider(user, group) or groups.can_manage_group(user, group)
    )


def can_run_meeting(user: User, meeting: Meeting) -> bool:
    """Open the facilitation screen and type in it: the group's procesbegeleiders."""
    return groups.is_group_procesbegeleider(user, meeting.group)


def can_change_agenda(user: User, meeting: Meeting) -> bool:
    """Put cases on the agenda, move them, record who sat at the table for one: planners who
    may see the group's cases (not the beheerder)."""
    return can_plan_meetings(user, meeting.group) and groups.can_see_cases(user, meeting.group)


def can_follow_presentation(user: User, meeting: Meeting) -> bool:
    """The projector view shows case pseudonyms: never to the beheerder."""
    return can_view_meeting(user, meeting) and groups.can_see_cases(user, meeting.group)


def can_read_minutes(user: User, meeting: Meeting) -> bool:
    """The minutes name the cases: the group's members (and so its procesbegeleiders) and the
    region's projectleider; never the beheerder."""
    return can_view_meeting(user, meeting) and groups.can_see_cases(user, meeting.group)


def action_of_group(meeting: Meeting):
    """A rule for an action reviewed in this meeting: one of the same group's meetings."""

    def action_of_this_group(_user: User, action) -> bool:
        return action.group_id == meeting.group_id

    return action_of_this_group
