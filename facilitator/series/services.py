"""Plan, extend and end a series. Every meeting is planned through meetings.planning, so each
stays a meeting of its own; a refused row refuses the whole submit, and nothing is planned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local, local_date, local_today
from facilitator.meetings import planning
from facilitator.meetings.hosting import check_host_and_notulist, rotation_candidates
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.privacy import guard
from facilitator.protocols.loader import protocols
from facilitator.series import dates, rotation
from facilitator.series.models import MeetingSeries, SeriesRhythm
from facilitator.users.models import User


@dataclass(frozen=True)
class SeriesSettings:
    """What every meeting of a series shares."""

    rhythm: SeriesRhythm
    weekday: int
    start_time: time
    first_date: date
    protocol_id: str
    interval_weeks: int | None = None
    duration_minutes: int | None = None
    location: str = ""
    online_link: str = ""


@dataclass(frozen=True)
class SeriesRow:
    """One date of the preview, as the procesbegeleider left it."""

    day: date
    start: time
    host_organisation_id: int | None = None
    notulist_id: int | None = None
    holiday: bool = False


class SeriesRefused(ServiceError):
    """Some rows cannot be planned: ``problems`` maps a row's index to its messages."""

    def __init__(self, problems: dict[int, list[str]]) -> None:
        super().__init__(_l("Nothing was planned: correct the dates marked below."))
        self.problems = problems


def first_meeting_date(settings: SeriesSettings) -> date:
    return dates.first_on_weekday(settings.first_date, settings.weekday)


def preview_rows(
    group: CaseGroup,
    settings: SeriesSettings,
    *,
    count: int | None = None,
    until: date | None = None,
) -> list[SeriesRow]:
    """The proposed dates (a year unless ``count`` or ``until``) with a host and notulist each."""
    first = first_meeting_date(settings)
    days = dates.series_dates(
        settings.rhythm,
        first,
        interval_weeks=settings.interval_weeks,
        count=count,
        until=until or (None if count else dates.default_until(first)),
    )
    return _with_rotation(group, days, settings.start_time, start=0)


def extension_rows(series: MeetingSeries, count: int) -> list[SeriesRow]:
    """The next ``count`` dates of the series' rhythm after its last meeting (and today)."""
    kept = [m for m in series.meetings if m.status != MeetingStatus.GEANNULEERD]
    last = max((local_date(m.scheduled_at) for m in kept), default=series.first_date)
    days = dates.series_dates(
        series.rhythm,
        series.first_date,
        interval_weeks=series.interval_weeks,
        count=count,
        after=max(last, local_today()),
    )
    candidates = rotation_candidates(series.group)
    last_host = kept[-1].host_organisation_id if kept else None
    return _with_rotation(
        series.group, days, series.start_time, start=rotation.next_start(candidates, last_host)
    )


def _with_rotation(group: CaseGroup, days: list[date], start_time: time, *, start: int):
    turns = rotation.propose_rotation(len(days), rotation_candidates(group), start)
    return [
        SeriesRow(
            day=day,
            start=start_time,
            host_organisation_id=turn.host_organisation_id,
            notulist_id=turn.notulist_id,
            holiday=dates.is_holiday(day),
        )
        for day, turn in zip(days, turns, strict=True)
    ]


def plan_series(
    group: CaseGroup,
    settings: SeriesSettings,
    rows: list[SeriesRow],
    *,
    actor: User,
    until: date | None = None,
    personal_data_confirmed: bool = False,
) -> MeetingSeries:
    """Plan a meeting for every row kept, all in one series; refuse them all if one is wrong."""
    if not group.active:
        raise ServiceError(_l("This group is archived; it has no new meetings."))
    if protocols().get(settings.protocol_id) is None:
        raise ServiceError(_l("Choose one of the available protocols."), field="protocol_id")
    _check_rows(group, rows)
    series = MeetingSeries(
        group=group,
        rhythm=settings.rhythm,
        interval_weeks=settings.interval_weeks
        if settings.rhythm == SeriesRhythm.ELKE_N_WEKEN
        else None,
        weekday=settings.weekday,
        start_time=settings.start_time,
        duration_minutes=settings.duration_minutes
        or protocols().get(settings.protocol_id).protocol.duration_minutes,
        location=settings.location.strip(),
        online_link=settings.online_link.strip(),
        protocol_id=settings.protocol_id,
        first_date=first_meeting_date(settings),
        until=until,
        created_by_id=actor.id,
    )
    guard.screen(
        {"location": settings.location, "online_link": settings.online_link},
        actor=actor,
        on=series,
        confirmed=personal_data_confirmed,
    )
    db.session.add(series)
    db.session.flush()
    record(
        "series_planned",
        action=AuditAction.CREATE,
        actor=actor,
        object_type="meeting_series",
        object_id=series.id,
        reason=f"{len(rows)} meetings",
    )
    _plan_meetings(series, rows, actor=actor, confirmed=personal_data_confirmed)
    return series


