"""Planning a meeting: date, place, protocol and its agenda of cases."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, selectinload

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case, CaseStatus, PrivacyMode
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.meetings import attendance
from facilitator.meetings.hosting import check_host_and_notulist
from facilitator.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)
from facilitator.privacy import guard
from facilitator.privacy.services import active_consent
from facilitator.protocols.loader import protocols
from facilitator.regions.models import Organisation
from facilitator.users.models import User


def plan_meeting(
    group: CaseGroup,
    *,
    scheduled_at: datetime,
    protocol_id: str,
    actor: User | None,
    location: str = "",
    online_link: str = "",
    duration_minutes: int | None = None,
    personal_data_confirmed: bool = False,
    host_organisation_id: int | None = None,
    notulist_id: int | None = None,
) -> Meeting:
    """Plan a meeting, keeping the protocol file as it is now."""
    if not group.active:
        raise ServiceError(_l("This group is archived; it has no new meetings."))
    check_host_and_notulist(group, host_organisation_id, notulist_id)
    loaded = protocols().get(protocol_id)
    if loaded is None:
        raise ServiceError(_l("Choose one of the available protocols."), field="protocol_id")
    meeting = Meeting(
        group=group,
        scheduled_at=scheduled_at,
        location=location.strip(),
        online_link=online_link.strip(),
        protocol_id=loaded.protocol.id,
        protocol_version=loaded.protocol.version,
        protocol_hash=loaded.sha256,
        protocol_source=loaded.text,
        duration_minutes=duration_minutes or loaded.protocol.duration_minutes,
        created_by_id=actor.id if actor is not None else None,
        host_organisation_id=host_organisation_id or None,
        notulist_id=notulist_id or None,
    )
    guard.screen(
        {"location": location, "online_link": online_link},
        actor=actor,
        on=meeting,
        confirmed=personal_data_confirmed,
    )
    db.session.add(meeting)
    db.session.flush()
    record(
        "meeting_planned",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
    )
    return meeting


#: Leave the host or notulist as it is (``update_meeting``).
UNCHANGED = object()


def update_meeting(
    meeting: Meeting,
    *,
    scheduled_at: datetime,
    location: str,
    online_link: str,
    duration_minutes: int,
    actor: User,
    personal_data_confirmed: bool = False,
    host_organisation_id: int | object | None = UNCHANGED,
    notulist_id: int | object | None = UNCHANGED,
) -> None:
    """Change when and where a planned meeting takes place, and who hosts it and takes the
    minutes (0 or None: nobody yet)."""
    _require_planned(meeting)
    if host_organisation_id is UNCHANGED:
        host_organisation_id = meeting.host_organisation_id
    if notulist_id is UNCHANGED:
        notulist_id = meeting.notulist_id
    # Only a new choice is checked: a host whose members left the group since stays possible.
    check_host_and_notulist(
        meeting.group,
        host_organisation_id if host_organisation_id != meeting.host_organisation_id else None,
        notulist_id if notulist_id != meeting.notulist_id else None,
    )
    guard.screen(
        {"location": location, "online_link": online_link},
        actor=actor,
        on=meeting,
        confirmed=personal_data_confirmed,
    )
    shown_before = _calendar_view(meeting)
    meeting.scheduled_at = scheduled_at
    meeting.location = location.strip()
    meeting.online_link = online_link.strip()
    meeting.duration_minutes = duration_minutes
    meeting.host_organisation_id = host_organisation_id or None
    meeting.notulist_id = notulist_id or None
    if _calendar_view(meeting) != shown_before:
        _raise_calendar_sequence(meeting)
    record(
        "meeting_updated",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
    )


def cancel_meeting(meeting: Meeting, *, actor: User) -> None:
    """Cancel a planned meeting; its cases go back to registered."""
    _require_planned(meeting)
    meeting.status = MeetingStatus.GEANNULEERD
    _raise_calendar_sequence(meeting)
    for item in meeting.agenda:
        if item.case.status == CaseStatus.GEAGENDEERD:
            item.case.status = CaseStatus.AANGEMELD
    record(
        "meeting_cancelled",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
    )


def _calendar_view(meeting: Meeting) -> tuple:
    """What a calendar shows of a meeting besides its cancellation (see calendars.ics)."""
    return (
        meeting.scheduled_at,
        meeting.duration_minutes,
        meeting.location,
        meeting.online_link,
        meeting.host_organisation_id,
        meeting.notulist_id,
    )


def _raise_calendar_sequence(meeting: Meeting) -> None:
    """Tell calendar apps that their copy of the meeting is out of date.

    Starting and closing a meeting change nothing a calendar shows, so only planning raises
    it. An SQL increment: two changes at once still make two steps.
    """
    meeting.calendar_sequence = Meeting.calendar_sequence + 1


def _require_planned(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.GEPLAND:
        raise ServiceError(_l("Only a planned meeting can be changed this way."))


def agenda_candidates(meeting: Meeting) -> list[Case]:
    """The group's open cases that are not on this agenda yet."""
    on_agenda = {item.case_id for item in meeting.agenda}
    cases = db.session.scalars(
        select(Case)
        .where(Case.group_id == meeting.group_id, Case.status != CaseStatus.AFGESLOTEN)
        .order_by(Case.pseudonym)
    ).all()
    return [c for c in cases if c.id not in on_agenda]


