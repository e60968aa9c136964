"""Who may compile the logbook and read its editions: the projectleider of the region; the
region's beleidsgroepleden read the issued editions and the feedback on them, nothing more.

The logbook counts cases and quotes findings across every group of the region: the
projectleider's work (DOMAIN.md). The beheerder sees no client-related content, a
procesbegeleider or member only their own groups.
"""

from __future__ import annotations

from facilitator.exports.models import FeedbackBody, LogbookEdition
from facilitator.groups.models import CaseGroup
from facilitator.regions.models import Region
from facilitator.users.models import Role, User


def leads_region(user: User, region_id: int) -> bool:
    return user.role == Role.PROJECTLEIDER and user.organisation.region_id == region_id


def sits_on_policy_group(user: User, region_id: int) -> bool:
    return user.role == Role.BELEIDSGROEPLID and user.organisation.region_id == region_id


def can_read_edition(user: User, edition: LogbookEdition) -> bool:
    """The projectleider of the edition's region, who issues the logbook, and the region's
    beleidsgroepleden, to whom it is put: an edition counts cases and names no pseudonym."""
    return leads_region(user, edition.region_id) or sits_on_policy_group(user, edition.region_id)


def can_record_feedback(user: User, edition: LogbookEdition) -> bool:
    """The projectleider records what the klankbordgroep and the beleidsgroep said about it."""
    return leads_region(user, edition.region_id)


def can_chart_group(user: User, group: CaseGroup) -> bool:
    return leads_region(user, group.region_id)


def can_keep_feedback_bodies(user: User, region: Region) -> bool:
    """The beheerder in every region; the projectleider, who records the feedback, in theirs."""
    return user.role == Role.BEHEERDER or leads_region(user, region.id)


def can_keep_feedback_body(user: User, body: FeedbackBody) -> bool:
    return can_keep_feedback_bodies(user, body.region)
