"""Corrections of a completed meeting's records: findings, the regievoerder's update on a case,
the building-block remarks and the terugkoppeling recorded in the review.

A held meeting is read-only; what it recorded can still be corrected by the group's
procesbegeleider, with a reason, like its field values (:func:`facilitator.meetings.run.
save_field`). The usual reason is personal data found when the minutes or the logbook were
exported: the refusal links here. Each correction passes the guard (the new text and the
reason), is kept per field in :class:`RecordCorrection` (never with personal data in the old
value: :mod:`facilitator.meetings.retention`) and audited, never with the text.

Who was there and where it was are corrected the same way (a guest's name and role, the place):
the minutes carry them too.

A finding is corrected, never removed, once the meeting is held: the minutes and the logbook
count what the group found, and a finding with personal data needs its text corrected, not the
finding gone (the correction keeps why, the removal would keep nothing).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from facilitator.actions.models import ActionUpdate
from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import CaseUpdate
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.meetings.models import (
    Attendance,
    BuildingBlockScore,
    Finding,
    FindingKind,
    FindingLevel,
    Meeting,
    MeetingStatus,
    RecordCorrection,
)
from facilitator.meetings.retention import OldValues
from facilitator.meetings.review import MAX_UPDATE
from facilitator.privacy import guard
from facilitator.regions.models import Organisation
from facilitator.users.models import User

MAX_REASON = 300
MAX_FINDING = 2000
MAX_NOTE = 1000
MAX_REMARK = 300

NOT_HELD = _l("Only the records of a completed meeting are corrected here.")
NOTHING_CHANGED = _l("Nothing was changed: correct the text, or leave it as it is.")


def _require_held(meeting: Meeting, owner_meeting_id: int | None) -> None:
    if meeting.status != MeetingStatus.AFGEROND:
        raise ServiceError(NOT_HELD)
    # The views load the record within its meeting already; a service never trusts that.
    if owner_meeting_id != meeting.id:
        raise ServiceError(_l("This record belongs to another meeting."))


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ServiceError(_l("Give a reason for the correction."), field="reason")
    if len(reason) > MAX_REASON:
        raise ServiceError(_l("This text is too long."), field="reason")
    return reason


def _text(text: str, limit: int, field: str, *, required: bool = True) -> str:
    text = text.strip()
    if required and not text:
        raise ServiceError(_l("This text cannot be empty."), field=field)
    if len(text) > limit:
        raise ServiceError(_l("This text is too long."), field=field)
    return text


def _keep(
    meeting: Meeting,
    obj: db.Model,
    old: dict[str, str],
    *,
    reason: str,
    actor: User,
    object_id: int | None = None,
) -> None:
    """Keep one correction row per changed field, its old value without personal data."""
    old_values = OldValues(
        actor=actor,
        case_ids=[item.case_id for item in meeting.agenda],
        audit_key=f"meeting {meeting.id} correction",
    )
    for name, value in sorted(old.items()):
        db.session.add(
            RecordCorrection(
                meeting_id=meeting.id,
                object_type=obj.__tablename__,
                object_id=object_id if object_id is not None else obj.id,
                field=name,
                old_value=old_values.keep(value),
                reason=reason,
                changed_by_id=actor.id,
            )
        )


def _screen(texts: dict[str, str], meeting: Meeting, *, actor: User, on, confirmed: bool) -> None:
    guard.screen(
        texts,
        actor=actor,
        on=on,
        confirmed=confirmed,
        field_prefix="correction/",
        audit_key=f"meeting {meeting.id} correction",
    )


def correct_finding(
    meeting: Meeting,
    finding: Finding,
    *,
    kind: FindingKind | str,
    level: FindingLevel | str,
    text: str,
    organisations: list[Organisation],
    signal: bool,
    reason: str,
    actor: User,
    confirmed: bool = False,
) -> Finding:
    """Correct a finding of a held meeting: text, kind, level, signal, organisations."""
    _require_held(meeting, finding.meeting_id)
    reason = _reason(reason)
    text = _text(text, MAX_FINDING, "text")
    _screen({"text": text, "reason": reason}, meeting, actor=actor, on=finding, confirmed=confirmed)
    new = {
        "kind": FindingKind(kind),
        "level": FindingLevel(level),
        "text": text,
        "signal": bool(signal),
    }
    old = {
        name: str(getattr(value, "value", value))
        for name in new
        if (value := getattr(finding, name)) != new[name]
    }
    if {o.id for o in finding.organisations} != {o.id for o in organisations}:
        old["organisations"] = ", ".join(o.name for o in finding.organisations)
    if not old:
        raise ServiceError(NOTHING_CHANGED)
    _keep(meeting, finding, old, reason=reason, actor=actor)
    for name, value in new.items():
        setattr(finding, name, value)
    finding.organisations = list(organisations)
    db.session.flush()
    record(
        "finding_corrected",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="finding",
        object_id=finding.id,
        case_pseudonym=finding.case.pseudonym if finding.case else "",
        reason=",".join(sorted(old)),
    )
    return finding


def correct_case_update(
    meeting: Meeting,
    update: CaseUpdate,
    *,
    text: str,
    reason: str,
    actor: User,
    confirmed: bool = False,
) -> CaseUpdate:
    """Correct the regievoerder's update on a case, as recorded in a held meeting."""
    _require_held(meeting, update.meeting_id)
    reason = _reason(reason)
    text = _text(text, MAX_UPDATE, "text")
    _screen({"text": text, "reason": reason}, meeting, actor=actor, on=update, confirmed=confirmed)
    if text == update.text:
        raise ServiceError(NOTHING_CHANGED)
    _keep(meeting, update, {"text": update.text}, reason=reason, actor=actor)
    update.text = text
    update.version += 1
    db.session.flush()
    record(
        "case_update_corrected",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="case_update",
        object_id=update.id,
        case_pseudonym=update.case.pseudonym,
        reason="text",
    )
    return update


