"""Who may do what with a casusgroep and its cases: the object-level rules (SECURITY.md A7).

Routes declare who may use them at all (facilitator.auth.access); these functions decide per
object. Views load objects through :func:`facilitator.loading.load_or_deny`, which applies them
and logs every denial. The rules for cases are in :mod:`facilitator.cases.policy`.
"""

from __future__ import annotations

from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload

from facilitator.auth.access import WORKING_ROLES
from facilitator.groups.models import CaseGroup, GroupMembership, GroupRole
from facilitator.users.models import Role, User


def in_region(user: User, group: CaseGroup) -> bool:
    return user.organisation.region_id == group.region_id


def is_member(user: User, group: CaseGroup) -> bool:
    """A membership of a working role: a read-only role (the beleidsgroeplid) is never a
    member, even with a row left from before its role changed (fail closed)."""
    return user.role in WORKING_ROLES and group.membership_of(user) is not None


def is_group_procesbegeleider(user: User, group: CaseGroup) -> bool:
    membership = group.membership_of(user) if user.role in WORKING_ROLES else None
    return membership is not None and membership.role == GroupRole.PROCESBEGELEIDER


def can_view_group(user: User, group: CaseGroup) -> bool:
    if user.role == Role.BEHEERDER:
        return True
    if user.role == Role.PROJECTLEIDER:
        return in_region(user, group)
    return is_member(user, group)


def can_manage_group(user: User, group: CaseGroup) -> bool:
    """Edit the group's settings, criteria and archive state."""
    return user.role == Role.BEHEERDER or (
        user.role == Role.PROJECTLEIDER and in_region(user, group)
    )


def can_create_groups(user: User) -> bool:
    return user.role in (Role.BEHEERDER, Role.PROJECTLEIDER)


def can_manage_members(user: User, group: CaseGroup) -> bool:
    return can_manage_group(user, group) or is_group_procesbegeleider(user, group)


def can_register_case(user: User, group: CaseGroup) -> bool:
    return group.active and is_member(user, group) and user.role != Role.BEHEERDER


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
    if user.role not in WORKING_ROLES:
        return query.where(false())
    return query.join(GroupMembership).where(GroupMembership.user_id == user.id)


def can_see_cases(user: User, group: CaseGroup) -> bool:
    """See the group's cases under pseudonym: members and the region's projectleider; never the
    beheerder, who manages groups but sees no case data (README, Roles)."""
    if user.role == Role.BEHEERDER:
        return False
    if user.role == Role.PROJECTLEIDER and in_region(user, group):
        return True
    return is_member(user, group)


def person_of_region(group: CaseGroup):
    """A rule for choosing a person in the group's region (a new member, an action owner)."""

    def person_of_the_groups_region(_user: User, person: User) -> bool:
        return person.organisation.region_id == group.region_id

    return person_of_the_groups_region
