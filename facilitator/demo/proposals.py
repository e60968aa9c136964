"""Demo call for cases: the next planned meeting of the first group asks for cases until a
week from today, and the klantmanager has proposed a case the group discussed before, for
follow-up; it waits for the procesbegeleider on the meeting page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from facilitator.cases.models import Case, CaseStatus
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_today
from facilitator.meetings.models import AgendaItem, Meeting, MeetingStatus
from facilitator.proposals import services
from facilitator.users.models import User

DEADLINE_IN = timedelta(days=7)
MESSAGE = (
    "Voor de volgende bijeenkomst zoeken we nog een casus waarin de overgang van "
    "behandeling naar werk stokt. Denk ook aan cliënten die al eerder besproken zijn."
)
NOTE = "De proefplaats is gestart; graag samen kijken wie de begeleiding op de werkvloer oppakt."


def seed_demo_proposals(group: CaseGroup, leader: User, proposer: User) -> None:
    """An open call for the group's next planned meeting, with one proposal waiting."""
    meeting = db.session.scalars(
        select(Meeting)
        .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.GEPLAND)
        .order_by(Meeting.scheduled_at)
    ).first()
    if meeting is None:
        return
    services.open_call(meeting, deadline=local_today() + DEADLINE_IN, message=MESSAGE, actor=leader)
    on_agenda = select(AgendaItem.case_id).where(AgendaItem.meeting_id == meeting.id)
    case = db.session.scalars(
        select(Case)
        .where(
            Case.group_id == group.id,
            Case.status != CaseStatus.AFGESLOTEN,
            Case.id.not_in(on_agenda),
        )
        .order_by(Case.id)
    ).first()
    if case is None:
        return
    services.propose_case(
        meeting,
        case,
        actor=proposer,
        criteria_ids={c.id for c in group.active_criteria},
        note=NOTE,
    )