def correct_building_blocks(
    meeting: Meeting,
    *,
    went_well: str,
    could_be_better: str,
    reason: str,
    actor: User,
    confirmed: bool = False,
) -> BuildingBlockScore:
    """Correct the two remarks given with the building-block scores of a held meeting (the
    scores themselves are the group's measurement, and stay)."""
    row = db.session.get(BuildingBlockScore, meeting.id)
    if row is None:
        raise ServiceError(_l("No scores were given in this meeting."))
    _require_held(meeting, row.meeting_id)
    reason = _reason(reason)
    new = {
        "went_well": _text(went_well, MAX_REMARK, "went_well", required=False),
        "could_be_better": _text(could_be_better, MAX_REMARK, "could_be_better", required=False),
    }
    _screen({**new, "reason": reason}, meeting, actor=actor, on=meeting, confirmed=confirmed)
    old = {name: getattr(row, name) for name, value in new.items() if getattr(row, name) != value}
    if not old:
        raise ServiceError(NOTHING_CHANGED)
    _keep(meeting, row, old, reason=reason, actor=actor, object_id=meeting.id)
    for name, value in new.items():
        setattr(row, name, value)
    db.session.flush()
    record(
        "building_blocks_corrected",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        reason=",".join(sorted(old)),
    )
    return row


def correct_review_note(
    meeting: Meeting,
    update: ActionUpdate,
    *,
    note: str,
    reason: str,
    actor: User,
    confirmed: bool = False,
) -> ActionUpdate:
    """Correct the terugkoppeling recorded on an earlier action in a held meeting's review."""
    _require_held(meeting, update.meeting_id)
    reason = _reason(reason)
    note = _text(note, MAX_NOTE, "note")
    _screen({"note": note, "reason": reason}, meeting, actor=actor, on=update, confirmed=confirmed)
    if note == update.note:
        raise ServiceError(NOTHING_CHANGED)
    _keep(meeting, update, {"note": update.note}, reason=reason, actor=actor)
    update.note = note
    db.session.flush()
    action = update.action
    record(
        "action_note_corrected",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="action_update",
        object_id=update.id,
        case_pseudonym=action.case.pseudonym if action.case else "",
        reason=f"action {action.id}",
    )
    return update


def correct_guest(
    meeting: Meeting,
    guest: Attendance,
    *,
    name: str,
    role: str,
    reason: str,
    actor: User,
    confirmed: bool = False,
) -> Attendance:
    """Correct a guest's name or role as the minutes of a held meeting show them."""
    _require_held(meeting, guest.meeting_id)
    if guest.user_id is not None:
        raise ServiceError(_l("Only a guest can be corrected or removed here."))
    reason = _reason(reason)
    new = {
        "guest_name": _text(name, 120, "guest_name"),
        "guest_role": _text(role, 120, "guest_role", required=False),
    }
    _screen({**new, "reason": reason}, meeting, actor=actor, on=guest, confirmed=confirmed)
    old = {
        name: getattr(guest, name) for name, value in new.items() if getattr(guest, name) != value
    }
    if not old:
        raise ServiceError(NOTHING_CHANGED)
    _keep(meeting, guest, old, reason=reason, actor=actor)
    for name, value in new.items():
        setattr(guest, name, value)
    db.session.flush()
    record(
        "meeting_guest_corrected",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="attendance",
        object_id=guest.id,
        reason=",".join(sorted(old)),
    )
    return guest


def correct_location(
    meeting: Meeting, *, location: str, reason: str, actor: User, confirmed: bool = False
) -> Meeting:
    """Correct where a held meeting took place, as its minutes say."""
    _require_held(meeting, meeting.id)
    reason = _reason(reason)
    location = _text(location, 200, "location", required=False)
    _screen(
        {"location": location, "reason": reason},
        meeting,
        actor=actor,
        on=meeting,
        confirmed=confirmed,
    )
    if location == meeting.location:
        raise ServiceError(NOTHING_CHANGED)
    _keep(meeting, meeting, {"location": meeting.location}, reason=reason, actor=actor)
    meeting.location = location
    db.session.flush()
    record(
        "meeting_place_corrected",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        reason="location",
    )
    return meeting
