"""The records a meeting makes: findings, action items, regievoerders, building-block scores."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.localtime import local_date
from facilitator.meetings.models import (
    BUILDING_BLOCKS,
    ActionItem,
    ActionStatus,
    BuildingBlockScore,
    Finding,
    FindingKind,
    FindingLevel,
    Meeting,
    MeetingStatus,
    RegievoerderAssignment,
)
from facilitator.meetings.run import current_regievoerder, find_step, open_actions_before
from facilitator.privacy import guard
from facilitator.regions.models import Organisation
from facilitator.users.models import User

#: Why a record cannot be made or changed: the meeting is not (or no longer) running.
NOT_RUNNING = _l("This can be recorded while the meeting is in progress.")


def _require_running(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.LOPEND:
        raise ServiceError(NOT_RUNNING)


def _require_own(meeting: Meeting, item: Finding | ActionItem) -> None:
    # The views load the record within its meeting already; a service never trusts that.
    if item.meeting_id != meeting.id:
        raise ServiceError(_l("This record belongs to another meeting."))


def _changed(item: object, new: dict[str, object]) -> list[str]:
    """The names of the attributes that ``new`` changes: for the audit row, never the values."""
    return sorted(name for name, value in new.items() if getattr(item, name) != value)


def add_finding(
    meeting: Meeting,
    ref: str,
    *,
    kind: FindingKind | str,
    level: FindingLevel | str,
    text: str,
    organisations: list[Organisation],
    signal: bool,
    actor: User,
    confirmed: bool = False,
) -> Finding:
    """Record a knelpunt or kans at one of the four levels."""
    _require_running(meeting)
    case = find_step(meeting, ref).case
    _check_finding_text(text)
    finding = Finding(
        meeting_id=meeting.id,
        case_id=case.id if case else None,
        step_ref=ref,
        kind=FindingKind(kind),
        level=FindingLevel(level),
        text=text.strip(),
        signal=signal,
        organisations=organisations,
        created_by_id=actor.id,
    )
    guard.screen({"text": text}, actor=actor, on=finding, confirmed=confirmed)
    db.session.add(finding)
    db.session.flush()
    record(
        "finding_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="finding",
        object_id=finding.id,
        case_pseudonym=case.pseudonym if case else "",
    )
    return finding


def update_finding(
    meeting: Meeting,
    finding: Finding,
    *,
    kind: FindingKind | str,
    level: FindingLevel | str,
    text: str,
    organisations: list[Organisation],
    signal: bool,
    actor: User,
    confirmed: bool = False,
) -> Finding:
    """Correct a finding while its meeting runs; the text passes the guard before it is kept."""
    _require_running(meeting)
    _require_own(meeting, finding)
    _check_finding_text(text)
    guard.screen({"text": text}, actor=actor, on=finding, confirmed=confirmed)
    new = {
        "kind": FindingKind(kind),
        "level": FindingLevel(level),
        "text": text.strip(),
        "signal": signal,
    }
    changed = _changed(finding, new)
    if {o.id for o in finding.organisations} != {o.id for o in organisations}:
        changed.append("organisations")
    for name, value in new.items():
        setattr(finding, name, value)
    finding.organisations = list(organisations)
    db.session.flush()
    record(
        "finding_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="finding",
        object_id=finding.id,
        case_pseudonym=finding.case.pseudonym if finding.case else "",
        reason=",".join(changed) or "unchanged",
    )
    return finding


def _check_finding_text(text: str) -> None:
    if not text.strip():
        raise ServiceError(_l("Describe the finding."), field="text")


def remove_record(meeting: Meeting, item: Finding | ActionItem, *, actor: User) -> None:
    """Take back a finding or action recorded by mistake, while the meeting runs."""
    _require_running(meeting)
    record(
        f"{item.__tablename__}_removed",
        action=AuditAction.DELETE,
        actor=actor,
        object_type=item.__tablename__,
        object_id=item.id,
        case_pseudonym=item.case.pseudonym if item.case else "",
    )
    db.session.delete(item)


def add_action(
    meeting: Meeting,
    ref: str,
    *,
    description: str,
    owner: User,
    due_on: date,
    actor: User,
    confirmed: bool = False,
) -> ActionItem:
    """Record a follow-up action: what, who (and so which organisation), by when."""
    _require_running(meeting)
    case = find_step(meeting, ref).case
    _check_action(meeting, description, owner, due_on)
    action = ActionItem(
        meeting_id=meeting.id,
        case_id=case.id if case else None,
        step_ref=ref,
        description=description.strip(),
        owner_id=owner.id,
        organisation_id=owner.organisation_id,
        due_on=due_on,
        created_by_id=actor.id,
    )
    guard.screen(
        {"description": description},
        actor=actor,
        on=action,
        confirmed=confirmed,
    )
    db.session.add(action)
    db.session.flush()
    record(
        "action_created",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="action_item",
        object_id=action.id,
        case_pseudonym=case.pseudonym if case else "",
    )
    return action


def update_action(
    meeting: Meeting,
    action: ActionItem,
    *,
    description: str,
    owner: User,
    due_on: date,
    actor: User,
    confirmed: bool = False,
) -> ActionItem:
    """Correct an action of this meeting while it runs: what, who, by when."""
    _require_running(meeting)
    _require_own(meeting, action)
    _check_action(meeting, description, owner, due_on)
    guard.screen({"description": description}, actor=actor, on=action, confirmed=confirmed)
    new: dict[str, object] = {"description": description.strip(), "owner": owner, "due_on": due_on}
    if action.owner_id != owner.id:  # the organisation follows a new owner, not an old one's move
        new["organisation"] = owner.organisation
    changed = _changed(action, new)
    for name, value in new.items():
        setattr(action, name, value)
    db.session.flush()
    record(
        "action_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="action_item",
        object_id=action.id,
        case_pseudonym=action.case.pseudonym if action.case else "",
        reason=",".join(changed) or "unchanged",
    )
    return action


def _check_action(meeting: Meeting, description: str, owner: User, due_on: date) -> None:
    if not description.strip():
        raise ServiceError(_l("Describe the action."), field="description")
    if owner.organisation.region_id != meeting.group.region_id:
        raise ServiceError(_l("The owner must work in the group's region."), field="owner_id")
    if due_on < local_date(meeting.scheduled_at):
        raise ServiceError(_l("The due date lies before the meeting."), field="due_on")


def set_action_status(
    meeting: Meeting, action: ActionItem, status: ActionStatus | str, *, actor: User
) -> None:
    """In a running meeting's feedback round: mark an open action of an earlier meeting."""
    _require_running(meeting)
    if action not in open_actions_before(meeting):
        raise ServiceError(
            _l("Only open actions of earlier meetings of this group are reviewed here.")
        )
    action.status = ActionStatus(status)
    record(
        "action_status",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="action_item",
        object_id=action.id,
        case_pseudonym=action.case.pseudonym if action.case else "",
        reason=action.status.value,
    )


