"""Reads of calls and proposals for the meeting page, the proposal page and the start page:
each a fixed number of queries, whatever the number of proposals or calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from facilitator.cases.models import Case, CaseStatus
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, GroupMembership
from facilitator.meetings.models import AgendaItem, Meeting, MeetingStatus
from facilitator.proposals.models import CaseCall, CaseProposal, ProposalStatus
from facilitator.proposals.policy import can_lead_call, can_propose
from facilitator.users.models import User


@dataclass(frozen=True)
class CallPanel:
    """What the meeting page shows of its call for cases: the call and every proposal."""

    call: CaseCall | None
    proposals: list[CaseProposal] = field(default_factory=list)

    @property
    def waiting(self) -> list[CaseProposal]:
        return [p for p in self.proposals if p.is_open]

    @property
    def decided(self) -> list[CaseProposal]:
        return [p for p in self.proposals if not p.is_open]


def _proposals(meeting: Meeting):
    return (
        select(CaseProposal)
        .where(CaseProposal.meeting_id == meeting.id)
        .options(
            joinedload(CaseProposal.case).joinedload(Case.organisation),
            joinedload(CaseProposal.proposed_by),
            selectinload(CaseProposal.criteria),
        )
        .order_by(CaseProposal.proposed_at, CaseProposal.id)
    )


def meeting_panel(meeting: Meeting) -> CallPanel:
    """The meeting's call and all its proposals, oldest first: three queries at most."""
    call = db.session.scalar(select(CaseCall).where(CaseCall.meeting_id == meeting.id))
    if call is None:
        return CallPanel(None)
    return CallPanel(call, list(db.session.scalars(_proposals(meeting)).unique()))


def proposals_by(meeting: Meeting, user: User) -> list[CaseProposal]:
    """The proposals a user made for the meeting, oldest first."""
    query = _proposals(meeting).where(CaseProposal.proposed_by_id == user.id)
    return list(db.session.scalars(query).unique())


def candidates(meeting: Meeting) -> list[Case]:
    """The group's open cases that are neither on the agenda nor waiting as a proposal."""
    on_agenda = select(AgendaItem.case_id).where(AgendaItem.meeting_id == meeting.id)
    proposed = select(CaseProposal.case_id).where(
        CaseProposal.meeting_id == meeting.id, CaseProposal.status == ProposalStatus.VOORGESTELD
    )
    return list(
        db.session.scalars(
            select(Case)
            .where(
                Case.group_id == meeting.group_id,
                Case.status != CaseStatus.AFGESLOTEN,
                Case.id.not_in(on_agenda),
                Case.id.not_in(proposed),
            )
            .options(joinedload(Case.organisation))
            .order_by(Case.pseudonym)
        )
    )


def open_calls_for(user: User, today: date) -> list[CaseCall]:
    """The calls a member may still answer, in the groups they belong to, by deadline."""
    return list(
        db.session.scalars(
            select(CaseCall)
            .join(CaseCall.meeting)
            .join(Meeting.group)
            .join(GroupMembership, GroupMembership.group_id == CaseGroup.id)
            .where(
                GroupMembership.user_id == user.id,
                CaseGroup.active,
                Meeting.status == MeetingStatus.GEPLAND,
                CaseCall.closed.is_(False),
                CaseCall.deadline >= today,
            )
            .options(contains_eager(CaseCall.meeting).contains_eager(Meeting.group))
            .order_by(CaseCall.deadline, CaseCall.id)
        )
    )


@dataclass(frozen=True)
class ProposalPage:
    """The proposal page of one member: the meeting's call, whether it takes proposals, and
    the member's own proposals."""

    meeting: Meeting
    call: CaseCall | None
    accepting: bool
    mine: list[CaseProposal]


def proposal_page(meeting: Meeting, user: User, today: date) -> ProposalPage:
    call = db.session.scalar(select(CaseCall).where(CaseCall.meeting_id == meeting.id))
    accepting = call is not None and call.accepts_proposals(today)
    return ProposalPage(meeting, call, accepting, proposals_by(meeting, user))


@dataclass(frozen=True)
class MeetingCalls:
    """What the meeting page shows of the call for cases, for the user looking."""

    panel: CallPanel
    can_lead: bool
    can_propose: bool
    accepting: bool


def for_meeting_page(meeting: Meeting, user: User, today: date) -> MeetingCalls:
    """The meeting page's call-for-cases section (the views include proposals/_meeting.html)."""
    panel = meeting_panel(meeting)
    accepting = panel.call is not None and panel.call.accepts_proposals(today)
    return MeetingCalls(panel, can_lead_call(user, meeting), can_propose(user, meeting), accepting)
