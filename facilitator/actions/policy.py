"""Who may see, create, edit and update an action (SECURITY.md A7).

An action is client-related when it concerns a case, and a group's board shows its cases'
pseudonyms: members of the group and the region's projectleider see them (the projectleider
read-only), never the beheerder. The owner always sees and updates their own action, also
after leaving the group; a member records the terugkoppeling of a contact without an account.
"""

from __future__ import annotations

from facilitator.actions.models import ActionItem
from facilitator.groups.models import CaseGroup
from facilitator.groups.policy import can_see_cases, is_member
from facilitator.users.models import User


def can_view_board(user: User, group: CaseGroup) -> bool:
    return can_see_cases(user, group)


def can_add_actions(user: User, group: CaseGroup) -> bool:
    """Agree an action on the board or a case page: members of an active group."""
    return group.active and can_see_cases(user, group) and is_member(user, group)


def can_view_action(user: User, action: ActionItem) -> bool:
    return action.is_owned_by(user) or can_see_cases(user, action.group)


def can_update_action(user: User, action: ActionItem) -> bool:
    """Record how it stands (status, terugkoppeling): the owner, or a member of the group."""
    return action.is_owned_by(user) or (
        can_see_cases(user, action.group) and is_member(user, action.group)
    )


def can_edit_action(user: User, action: ActionItem) -> bool:
    """Change what, who, by when and the case: members of the group while it is active."""
    return can_add_actions(user, action.group)
