"""Who may read and who may answer the preparation of a meeting's cases (SECURITY.md A7).

The answers are about a client under pseudonym: the group's members and the region's
projectleider read them, never the beheerder. A member of the group answers while the meeting
is planned, for a case that may be prepared for it (:func:`preparable_case_ids`).
"""

from __future__ import annotations

from facilitator.cases.models import Case
from facilitator.groups.policy import can_see_cases, is_member
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.preparation.queries import preparable_case_ids
from facilitator.users.models import Role, User


def can_read_preparation(user: User, meeting: Meeting) -> bool:
    """See the questions and answers of a meeting's cases: those who may see its cases."""
    return can_see_cases(user, meeting.group)


def is_open_for_answers(meeting: Meeting) -> bool:
    """Answers are given before the meeting: while it is planned, in an active group."""
    return meeting.status == MeetingStatus.GEPLAND and meeting.group.active


def can_answer(user: User, meeting: Meeting) -> bool:
    """Answer the handreiking: a member of the group (not the beheerder) before the meeting."""
    return (
        is_open_for_answers(meeting)
        and user.role != Role.BEHEERDER
        and is_member(user, meeting.group)
    )


def case_to_prepare(meeting: Meeting):
    """A rule for a case in the URL of a meeting's preparation: one that may be prepared for it."""

    def case_preparable_for_this_meeting(_user: User, case: Case) -> bool:
        return case.id in preparable_case_ids(meeting)

    return case_preparable_for_this_meeting
