"""The records a meeting makes: findings, action items, regievoerders, building-block scores.

Actions and regievoerders belong to the group and the case and outlive the meeting: these
functions check that the meeting runs and hand over to :mod:`facilitator.actions.services`
and :mod:`facilitator.cases.regie`.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem
from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases import regie
from facilitator.cases.models import Case, RegievoerderAssignment
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.localtime import local_date, local_today
from facilitator.meetings.models import (
    BUILDING_BLOCKS,
    BuildingBlockScore,
    Finding,
    FindingKind,
    FindingLevel,
    Meeting,
    MeetingStatus,
)
from facilitator.meetings.run import find_step
from facilitator.privacy import guard
from facilitator.regions.models import Contact, Organisation
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
    owner: User | Contact,
    due_on: date,
    actor: User,
    confirmed: bool = False,
) -> ActionItem:
    """Record a follow-up action in a step: what, who (and so which organisation), by when."""
    _require_running(meeting)
    return actions.create_action(
        meeting.group,
        description=description,
        owner=owner,
        due_on=due_on,
        actor=actor,
        case=find_step(meeting, ref).case,
        meeting=meeting,
        step_ref=ref,
        not_before=local_date(meeting.scheduled_at),
        confirmed=confirmed,
    )


def update_action(
    meeting: Meeting,
    action: ActionItem,
    *,
    description: str,
    owner: User | Contact,
    due_on: date,
    actor: User,
    confirmed: bool = False,
    seen_version: int | None = None,
) -> ActionItem:
    """Correct an action of this meeting while it runs: what, who, by when; refused when
    someone else changed it since ``seen_version`` (facilitator.versions)."""
    _require_running(meeting)
    _require_own(meeting, action)
    return actions.edit_action(
        action,
        description=description,
        owner=owner,
        due_on=due_on,
        case=action.case,
        actor=actor,
        not_before=local_date(meeting.scheduled_at),
        confirmed=confirmed,
        seen_version=seen_version,
    )


def assign_regievoerder(
    meeting: Meeting, case: Case, person: User | Contact, *, actor: User
) -> RegievoerderAssignment:
    """Give the regie of an agenda case to a user or contact, from the meeting's day."""
    _require_running(meeting)
    if case.id not in {item.case_id for item in meeting.agenda}:
        raise ServiceError(_l("A regievoerder is chosen in a case step."))
    return regie.assign_regievoerder(
        case,
        person,
        actor=actor,
        since=min(local_date(meeting.scheduled_at), local_today()),
        meeting_id=meeting.id,
    )


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