def extend_series(
    series: MeetingSeries,
    rows: list[SeriesRow],
    *,
    actor: User,
    personal_data_confirmed: bool = False,
) -> list[Meeting]:
    """Plan the next dates of a series that has not ended."""
    if series.has_ended:
        raise ServiceError(_l("This series has ended; plan a new one."))
    if not series.group.active:
        raise ServiceError(_l("This group is archived; it has no new meetings."))
    _check_rows(series.group, rows)
    record(
        "series_extended",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting_series",
        object_id=series.id,
        reason=f"{len(rows)} meetings",
    )
    return _plan_meetings(series, rows, actor=actor, confirmed=personal_data_confirmed)


def _plan_meetings(
    series: MeetingSeries, rows: list[SeriesRow], *, actor: User, confirmed: bool
) -> list[Meeting]:
    planned = []
    for row in rows:
        meeting = planning.plan_meeting(
            series.group,
            scheduled_at=from_local(row.day, row.start),
            protocol_id=series.protocol_id,
            actor=actor,
            location=series.location,
            online_link=series.online_link,
            duration_minutes=series.duration_minutes,
            personal_data_confirmed=confirmed,
            host_organisation_id=row.host_organisation_id,
            notulist_id=row.notulist_id,
        )
        meeting.series_id = series.id
        planned.append(meeting)
    db.session.flush()
    db.session.expire(series, ["meetings"])
    return planned


def _check_rows(group: CaseGroup, rows: list[SeriesRow]) -> None:
    """Every refusal of every row at once, so the preview can mark them all."""
    if not rows:
        raise ServiceError(_l("Keep at least one date."))
    problems: dict[int, list[str]] = {}
    taken = _days_with_a_meeting(group)
    seen: dict[date, int] = {}
    today = local_today()
    for index, row in enumerate(rows):
        found = []
        if row.day < today:
            found.append(str(_l("This date is in the past.")))
        if row.day in seen:
            found.append(str(_l("Another date of this series is on the same day.")))
        elif row.day in taken:
            found.append(str(_l("The group already has a meeting on this day.")))
        seen.setdefault(row.day, index)
        try:
            check_host_and_notulist(group, row.host_organisation_id, row.notulist_id)
        except ServiceError as error:
            found.append(str(error.message))
        if found:
            problems[index] = found
    if problems:
        raise SeriesRefused(problems)


def _days_with_a_meeting(group: CaseGroup) -> set[date]:
    scheduled = db.session.scalars(
        select(Meeting.scheduled_at).where(
            Meeting.group_id == group.id, Meeting.status != MeetingStatus.GEANNULEERD
        )
    )
    return {local_date(moment) for moment in scheduled}


def meetings_to_cancel(series: MeetingSeries) -> list[Meeting]:
    """What ending the series cancels: its planned meetings ahead with nothing on the agenda."""
    now = utcnow()
    return [
        m
        for m in series.meetings
        if m.status == MeetingStatus.GEPLAND and m.scheduled_at > now and not m.agenda
    ]


def end_series(series: MeetingSeries, *, actor: User) -> list[Meeting]:
    """End a series: cancel its planned meetings ahead that have no agenda yet; keep the rest
    (held ones, and planned ones with cases on the agenda, which stay meetings of their own)."""
    if series.has_ended:
        raise ServiceError(_l("This series has already ended."))
    cancelled = meetings_to_cancel(series)
    for meeting in cancelled:
        planning.cancel_meeting(meeting, actor=actor)
    series.ended_at = utcnow()
    db.session.flush()
    record(
        "series_ended",
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="meeting_series",
        object_id=series.id,
        reason=f"{len(cancelled)} meetings cancelled",
    )
    return cancelled
