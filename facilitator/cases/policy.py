"""Who may see and change a case and its consent: the object-level rules (SECURITY.md A7)."""

from __future__ import annotations

from facilitator.cases.models import Case
from facilitator.groups.policy import can_see_cases, is_group_procesbegeleider, is_member
from facilitator.users.models import User


def can_view_case(user: User, case: Case) -> bool:
    """See a case under its pseudonym: group members and the region's projectleider; never the
    beheerder."""
    return can_see_cases(user, case.group)


def can_edit_case(user: User, case: Case) -> bool:
    """Edit description, criteria, status: the bringer and the procesbegeleiders, as members."""
    return (
        can_see_cases(user, case.group)
        and is_member(user, case.group)
        and (user.id == case.brought_by_id or is_group_procesbegeleider(user, case.group))
    )


def can_manage_consent(user: User, case: Case) -> bool:
    """Record, extend or withdraw consent: members of the group from the bringing organisation,
    and the group's procesbegeleiders."""
    return _bringing_side_or_procesbegeleider(user, case)


def can_assign_regie(user: User, case: Case) -> bool:
    """Give or hand over the regie of a case: the group's procesbegeleiders, and the members
    from the bringing organisation (who know the client's situation, as with consent). The
    projectleider reads the regie but takes no part in choosing it."""
    return _bringing_side_or_procesbegeleider(user, case)


def _bringing_side_or_procesbegeleider(user: User, case: Case) -> bool:
    if not (can_see_cases(user, case.group) and is_member(user, case.group)):
        return False
    return user.organisation_id == case.organisation_id or is_group_procesbegeleider(
        user, case.group
    )
