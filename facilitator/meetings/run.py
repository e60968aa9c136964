"""Running a meeting: the rail of steps, moving along it, saving what is typed, closing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case, CaseStatus
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.meetings.models import (
    FieldCorrection,
    FieldValue,
    Meeting,
    MeetingStatus,
    StepVisit,
)
from facilitator.meetings.progress import MissingField, Progress, meeting_progress
from facilitator.meetings.retention import OldValues
from facilitator.privacy import guard
from facilitator.protocols.schema import FREE_TEXT_TYPES, FieldType, Step, StepField
from facilitator.users.models import User

MAX_TEXT = 20000


@dataclass(frozen=True)
class RailStep:
    ref: str
    step: Step
    case: Case | None
    number: int


class ConflictError(ServiceError):
    """Someone else saved this field since the user loaded it (SECURITY.md R3)."""

    def __init__(self, current: FieldValue) -> None:
        super().__init__(_l("Someone else changed this field in the meantime."), field="value")
        self.current = current


def rail(meeting: Meeting) -> list[RailStep]:
    """All steps in order: opening, the case steps for every agenda case, closing."""
    protocol = meeting.protocol
    steps: list[tuple[str, Step, Case | None]] = [
        (f"m:{s.key}", s, None) for s in protocol.opening_steps
    ]
    for item in meeting.agenda:
        steps += [(f"c:{item.case_id}:{s.key}", s, item.case) for s in protocol.case_steps]
    steps += [(f"m:{s.key}", s, None) for s in protocol.closing_steps]
    return [
        RailStep(ref, step, case, number) for number, (ref, step, case) in enumerate(steps, start=1)
    ]


def find_step(meeting: Meeting, ref: str) -> RailStep:
    for rail_step in rail(meeting):
        if rail_step.ref == ref:
            return rail_step
    raise ServiceError(_l("This step is not part of the meeting."))


def _field(rail_step: RailStep, key: str) -> StepField:
    for step_field in rail_step.step.fields:
        if step_field.key == key:
            return step_field
    raise ServiceError(_l("This field is not part of the step."))


def start_meeting(meeting: Meeting, *, actor: User) -> None:
    """Open a planned meeting at its first step."""
    steps = rail(meeting)
    # The review the application adds is no meeting on its own: the protocol needs a step.
    if all(s.step.key == meeting.protocol.added_review for s in steps):
        raise ServiceError(
            _l("This protocol has no steps without cases: put a case on the agenda first.")
        )
    # Only one start wins, even on a double click: the status changes where it still is planned.
    started = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == MeetingStatus.GEPLAND)
        .values(status=MeetingStatus.LOPEND, started_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if started.rowcount != 1:
        raise ServiceError(_l("Only a planned meeting can be started."))
    db.session.refresh(meeting)
    go_to_step(meeting, steps[0].ref, actor=actor)
    record(
        "meeting_started",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
    )


def go_to_step(meeting: Meeting, ref: str, *, actor: User) -> StepVisit:
    """Make a step the current one; its time box starts the first time it is opened."""
    if meeting.status != MeetingStatus.LOPEND:
        raise ServiceError(_l("Only a meeting in progress moves from step to step."))
    find_step(meeting, ref)
    if meeting.current_step != ref:
        meeting.current_step_since = utcnow()
    meeting.current_step = ref
    query = select(StepVisit).where(StepVisit.meeting_id == meeting.id, StepVisit.step_ref == ref)
    visit = db.session.scalar(query)
    if visit is None:
        try:
            with db.session.begin_nested():
                visit = StepVisit(meeting_id=meeting.id, step_ref=ref)
                db.session.add(visit)
        except IntegrityError:  # opened in another tab at the same moment: keep that start
            visit = db.session.scalar(query)
    record(
        "meeting_step_entered",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        reason=ref,
    )
    return visit


def step_started_at(meeting: Meeting, ref: str):
    return db.session.scalar(
        select(StepVisit.started_at).where(
            StepVisit.meeting_id == meeting.id, StepVisit.step_ref == ref
        )
    )


def field_values(meeting: Meeting) -> dict[tuple[str, str], FieldValue]:
    rows = db.session.scalars(select(FieldValue).where(FieldValue.meeting_id == meeting.id))
    return {(row.step_ref, row.field_key): row for row in rows}


def _normalise(step_field: StepField, value: str | Sequence[str]) -> str:
    """The stored form of what was sent: one text, or a checklist's ticked options as JSON.

    A checklist takes one option per value (its checkboxes, ticked) or per line of one value.
    """
    values = [value] if isinstance(value, str) else list(value)
    if step_field.type == FieldType.CHECKLIST:
        chosen = {line for item in values for line in item.splitlines() if line}
        if any(option not in step_field.options for option in chosen):
            raise ServiceError(_l("Choose only from the options."), field="value")
        ordered = [option for option in step_field.options if option in chosen]
        return json.dumps(ordered, ensure_ascii=False)
    if len(values) > 1:
        raise ServiceError(_l("This field takes one answer."), field="value")
    value = values[0] if values else ""
    if step_field.type in FREE_TEXT_TYPES:
        if len(value) > MAX_TEXT:
            raise ServiceError(_l("This text is too long."), field="value")
        return value
    if step_field.type == FieldType.CHOICE:
        if value and value not in step_field.options:
            raise ServiceError(_l("Choose one of the options."), field="value")
        return value
    if step_field.type == FieldType.RATING:
        if value and value not in {"1", "2", "3", "4", "5"}:
            raise ServiceError(_l("Give a score from 1 to 5."), field="value")
        return value
    raise ServiceError(_l("This field is saved with its own form."), field="value")


def save_field(
    meeting: Meeting,
    ref: str,
    key: str,
    value: str | Sequence[str],
    *,
    expected_version: int,
    actor: User,
    personal_data_confirmed: bool = False,
    reason: str = "",
) -> FieldValue:
    """Save one field if nobody else saved it since ``expected_version`` (0: never saved).

    The check and the write are one UPDATE ... WHERE version = expected, so two writers can
    never both win. A completed meeting is changed only with a reason, kept as a correction.
    """
    rail_step = find_step(meeting, ref)
    step_field = _field(rail_step, key)
    if meeting.status == MeetingStatus.AFGEROND and not reason.strip():
        raise ServiceError(
            _l("This meeting is completed; give a reason for the correction."), field="reason"
        )
    if meeting.status not in (MeetingStatus.LOPEND, MeetingStatus.AFGEROND):
        raise ServiceError(_l("Fields can be filled in while the meeting is in progress."))
    stored = _normalise(step_field, value)
    texts = {"value": stored if step_field.type in FREE_TEXT_TYPES else "", "reason": reason}
    guard.screen(
        texts,
        actor=actor,
        on=meeting,
        confirmed=personal_data_confirmed,
        field_prefix=f"{ref}/{key}/",
        audit_key=f"meeting {meeting.id} {ref}/{key}",
        audit_since=meeting.current_step_since or meeting.started_at,
    )
    current = db.session.scalar(
        select(FieldValue).where(
            FieldValue.meeting_id == meeting.id,
            FieldValue.step_ref == ref,
            FieldValue.field_key == key,
        )
    )
    if current is None:
        if expected_version != 0:
            raise ServiceError(_l("This field was removed; reload the page."), field="value")
        current = FieldValue(
            meeting_id=meeting.id, step_ref=ref, field_key=key, value=stored, updated_by_id=actor.id
        )
        try:
            with db.session.begin_nested():
                db.session.add(current)
        except IntegrityError:  # saved by someone else a moment ago
            current = db.session.scalar(
                select(FieldValue).where(
                    FieldValue.meeting_id == meeting.id,
                    FieldValue.step_ref == ref,
                    FieldValue.field_key == key,
                )
            )
            raise ConflictError(current) from None
        if meeting.status == MeetingStatus.AFGEROND:
            db.session.add(
                FieldCorrection(
                    field_value_id=current.id,
                    old_value="",
                    new_value=stored,
                    reason=reason.strip()[:300],
                    changed_by_id=actor.id,
                )
            )
    else:
        old_value = current.value
        result = db.session.execute(
            update(FieldValue)
            .where(FieldValue.id == current.id, FieldValue.version == expected_version)
            .values(
                value=stored,
                version=FieldValue.version + 1,
                updated_at=utcnow(),
                updated_by_id=actor.id,
            )
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(current)
        if result.rowcount != 1:
            raise ConflictError(current)
        if meeting.status == MeetingStatus.AFGEROND:
            db.session.add(
                FieldCorrection(
                    field_value_id=current.id,
                    old_value=_old_values(meeting, actor).keep(old_value),
                    new_value=stored,
                    reason=reason.strip()[:300],
                    changed_by_id=actor.id,
                )
            )
    corrected = meeting.status == MeetingStatus.AFGEROND
    record(
        "meeting_field_corrected" if corrected else "meeting_field_saved",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="field_value",
        object_id=current.id,
        case_pseudonym=rail_step.case.pseudonym if rail_step.case else "",
    )
    return current


def _old_values(meeting: Meeting, actor: User) -> OldValues:
    """What a correction may keep of an old value: never personal data (meetings.retention)."""
    return OldValues(
        actor=actor,
        case_ids=[item.case_id for item in meeting.agenda],
        audit_key=f"meeting {meeting.id} correction",
    )


def progress(meeting: Meeting) -> Progress:
    """Each step's state (done, incomplete, empty) and the required fields still open."""
    return meeting_progress(meeting, rail(meeting))


def missing_required(meeting: Meeting) -> list[MissingField]:
    """Every required field of the meeting that is still empty, with the step it is in."""
    return progress(meeting).missing


def close_meeting(meeting: Meeting, *, actor: User) -> None:
    """Complete a meeting: every required field filled; it becomes read-only."""
    if meeting.status != MeetingStatus.LOPEND:
        raise ServiceError(_l("Only a meeting in progress can be closed."))
    missing = missing_required(meeting)
    if missing:
        raise ServiceError(_l("Still to fill in: %(fields)s", fields="; ".join(map(str, missing))))
    meeting.status = MeetingStatus.AFGEROND
    meeting.closed_at = utcnow()
    for item in meeting.agenda:
        if item.case.status in (CaseStatus.AANGEMELD, CaseStatus.GEAGENDEERD):
            item.case.status = CaseStatus.BESPROKEN
    record(
        "meeting_closed",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
    )
