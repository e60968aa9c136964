"""Who may follow up a signal, and who hears back (SECURITY.md A7).

The projectleider of the region takes the signals to the beleidsgroep and records what it did
with them. The casusgroep hears back: whoever sees the group's cases (its members, its
procesbegeleiders, the region's projectleider), never the beheerder, who sees no client data.
The pages here show no pseudonym, but a signal's text is meeting content: the beleidsgroeplid
reads the follow-up only on the dashboard, without the case.
"""

from __future__ import annotations

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.groups.policy import can_see_cases
from facilitator.meetings.models import Finding, Meeting
from facilitator.regions.models import Region
from facilitator.users.models import Role, User


def is_projectleider_of(user: User, region_id: int) -> bool:
    return user.role == Role.PROJECTLEIDER and user.organisation.region_id == region_id


def can_list_signals(user: User, region: Region) -> bool:
    """The region's list of signals: its projectleider."""
    return is_projectleider_of(user, region.id)


def meeting_of(finding: Finding) -> Meeting:
    """The meeting that raised the finding (from the session's identity map when loaded)."""
    return db.session.get(Meeting, finding.meeting_id)


def can_follow_up(user: User, finding: Finding) -> bool:
    """Record and read a signal's follow-up: the projectleider of the finding's region."""
    return is_projectleider_of(user, meeting_of(finding).group.region_id)


def can_hear_back(user: User, group: CaseGroup) -> bool:
    """See the group's signals and what became of them: who sees the group's cases."""
    return can_see_cases(user, group)
