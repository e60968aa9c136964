"""Meetings as iCalendar (RFC 5545): when, where and which group, never anything of a case.

Each meeting keeps one UID for good and raises its SEQUENCE whenever what a calendar shows
changes (``meetings.planning``), so a calendar app replaces its copy instead of adding one; a
cancelled meeting stays in the file with STATUS:CANCELLED, so the app takes it out. Times are
Dutch local times with the Europe/Amsterdam VTIMEZONE, so the meeting keeps its wall-clock
time across summer time in every app.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event

from facilitator.database import utcnow
from facilitator.localtime import to_local
from facilitator.meetings.models import Meeting, MeetingStatus

PRODID = "-//Casustafel//Bijeenkomsten//NL"
#: How often a subscribed calendar app should fetch the feed again (a hint; apps choose).
REFRESH_INTERVAL = timedelta(hours=1)


def uid_domain() -> str:
    """The host part of every UID: configured, or derived from the secret key, which every
    host of an installation shares (README, Deployment), and which no UID reveals."""
    configured = current_app.config["CALENDAR_UID_DOMAIN"]
    if configured:
        return configured
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, b"casustafel calendar uid", hashlib.sha256).hexdigest()
    return f"{digest[:16]}.casustafel.invalid"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.id}@{uid_domain()}"


def build_calendar(
    meetings: Sequence[Meeting],
    *,
    link: Callable[[Meeting], str],
    name: str | None = None,
) -> bytes:
    """The meetings as one calendar; ``link`` gives each meeting's page, ``name`` marks a
    subscription. Texts come in the current locale."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH_INTERVAL)
    for meeting in meetings:
        calendar.add_component(_event(meeting, link(meeting)))
    if meetings:
        years = [to_local(meeting.scheduled_at).year for meeting in meetings]
        calendar.add_missing_timezones(
            first_date=date(min(years), 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    return calendar.to_ical()


def _event(meeting: Meeting, url: str) -> Event:
    cancelled = meeting.status == MeetingStatus.GEANNULEERD
    summary = _("Meeting of %(group)s", group=meeting.group.name)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", to_local(meeting.scheduled_at))
    # Through UTC: a meeting across the change to summer time still lasts its minutes.
    event.add("dtend", to_local(meeting.scheduled_at + timedelta(minutes=meeting.duration_minutes)))
    event.add("summary", _("Cancelled: %(summary)s", summary=summary) if cancelled else summary)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.location or meeting.online_link:
        event.add("location", meeting.location or meeting.online_link)
    lines = [_("Meeting page: %(url)s", url=url)]
    if meeting.online_link:
        lines.append(_("Online: %(link)s", link=meeting.online_link))
    if meeting.host_organisation is not None:
        lines.append(_("Host: %(name)s", name=meeting.host_organisation.name))
    if meeting.notulist is not None:
        lines.append(_("Notulist: %(name)s", name=meeting.notulist.name))
    event.add("description", "\n".join(lines))
    event.add("url", url)
    return event