def add_to_agenda(meeting: Meeting, case: Case, *, actor: User) -> None:
    """Put a case on the agenda; a case with consent only while the consent is active."""
    if not meeting.is_open_for_edits:
        raise ServiceError(_l("The agenda of this meeting can no longer change."))
    if case.group_id != meeting.group_id:
        raise ServiceError(_l("Only cases of this group can be on its agenda."), field="case_id")
    if case.is_closed:
        raise ServiceError(_l("A closed case cannot be put on the agenda."), field="case_id")
    if any(item.case_id == case.id for item in meeting.agenda):
        raise ServiceError(_l("This case is already on the agenda."), field="case_id")
    if case.privacy_mode == PrivacyMode.TOESTEMMING and active_consent(case) is None:
        raise ServiceError(
            _l(
                "The consent of this case is not active; extend it or withdraw it "
                "before putting the case on the agenda."
            ),
            field="case_id",
        )
    position = max((item.position for item in meeting.agenda), default=0) + 1
    meeting.agenda.append(AgendaItem(case=case, position=position))
    if case.status == CaseStatus.AANGEMELD:
        case.status = CaseStatus.GEAGENDEERD
    db.session.flush()
    record(
        "agenda_case_added",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        case_pseudonym=case.pseudonym,
    )


def remove_from_agenda(meeting: Meeting, item: AgendaItem, *, actor: User) -> None:
    if meeting.status != MeetingStatus.GEPLAND:
        raise ServiceError(_l("Only a planned meeting's agenda can lose a case."))
    if item.case.status == CaseStatus.GEAGENDEERD:
        item.case.status = CaseStatus.AANGEMELD
    meeting.agenda.remove(item)
    _renumber(meeting)
    record(
        "agenda_case_removed",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting",
        object_id=meeting.id,
        case_pseudonym=item.case.pseudonym,
    )


def move_on_agenda(meeting: Meeting, item: AgendaItem, offset: int, *, actor: User) -> None:
    """Move a case one place up (-1) or down (+1)."""
    if not meeting.is_open_for_edits:
        raise ServiceError(_l("The agenda of this meeting can no longer change."))
    items = list(meeting.agenda)
    index = items.index(item)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        for position, agenda_item in enumerate(items, start=1):
            agenda_item.position = position
    db.session.flush()
    record(
        "agenda_moved",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="agenda_item",
        object_id=item.id,
        case_pseudonym=item.case.pseudonym,
    )


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(meeting.agenda, start=1):
        item.position = position


def agenda_minutes(meeting: Meeting) -> int:
    """The minutes the protocol needs for this agenda."""
    protocol = meeting.protocol
    return protocol.fixed_minutes() + protocol.minutes_per_case() * len(meeting.agenda)


def set_attendance(
    meeting: Meeting, user: User, status: AttendanceStatus | str, *, actor: User
) -> None:
    """Record one member's attendance (the demo, the command line); the meeting page records
    every member at once through :func:`attendance.record_attendance`."""
    attendance.record_attendance(meeting, {user: status}, actor=actor)


def meetings_of_group(group: CaseGroup, *, planned_in_series: bool = True) -> Select:
    """Select a group's meetings, newest first, with their agendas (the page counts cases);
    without ``planned_in_series``, leave out the planned meetings of a series (the group page
    shows those with their series)."""
    query = (
        select(Meeting)
        .where(Meeting.group_id == group.id)
        .options(selectinload(Meeting.agenda))
        .order_by(Meeting.scheduled_at.desc())
    )
    if not planned_in_series:
        query = query.where(
            (Meeting.series_id.is_(None)) | (Meeting.status != MeetingStatus.GEPLAND)
        )
    return query


def all_meetings(group: CaseGroup | None = None) -> Select:
    query = (
        select(Meeting)
        .join(Meeting.group)
        .options(
            contains_eager(Meeting.group),
            selectinload(Meeting.host_organisation),
            selectinload(Meeting.notulist),
        )
        .order_by(Meeting.scheduled_at)
    )
    if group is not None:
        query = query.where(Meeting.group_id == group.id)
    return query


def set_case_presence(
    meeting: Meeting, item: AgendaItem, organisations: list[Organisation], *, actor: User
) -> None:
    """Record which organisations were at the table for one case on the agenda."""
    if not meeting.is_open_for_edits:
        raise ServiceError(_l("The attendance of this meeting can no longer change."))
    if any(org.region_id != meeting.group.region_id for org in organisations):
        raise ServiceError(_l("Only organisations of the group's region can be chosen."))
    item.present_organisations = list(organisations)
    db.session.flush()
    record(
        "case_presence_set",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="agenda_item",
        object_id=item.id,
        case_pseudonym=item.case.pseudonym,
    )


def default_case_presence(meeting: Meeting) -> set[int]:
    """Until recorded per case: the organisations of everyone marked present."""
    return {
        a.organisation_id
        for a in meeting.attendance
        if a.organisation_id and a.status == AttendanceStatus.AANWEZIG
    }
