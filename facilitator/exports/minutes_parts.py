"""The parts of the minutes beside the steps: who was there, what became of the earlier
actions in the review, and whether the group approved the minutes (one query each)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitator.actions.models import ActionItem, ActionStatus, ActionUpdate
from facilitator.exports.models import MinutesApproval
from facilitator.extensions import db
from facilitator.groups.models import GroupMembership
from facilitator.localtime import local_date
from facilitator.meetings.models import Attendance, AttendanceStatus, Meeting
from facilitator.users.models import User


@dataclass(frozen=True)
class Approval:
    """The group approved the minutes in a later meeting (vastgesteld)."""

    approved_on: date
    approved_by: str
    #: The meeting in which they were approved (None once that meeting was deleted).
    in_meeting_id: int | None
    in_meeting_on: date | None
    corrections: str


@dataclass(frozen=True)
class OrganisationAttendance:
    organisation: str
    present: tuple[str, ...]
    apologies: tuple[str, ...]
    absent: tuple[str, ...]
    #: "name (role)" of each guest, whatever their attendance.
    guests: tuple[str, ...]
    #: Each guest's attendance row, in the same order: where to correct the name.
    guest_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReviewedAction:
    """What became of an earlier action in this meeting's review."""

    action_id: int
    description: str
    owner: str
    organisation: str
    #: The case it concerns, if any.
    case_id: int | None
    pseudonym: str
    status: ActionStatus
    new_due_on: date | None
    note: str


def group_memberships(group_id: int) -> list[GroupMembership]:
    return list(
        db.session.scalars(
            select(GroupMembership)
            .where(GroupMembership.group_id == group_id)
            .options(joinedload(GroupMembership.user).joinedload(User.organisation))
        ).unique()
    )


def attendance(
    meeting: Meeting, memberships: list[GroupMembership]
) -> tuple[OrganisationAttendance, ...]:
    """Per organisation who was present, sent apologies, or was absent; then the guests.

    A member of whom nothing was recorded was not at the held meeting: absent; one who joined
    the group after it is not listed.
    """
    rows = db.session.scalars(
        select(Attendance)
        .where(Attendance.meeting_id == meeting.id)
        .options(
            joinedload(Attendance.user).joinedload(User.organisation),
            joinedload(Attendance.organisation),
        )
        .order_by(Attendance.id)
    ).unique()
    people: dict[str, dict[str, list]] = {}

    def add(organisation: str, column: str, name: str) -> None:
        columns = people.setdefault(organisation, {"present": [], "apologies": [], "absent": []})
        columns.setdefault(column, []).append(name)

    recorded = set()
    for row in rows:
        if row.user is not None:
            recorded.add(row.user_id)
            organisation = (row.organisation or row.user.organisation).name
            add(organisation, _COLUMN[row.status], row.user.name)
        else:
            organisation = row.organisation.name if row.organisation else ""
            guest = f"{row.guest_name} ({row.guest_role})" if row.guest_role else row.guest_name
            add(organisation, "guests", guest)
            people[organisation].setdefault("guest_ids", []).append(row.id)
            if row.status != AttendanceStatus.AANWEZIG:
                people[organisation]["guests"][-1] += f" ({row.status.label})"
    for membership in memberships:
        joined_later = membership.added_at > meeting.scheduled_at
        if membership.user_id not in recorded and membership.user.active and not joined_later:
            add(membership.user.organisation.name, "absent", membership.user.name)
    return tuple(
        OrganisationAttendance(
            organisation=name,
            present=tuple(sorted(columns["present"])),
            apologies=tuple(sorted(columns["apologies"])),
            absent=tuple(sorted(columns["absent"])),
            guests=tuple(columns.get("guests", ())),
            guest_ids=tuple(columns.get("guest_ids", ())),
        )
        for name, columns in sorted(people.items(), key=lambda item: (not item[0], item[0]))
    )


_COLUMN = {
    AttendanceStatus.AANWEZIG: "present",
    AttendanceStatus.AFGEMELD: "apologies",
    AttendanceStatus.AFWEZIG: "absent",
}


def reviewed_actions(meeting: Meeting) -> tuple[ReviewedAction, ...]:
    """The latest word on each earlier action reviewed in this meeting: one query."""
    updates = db.session.scalars(
        select(ActionUpdate)
        .where(ActionUpdate.meeting_id == meeting.id)
        .options(
            joinedload(ActionUpdate.action).joinedload(ActionItem.owner_user),
            joinedload(ActionUpdate.action).joinedload(ActionItem.owner_contact),
            joinedload(ActionUpdate.action).joinedload(ActionItem.organisation),
            joinedload(ActionUpdate.action).joinedload(ActionItem.case),
        )
        .order_by(ActionUpdate.id)
    ).unique()
    latest = {u.action_id: u for u in updates}
    return tuple(
        ReviewedAction(
            action_id=u.action_id,
            description=u.action.description,
            owner=u.action.owner.name,
            organisation=u.action.organisation.name,
            case_id=u.action.case_id,
            pseudonym=u.action.case.pseudonym if u.action.case else "",
            status=u.status_to,
            new_due_on=u.due_to if u.due_changed else None,
            note=u.note,
        )
        for u in sorted(latest.values(), key=lambda u: (u.action.due_on, u.action_id))
    )


def approval_of(meeting: Meeting) -> Approval | None:
    row = db.session.scalar(
        select(MinutesApproval)
        .where(MinutesApproval.meeting_id == meeting.id)
        .options(
            joinedload(MinutesApproval.approved_by),
            joinedload(MinutesApproval.approved_in),
        )
    )
    if row is None:
        return None
    approving = row.approved_in
    return Approval(
        approved_on=local_date(row.approved_at),
        approved_by=row.approved_by.name if row.approved_by else "",
        in_meeting_id=row.approved_in_meeting_id,
        in_meeting_on=local_date(approving.scheduled_at) if approving else None,
        corrections=row.corrections,
    )
