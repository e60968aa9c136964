"""Call-for-cases workflows: open and close a call, propose a case, withdraw, accept, decline.

Each takes the acting user, screens what was typed, writes its audit row and flushes, never
commits. The mails that go with them (facilitator.proposals.letters) are sent by the caller
after its commit: the claims in mail_deliveries want no write pending in the session.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.services import missing_mandatory
from facilitator.localtime import local_date, local_today
from facilitator.meetings import planning
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.privacy import guard
from facilitator.proposals.models import CaseCall, CaseProposal, ProposalStatus
from facilitator.users.models import User

#: What a call's message, a proposal's note and a decline reason may hold, as the forms allow.
MAX_MESSAGE = 2000
MAX_NOTE = 1000
MAX_REASON = 1000


def call_of(meeting: Meeting) -> CaseCall | None:
    """The meeting's call for cases, if one was opened."""
    return db.session.scalar(select(CaseCall).where(CaseCall.meeting_id == meeting.id))


def open_call(
    meeting: Meeting, *, deadline: date | None, message: str, actor: User, confirmed: bool = False
) -> CaseCall:
    """Ask the group's members for cases for a planned meeting, until ``deadline``."""
    if meeting.status != MeetingStatus.GEPLAND or not meeting.group.active:
        raise ServiceError(_l("A call for cases is for a planned meeting of an active group."))
    if call_of(meeting) is not None:
        raise ServiceError(_l("This meeting already has a call for cases."))
    if deadline is None:
        raise ServiceError(_l("Give the last day for proposals."), field="deadline")
    if deadline < local_today():
        raise ServiceError(_l("The deadline lies in the past."), field="deadline")
    if deadline >= local_date(meeting.scheduled_at):
        raise ServiceError(_l("The deadline must lie before the day of the meeting."), "deadline")
    if len(message.strip()) > MAX_MESSAGE:
        raise ServiceError(_l("This message is too long."), field="message")
    call = CaseCall(
        meeting_id=meeting.id, deadline=deadline, message=message.strip(), opened_by_id=actor.id
    )
    call.meeting = meeting
    guard.screen({"message": message}, actor=actor, on=call, confirmed=confirmed)
    db.session.add(call)
    db.session.flush()
    record(
        "case_call_opened",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="case_call",
        object_id=call.id,
        reason=f"meeting {meeting.id}, deadline {deadline.isoformat()}",
    )
    return call


def close_call(call: CaseCall, *, actor: User) -> None:
    """End the call before its deadline: no more proposals; the open ones wait for a decision."""
    if call.closed:
        raise ServiceError(_l("This call for cases is closed already."))
    call.closed = True
    db.session.flush()
    record(
        "case_call_closed",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_call",
        object_id=call.id,
    )


def propose_case(
    meeting: Meeting,
    case: Case,
    *,
    actor: User,
    criteria_ids: set[int],
    note: str = "",
    confirmed: bool = False,
) -> CaseProposal:
    """Propose a case of the group for the meeting, confirming the group's criteria it meets.

    Refused after the deadline, for a case on the agenda or proposed already, and when a
    mandatory selection criterion of the group is not confirmed.
    """
    call = call_of(meeting)
    if call is None:
        raise ServiceError(_l("There is no call for cases for this meeting."))
    if not call.accepts_proposals(local_today()):
        raise ServiceError(
            _l("The call for cases of this meeting is closed: the deadline has passed.")
        )
    _check_case(meeting, case)
    group = meeting.group
    by_id = {criterion.id: criterion for criterion in group.active_criteria}
    if criteria_ids - set(by_id):
        raise ServiceError(_l("Choose only criteria of this group."), field="criteria")
    missing = missing_mandatory(group, criteria_ids)
    if missing:
        raise ServiceError(
            _l(
                "Confirm that the case meets the mandatory criterion: %(text)s",
                text=missing[0].text,
            ),
            field="criteria",
        )
    if len(note.strip()) > MAX_NOTE:
        raise ServiceError(_l("This note is too long."), field="note")
    proposal = CaseProposal(
        meeting_id=meeting.id,
        case_id=case.id,
        proposed_by_id=actor.id,
        note=note.strip(),
        criteria=[by_id[i] for i in sorted(criteria_ids)],
    )
    guard.screen({"note": note}, actor=actor, on=proposal, confirmed=confirmed)
    db.session.add(proposal)
    db.session.flush()
    record(
        "case_proposed",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="case_proposal",
        object_id=proposal.id,
        case_pseudonym=case.pseudonym,
        reason=f"meeting {meeting.id}",
    )
    return proposal


def _check_case(meeting: Meeting, case: Case) -> None:
    if case.group_id != meeting.group_id:
        raise ServiceError(_l("Choose a case of this group."), field="case_id")
    if case.is_closed:
        raise ServiceError(_l("A closed case cannot be proposed."), field="case_id")
    if any(item.case_id == case.id for item in meeting.agenda):
        raise ServiceError(_l("This case is already on the agenda."), field="case_id")
    already = db.session.scalar(
        select(CaseProposal.id).where(
            CaseProposal.meeting_id == meeting.id,
            CaseProposal.case_id == case.id,
            CaseProposal.status == ProposalStatus.VOORGESTELD,
        )
    )
    if already is not None:
        raise ServiceError(_l("This case has been proposed for this meeting already."), "case_id")


def withdraw_proposal(proposal: CaseProposal, *, actor: User) -> None:
    """The proposer takes back a proposal that waits for a decision."""
    _decide(proposal, ProposalStatus.INGETROKKEN, actor=actor, event="case_proposal_withdrawn")


def accept_proposal(proposal: CaseProposal, *, actor: User) -> None:
    """Put the proposed case on the meeting's agenda (also after the deadline)."""
    # Decided first: a second decision made at the same time stops here, before the agenda.
    _decide(proposal, ProposalStatus.GEACCEPTEERD, actor=actor, event="case_proposal_accepted")
    planning.add_to_agenda(proposal.meeting, proposal.case, actor=actor)


def decline_proposal(
    proposal: CaseProposal, *, reason: str, actor: User, confirmed: bool = False
) -> None:
    """Decline a proposal with a reason for the proposer."""
    if not reason.strip():
        raise ServiceError(_l("Give the proposer a reason."), field="reason")
    if len(reason.strip()) > MAX_REASON:
        raise ServiceError(_l("This reason is too long."), field="reason")
    guard.screen({"reason": reason}, actor=actor, on=proposal, confirmed=confirmed)
    _decide(
        proposal,
        ProposalStatus.AFGEWEZEN,
        actor=actor,
        event="case_proposal_declined",
        decline_reason=reason.strip(),
    )


def _decide(
    proposal: CaseProposal, status: ProposalStatus, *, actor: User, event: str, **values
) -> None:
    """Decide a proposal that still waits. The row changes only while it waits (SECURITY.md
    R3): of two decisions made at once (an accept and a decline, two accepts), the second
    finds it decided instead of overwriting the first."""
    if not proposal.is_open:
        raise ServiceError(_l("This proposal has been decided already."))
    result = db.session.execute(
        update(CaseProposal)
        .where(CaseProposal.id == proposal.id, CaseProposal.status == ProposalStatus.VOORGESTELD)
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ServiceError(_l("This proposal has been decided already."))
    db.session.refresh(proposal)
    record(
        event,
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_proposal",
        object_id=proposal.id,
        case_pseudonym=proposal.case.pseudonym,
    )