def assign_regievoerder(
    meeting: Meeting, case: Case, user: User, *, actor: User
) -> RegievoerderAssignment:
    """Make a user the case's regievoerder; the previous assignment ends (history is kept)."""
    _require_running(meeting)
    if user.organisation.region_id != case.group.region_id or not user.active:
        raise ServiceError(_l("Choose an active professional of the region."), field="user_id")
    current = current_regievoerder(case)
    if current is not None and current.user_id == user.id:
        return current
    now = utcnow()
    if current is not None:
        current.ended_at = now
    assignment = RegievoerderAssignment(
        case_id=case.id,
        user_id=user.id,
        organisation_id=user.organisation_id,
        meeting_id=meeting.id,
        started_at=now,
    )
    db.session.add(assignment)
    db.session.flush()
    record(
        "regievoerder_assigned",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case",
        object_id=case.id,
        case_pseudonym=case.pseudonym,
    )
    return assignment


def save_building_blocks(
    meeting: Meeting,
    scores: dict[str, int],
    *,
    went_well: str,
    could_be_better: str,
    actor: User,
    confirmed: bool = False,
) -> None:
    """Store the group's 1-5 scores on the six bouwstenen, and the two lines."""
    _require_running(meeting)
    if set(scores) != {key for key, _ in BUILDING_BLOCKS} or not all(
        1 <= score <= 5 for score in scores.values()
    ):
        raise ServiceError(_l("Score every building block from 1 to 5."))
    guard.screen(
        {"went_well": went_well, "could_be_better": could_be_better},
        actor=actor,
        on=meeting,
        confirmed=confirmed,
    )
    row = db.session.get(BuildingBlockScore, meeting.id)
    if row is None:
        try:
            with db.session.begin_nested():
                row = BuildingBlockScore(meeting_id=meeting.id, recorded_by_id=actor.id, **scores)
                db.session.add(row)
        except IntegrityError:  # saved from another tab a moment ago: update that one
            row = db.session.get(BuildingBlockScore, meeting.id)
    for key, score in scores.items():
        setattr(row, key, score)
    row.went_well = went_well.strip()[:300]
    row.could_be_better = could_be_better.strip()[:300]
    row.recorded_by_id = actor.id
    db.session.flush()
    record(
        "building_blocks_saved",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
    )
