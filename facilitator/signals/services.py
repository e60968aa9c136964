"""Record how a signal stands with the beleidsgroep: the projectleider's one workflow here.

It takes the acting user, screens the decision, keeps the change in the signal's timeline,
writes its audit row and flushes, never commits.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.mentions import named_cases
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.localtime import local_date, local_today
from facilitator.meetings.models import Finding
from facilitator.privacy import guard
from facilitator.signals.models import SignalFollowUp, SignalStatus, SignalUpdate
from facilitator.signals.policy import can_follow_up, meeting_of
from facilitator.users.models import User
from facilitator.versions import EditConflict, claim_version

#: The decision in a sentence or two, as the form allows.
MAX_DECISION = 1000


def record_follow_up(
    finding: Finding,
    *,
    status: SignalStatus | str,
    decision: str,
    decided_on: date | None,
    expected_version: int | None,
    actor: User,
    confirmed: bool = False,
) -> SignalFollowUp:
    """Record the signal's status and the beleidsgroep's decision, as of ``decided_on``.

    ``expected_version`` is the follow-up's version the form showed (0: none yet; None: no
    form, compare with what is loaded). A record made on an older version is refused with
    what is saved now (facilitator.versions); the change is kept in the timeline.
    """
    if not can_follow_up(actor, finding):
        raise ServiceError(_l("Only the project leader of the region follows up its signals."))
    if not finding.signal:
        raise ServiceError(_l("This finding is no longer a signal for the policy group."))
    new_status = SignalStatus(status)
    decision = (decision or "").strip()
    _check(finding, new_status, decision, decided_on)
    # Screened before anything is written: SQLite's savepoint below may be the transaction.
    guard.screen(
        {"decision": decision},
        actor=actor,
        on=finding,
        confirmed=confirmed,
        field_prefix="follow_up/",
    )
    follow_up, before = _claim(finding, new_status, decision, decided_on, expected_version, actor)
    follow_up.status = new_status
    follow_up.decision = decision
    follow_up.decided_on = decided_on
    follow_up.recorded_by_id = actor.id
    follow_up.recorded_at = utcnow()  # the next meeting tells what was recorded since the last
    follow_up.updates.append(
        SignalUpdate(status=new_status, decision=decision, decided_on=decided_on, by_id=actor.id)
    )
    db.session.flush()
    record(
        "signal_follow_up",
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=actor,
        object_type="signal_follow_ups",
        object_id=follow_up.id,
        case_pseudonym=finding.case.pseudonym if finding.case is not None else "",
        reason=f"{before or SignalStatus.NIEUW.value}->{new_status.value}",
    )
    return follow_up


def follow_up_of(finding: Finding) -> SignalFollowUp | None:
    """The signal's follow-up, if one was recorded."""
    return db.session.scalar(select(SignalFollowUp).where(SignalFollowUp.finding_id == finding.id))


def _claim(finding, status, decision, decided_on, expected, actor) -> tuple[SignalFollowUp, str]:
    """The follow-up to change, its version claimed, and its status before ("" when new)."""
    follow_up = follow_up_of(finding)
    if follow_up is not None:
        claim_version(follow_up, expected)
        return follow_up, follow_up.status.value
    if expected not in (None, 0):  # the form showed a follow-up that is gone
        raise ServiceError(_l("This signal changed in the meantime; reload the page."))
    follow_up = SignalFollowUp(
        finding_id=finding.id,
        status=status,
        decision=decision,
        decided_on=decided_on,
        recorded_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(follow_up)
    except IntegrityError:  # recorded by someone else a moment ago
        raise EditConflict(follow_up_of(finding)) from None
    return follow_up, ""


def _raised_on(finding: Finding) -> date:
    """The day the signal was raised: its meeting's, or the day it ran when started early."""
    meeting = meeting_of(finding)
    moments = [meeting.scheduled_at] + ([meeting.started_at] if meeting.started_at else [])
    return local_date(min(moments))


def _check(finding: Finding, status: SignalStatus, decision: str, decided_on) -> None:
    if status.needs_decision and not decision:
        raise ServiceError(
            _l("Write the decision of the policy group in a sentence."), field="decision"
        )
    if len(decision) > MAX_DECISION:
        raise ServiceError(_l("This decision is too long."), field="decision")
    if named_cases([decision]):  # the beleidsgroep reads the decision (dashboard)
        raise ServiceError(
            _l("Name no case in the decision: the policy group reads it."), field="decision"
        )
    if decided_on is None:
        raise ServiceError(_l("Give the date of the decision or status."), field="decided_on")
    if decided_on > local_today():
        raise ServiceError(_l("The date lies in the future."), field="decided_on")
    if decided_on < _raised_on(finding):
        raise ServiceError(
            _l("The date lies before the meeting that raised the signal."), field="decided_on"
        )
