"""The minutes as a file, and their approval by the group in its next meeting.

The minutes of a held meeting are a draft (CONCEPT) until the group approves them in the
opening of its next meeting, with the corrections it asks for noted. The approved file is kept
as issued, with its hash; from then on every download hands out that file. Before any file
leaves, every free text in it and every identity of its cases passes the export screening:
on a hit nothing is handed out, and the refusal names where to correct it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.exports.document import house_style
from facilitator.exports.minutes import MinutesData, minutes_data
from facilitator.exports.minutes_docx import build_minutes_docx
from facilitator.exports.minutes_scope import meeting_label, minutes_case_ids, minutes_texts, path
from facilitator.exports.models import MinutesApproval
from facilitator.exports.screening import ExportScreening, Place, screen_export
from facilitator.extensions import db
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.privacy import guard
from facilitator.users.models import User

MAX_CORRECTIONS = 4000


@dataclass(frozen=True)
class MinutesFile:
    filename: str
    content: bytes
    final: bool


@dataclass(frozen=True)
class MinutesPoint:
    """The approval point in a meeting's opening: the previous held meeting's minutes."""

    meeting: Meeting
    approval: MinutesApproval | None


def minutes_point(meeting: Meeting) -> MinutesPoint | None:
    """What the opening of ``meeting`` shows about the previous minutes (None: no earlier
    held meeting)."""
    previous = previous_held_meeting(meeting)
    return MinutesPoint(previous, approval_of(previous)) if previous is not None else None


def is_held(meeting: Meeting) -> bool:
    """Held and closed: the only meetings that have minutes."""
    return meeting.status == MeetingStatus.AFGEROND


def previous_held_meeting(meeting: Meeting) -> Meeting | None:
    """The group's last held meeting before ``meeting``: whose minutes it approves."""
    return db.session.scalar(
        select(Meeting)
        .where(
            Meeting.group_id == meeting.group_id,
            Meeting.status == MeetingStatus.AFGEROND,
            Meeting.scheduled_at < meeting.scheduled_at,
            Meeting.id != meeting.id,
        )
        .order_by(Meeting.scheduled_at.desc(), Meeting.id.desc())
        .limit(1)
    )


def approval_of(meeting: Meeting) -> MinutesApproval | None:
    query = select(MinutesApproval).where(MinutesApproval.meeting_id == meeting.id)
    return db.session.scalar(query)


def filename(data: MinutesData) -> str:
    """verslag-<group>-<yyyy-mm-dd>.docx: the group's name in plain letters, no client data."""
    ascii_name = unicodedata.normalize("NFKD", data.group).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "groep"
    return f"verslag-{slug}-{data.day.isoformat()}.docx"


def export_minutes(meeting: Meeting, *, actor: User | None) -> MinutesFile:
    """The minutes of a held meeting as a .docx, screened: the kept approved file once the
    group approved them, else a draft built now. Raises ExportRefused on a hit."""
    if not is_held(meeting):
        raise ServiceError(_l("A meeting has minutes once it is held and closed."))
    data = minutes_data(meeting)
    screening = screen_export(
        minutes_texts(data), minutes_case_ids(data), actor=actor, reason="minutes_exported"
    )
    kept = approval_of(meeting) if data.is_final else None
    if kept is not None and kept.content:
        if screening.file(kept.content, _kept_place(data)):
            # Corrected since approval: the kept file still holds what was corrected.
            _issue(kept, data, screening)
            _audit_reissue(kept, actor)
        content = kept.content
    else:
        content = build_minutes_docx(data, reference=house_style(meeting.group.region_id))
        content = content.getvalue()
    record(
        "minutes_exported",
        action=AuditAction.EXECUTE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        reason="final" if data.is_final else "draft",
    )
    return MinutesFile(filename(data), content, data.is_final)


def approve_minutes(
    meeting: Meeting,
    *,
    in_meeting: Meeting,
    corrections: str,
    actor: User,
    confirmed: bool = False,
) -> MinutesApproval:
    """Approve the minutes of ``meeting`` in the running ``in_meeting`` of the same group,
    with the corrections the group asked for; keep the final file as issued."""
    if not is_held(meeting):
        raise ServiceError(_l("Only the minutes of a held meeting can be approved."))
    if in_meeting.group_id != meeting.group_id or in_meeting.id == meeting.id:
        raise ServiceError(_l("Minutes are approved in a later meeting of the same group."))
    if in_meeting.status != MeetingStatus.LOPEND:
        raise ServiceError(_l("Minutes are approved while the next meeting is in progress."))
    previous = previous_held_meeting(in_meeting)
    if previous is None or previous.id != meeting.id:
        raise ServiceError(_l("A meeting approves the minutes of the group's previous meeting."))
    if approval_of(meeting) is not None:
        raise ServiceError(_l("These minutes have already been approved."))
    corrections = corrections.strip()
    if len(corrections) > MAX_CORRECTIONS:
        raise ServiceError(_l("This text is too long."), field="corrections")
    # Screened before anything is written: SQLite's savepoint below may be the transaction.
    guard.screen(
        {"corrections": corrections},
        actor=actor,
        on=meeting,
        confirmed=confirmed,
        field_prefix="minutes/",
    )
    approval = MinutesApproval(
        meeting_id=meeting.id,
        approved_in_meeting_id=in_meeting.id,
        corrections=corrections,
        approved_by_id=actor.id,
        approved_at=utcnow(),
        content=b"",
        sha256="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(approval)
    except IntegrityError:  # approved from another screen a moment ago
        raise ServiceError(_l("These minutes have already been approved.")) from None
    data = minutes_data(meeting)
    screening = screen_export(
        minutes_texts(data), minutes_case_ids(data), actor=actor, reason="minutes_approved"
    )
    _issue(approval, data, screening)
    record(
        "minutes_approved",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        reason=f"in meeting {in_meeting.id}",
    )
    return approval


def _issue(approval: MinutesApproval, data: MinutesData, screening: ExportScreening) -> None:
    """Build the final file from the minutes as they stand (``data``, read after the approval
    and screened), check the file itself, and keep it."""
    region_id = approval.meeting.group.region_id
    content = build_minutes_docx(data, reference=house_style(region_id)).getvalue()
    screening.refuse(screening.file(content, _kept_place(data)))
    approval.content = content
    approval.sha256 = hashlib.sha256(content).hexdigest()
    db.session.flush()


def _kept_place(data: MinutesData) -> Place:
    return Place(
        where=meeting_label(data),
        case_pseudonym="",
        field=_("The approved minutes as kept"),
        url=path("meetings.meeting_detail", meeting_id=data.meeting_id),
    )


def _audit_reissue(approval: MinutesApproval, actor: User | None) -> None:
    record(
        "minutes_reissued",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=approval.meeting_id,
        reason="kept file held text corrected since the approval",
    )


def reissue_approved(meeting: Meeting) -> None:
    """Build the kept file anew: only for the demo, whose dates are moved after the fact."""
    approval = approval_of(meeting)
    if approval is not None:
        data = minutes_data(meeting)
        screening = screen_export(
            minutes_texts(data), minutes_case_ids(data), actor=None, reason="demo"
        )
        _issue(approval, data, screening)
