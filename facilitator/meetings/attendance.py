"""Who is at a meeting: every member's attendance in one go, and guests without an account."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.meetings.models import Attendance, AttendanceStatus, Meeting
from facilitator.privacy import guard
from facilitator.users.models import User


def record_attendance(
    meeting: Meeting,
    statuses: Mapping[User, AttendanceStatus | str | None],
    *,
    actor: User,
    shown: Mapping[int, str | None] | None = None,
    fill_open: bool = False,
) -> int:
    """Record the attendance of several members at once; return how many rows changed.

    A status of ``None`` leaves that member as recorded (or not recorded yet). Anyone who is
    not a member of the meeting's group refuses the whole submit before anything changes.
    Each changed row writes its own audit row, so the log says whose attendance changed.

    ``shown`` is what the form showed per member ("" for not recorded): a row the user left as
    shown is not applied, so a form opened before someone else recorded a member never undoes
    that (SECURITY.md R3); a row the user changed while someone else changed it too is refused,
    naming the member. ``fill_open`` ("everyone present") marks present every member still not
    recorded, in the database, not only on the page.
    """
    _require_open(meeting)
    members = {m.user_id for m in meeting.group.memberships}
    if any(user.id not in members for user in statuses):
        raise ServiceError(
            _l(
                "Only members of the group are listed; add others as guests. "
                "Nothing was saved: the list of members has changed, check it and save again."
            )
        )
    recorded = {a.user_id: a for a in meeting.attendance if a.user_id is not None}
    statuses = _what_the_user_changed(statuses, shown or {}, recorded)
    if fill_open:
        statuses = {
            user: status or (None if user.id in recorded else AttendanceStatus.AANWEZIG.value)
            for user, status in statuses.items()
        }
    changed: list[Attendance] = []
    for user, status in statuses.items():
        if not status:
            continue
        wanted = AttendanceStatus(status)
        row = recorded.get(user.id)
        if row is None:
            row = _new_row(meeting, user, wanted)
        elif row.status == wanted:
            continue
        row.status = wanted
        changed.append(row)
    db.session.flush()
    db.session.expire(meeting, ["attendance"])  # new rows were added beside the collection
    for row in changed:
        record(
            "attendance_set",
            action=AuditAction.UPDATE,
            actor=actor,
            object_type="attendance",
            object_id=row.id,
            reason=row.status.value,
        )
    return len(changed)


def _what_the_user_changed(
    statuses: Mapping[User, AttendanceStatus | str | None],
    shown: Mapping[int, str | None],
    recorded: dict,
) -> dict:
    """Keep the rows the user changed from what the page showed; refuse one changed by both."""
    kept = {}
    for user, status in statuses.items():
        was = shown.get(user.id)
        if was is None:  # no record of what was shown (a service caller): take it as given
            kept[user] = status
            continue
        if (status or "") == was:
            kept[user] = None  # left as shown
            continue
        row = recorded.get(user.id)
        now = row.status.value if row is not None else ""
        if now != was:
            raise ServiceError(
                _l(
                    "Someone else changed the attendance of %(name)s in the meantime. Nothing "
                    "was saved: check the list and save again.",
                    name=user.name,
                )
            )
        kept[user] = status
    return kept


def _new_row(meeting: Meeting, user: User, status: AttendanceStatus) -> Attendance:
    try:
        with db.session.begin_nested():
            row = Attendance(
                meeting_id=meeting.id,
                user_id=user.id,
                organisation_id=user.organisation_id,
                status=status,
            )
            db.session.add(row)
    except IntegrityError:  # recorded from another tab a moment ago
        db.session.expire(meeting, ["attendance"])
        row = next(a for a in meeting.attendance if a.user_id == user.id)
    return row


def add_guest(
    meeting: Meeting,
    *,
    name: str,
    role: str,
    organisation_id: int | None,
    status: AttendanceStatus | str,
    actor: User,
    personal_data_confirmed: bool = False,
) -> Attendance:
    """Add a guest (no account needed): name, organisation and role."""
    _require_open(meeting)
    _require_name(name)
    guest = Attendance(meeting_id=meeting.id)
    _set_guest(guest, name, role, organisation_id, status)
    # A confirmation is recorded on the guest, so the guard flushes it: it must be complete.
    guard.screen(
        {"guest_name": name, "guest_role": role},
        actor=actor,
        on=guest,
        confirmed=personal_data_confirmed,
    )
    db.session.add(guest)
    db.session.flush()
    db.session.expire(meeting, ["attendance"])
    record(
        "meeting_guest_added",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="attendance",
        object_id=guest.id,
    )
    return guest


def correct_guest(
    guest: Attendance,
    *,
    name: str,
    role: str,
    organisation_id: int | None,
    status: AttendanceStatus | str,
    actor: User,
    personal_data_confirmed: bool = False,
) -> None:
    """Correct a guest's name, role, organisation or attendance."""
    _require_guest_of_open_meeting(guest)
    _require_name(name)
    guard.screen(
        {"guest_name": name, "guest_role": role},
        actor=actor,
        on=guest,
        confirmed=personal_data_confirmed,
    )
    _set_guest(guest, name, role, organisation_id, status)
    db.session.flush()
    record(
        "meeting_guest_corrected",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="attendance",
        object_id=guest.id,
        reason=guest.status.value,
    )


def remove_guest(guest: Attendance, *, actor: User) -> None:
    """Take a guest off the meeting's attendance list (added by mistake, or did not come)."""
    _require_guest_of_open_meeting(guest)
    meeting, guest_id = guest.meeting, guest.id
    db.session.delete(guest)
    db.session.flush()
    db.session.expire(meeting, ["attendance"])
    record(
        "meeting_guest_removed",
        action=AuditAction.DELETE,
        actor=actor,
        object_type="attendance",
        object_id=guest_id,
    )


def _require_name(name: str) -> None:
    if not name.strip():
        raise ServiceError(_l("Give the guest's name."), field="guest_name")


def _set_guest(
    guest: Attendance,
    name: str,
    role: str,
    organisation_id: int | None,
    status: AttendanceStatus | str,
) -> None:
    guest.guest_name = name.strip()
    guest.guest_role = role.strip()
    guest.organisation_id = organisation_id
    guest.status = AttendanceStatus(status)


def _require_open(meeting: Meeting) -> None:
    if not meeting.is_open_for_edits:
        raise ServiceError(_l("The attendance of this meeting can no longer change."))


def _require_guest_of_open_meeting(guest: Attendance) -> None:
    if guest.user_id is not None:
        raise ServiceError(_l("Only a guest can be corrected or removed here."))
    _require_open(guest.meeting)
