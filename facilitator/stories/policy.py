"""Who may read, write, edit, approve and delete a group's stories (SECURITY.md A7).

A story may name one of the group's cases by pseudonym, so it is read where the group's cases
are: by its members and by the region's projectleider (read-only); never by the beheerder, and
never by a beleidsgroeplid (who reads approved stories on the dashboard, without pseudonym).
Members write; the author or the group's procesbegeleider edits; only the procesbegeleider
approves or sends back.
"""

from __future__ import annotations

from facilitator.groups.models import CaseGroup
from facilitator.groups.policy import can_see_cases, is_group_procesbegeleider, is_member
from facilitator.stories.models import Story
from facilitator.users.models import User


def can_read_stories(user: User, group: CaseGroup) -> bool:
    return can_see_cases(user, group)


def can_write_stories(user: User, group: CaseGroup) -> bool:
    """Members of an active group, its procesbegeleider included."""
    return group.active and can_see_cases(user, group) and is_member(user, group)


def can_read_story(user: User, story: Story) -> bool:
    return can_read_stories(user, story.group)


def can_edit_story(user: User, story: Story) -> bool:
    """The author, while still a member, or the group's procesbegeleider."""
    return can_write_stories(user, story.group) and (
        story.is_written_by(user) or is_group_procesbegeleider(user, story.group)
    )


def can_submit_story(user: User, story: Story) -> bool:
    return story.status.is_draft and can_edit_story(user, story)


def can_delete_story(user: User, story: Story) -> bool:
    """A draft (or a story sent back) only: an approved story is sent back first."""
    return story.status.is_draft and can_edit_story(user, story)


def can_approve_story(user: User, story: Story) -> bool:
    """The group's leader, the procesbegeleider, of an active group."""
    return story.group.active and is_group_procesbegeleider(user, story.group)
