"""Who may open a call for cases, propose a case, and decide on a proposal (SECURITY.md A7).

A proposal names a case of the group: like the agenda, it is for the group's members. The
call is the procesbegeleider's, who accepts proposals onto the agenda or declines them; any
member (the procesbegeleider too) proposes, and withdraws their own proposal.
"""

from __future__ import annotations

from facilitator.groups import policy as groups
from facilitator.meetings.models import Meeting
from facilitator.proposals.models import CaseProposal
from facilitator.users.models import User


def can_lead_call(user: User, meeting: Meeting) -> bool:
    """Open or close the call, accept or decline proposals: the group's procesbegeleiders."""
    return meeting.group.active and groups.is_group_procesbegeleider(user, meeting.group)


def can_propose(user: User, meeting: Meeting) -> bool:
    """Propose a case (or register one on the spot): the members of an active group."""
    return groups.can_register_case(user, meeting.group)


def is_proposer(user: User, proposal: CaseProposal) -> bool:
    return proposal.proposed_by_id == user.id
