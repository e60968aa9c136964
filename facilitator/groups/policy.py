"""Who may do what with a casusgroep and its cases: the object-level rules (SECURITY.md A7).

Routes declare who may use them at all (facilitator.auth.access); these functions decide per
object. Views load objects through :mod:`facilitator.groups.loaders`, which applies them and
logs every denial.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from facilitator.groups.models import CaseGroup, GroupMembership, GroupRole
from facilitator.users.models import Role, User

if TYPE_CHECKING:
    from facilitator.cases.models import Case


def _in_region(user: User, group: CaseGroup) -> bool:
    return user.organisation.region_id == group.region_id


def is_member(user: User, group: CaseGroup) -> bool:
    return group.membership_of(user) is not None


def is_group_procesbegeleider(user: User, group: CaseGroup) -> bool:
    membership = group.membership_of(user)
    return membership is not None and membership.role == GroupRole.PROCESBEGELEIDER


def can_view_group(user: User, group: CaseGroup) -> bool:
    if user.role == Role.BEHEERDER:
        return True
    if user.role == Role.PROJECTLEIDER:
        return _in_region(user, group)
    return is_member(user, group)


def can_manage_group(user: User, group: CaseGroup) -> bool:
    """Edit the group's settings, criteria and archive state."""
    return user.role == Role.BEHEERDER or (
        user.role == Role.PROJECTLEIDER and _in_region(user, group)
    )


def can_create_groups(user: User) -> bool:
    return user.role in (Role.BEHEERDER, Role.PROJECTLEIDER)


def can_manage_members(user: User, group: CaseGroup) -> bool:
    return can_manage_group(user, group) or is_group_procesbegeleider(user, group)


def can_register_case(user: User, group: CaseGroup) -> bool:
    return group.active and is_member(user, group)


def can_view_case(user: User, case: Case) -> bool:
    """See a case under its pseudonym: group members and the region's projectleider."""
    if user.role == Role.PROJECTLEIDER:
        return _in_region(user, case.group)
    return is_member(user, case.group)


def can_edit_case(user: User, case: Case) -> bool:
    """Edit description, criteria, status: the bringer and the procesbegeleiders, as members."""
    return is_member(user, case.group) and (
        user.id == case.brought_by_id or is_group_procesbegeleider(user, case.group)
    )


def can_manage_consent(user: User, case: Case) -> bool:
    """Record, extend or withdraw consent: members of the group from the bringing organisation,
    and the group's procesbegeleiders."""
    if not is_member(user, case.group):
        return False
    return user.organisation_id == case.organisation_id or is_group_procesbegeleider(
        user, case.group
    )


def visible_groups(user: User) -> Select:
    """Select the groups a user may see, by name."""
    query = (
        select(CaseGroup)
        .options(  # the list shows region and procesbegeleiders: load them with the page
            selectinload(CaseGroup.region),
            selectinload(CaseGroup.memberships).selectinload(GroupMembership.user),
        )
        .order_by(CaseGroup.active.desc(), CaseGroup.name)
    )
    if user.role == Role.BEHEERDER:
        return query
    if user.role == Role.PROJECTLEIDER:
        return query.where(CaseGroup.region_id == user.organisation.region_id)
    return query.join(GroupMembership).where(GroupMembership.user_id == user.id)
