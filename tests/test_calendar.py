"""Meetings in calendar apps: the .ics download and the personal subscription (issue 9)."""

from __future__ import annotations

import hashlib
import re
from datetime import date, time, timedelta

from icalendar import Calendar
from sqlalchemy import select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.calendars.models import CalendarFeed
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.localtime import from_local
from facilitator.meetings.models import Meeting
from facilitator.users import services as users
from facilitator.users.models import Role
from tests import factories
from tests.helpers import AuthActions, post_form

SUMMER = from_local(date(2030, 7, 1), time(14, 0))  # CEST, UTC+2
WINTER = from_local(date(2030, 1, 15), time(9, 30))  # CET, UTC+1


def _planned(world, when=SUMMER, cases=None) -> Meeting:
    leader = world.users[Role.PROCESBEGELEIDER]
    cases = [world.fictional_case] if cases is None else cases
    return factories.make_meeting(world.group, leader, cases, start=False, when=when)


def _events(body: bytes) -> dict[str, object]:
    """The calendar's events by UID, after checking it is one well-formed calendar."""
    calendar = Calendar.from_ical(body)
    assert calendar.name == "VCALENDAR"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _download(client, meeting: Meeting):
    response = client.get(f"/bijeenkomsten/{meeting.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return response


def _no_case_data(body: bytes, world) -> None:
    text = body.decode()
    for case in (world.fictional_case, world.consent_case):
        assert case.pseudonym not in text
        assert case.description[:20] not in text
    assert factories.IDENTITY.full_name not in text


# --- one meeting's .ics file ------------------------------------------------------------------


def test_a_meetings_ics_holds_date_place_and_group_in_amsterdam_time(client, auth, world):
    meeting = _planned(world)
    auth.login("deelnemer@noord.example")
    response = _download(client, meeting)
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="bijeenkomst-2030-07-01.ics"'
    )
    calendar = Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(f"meeting-{meeting.id}@")
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == SUMMER and start.utcoffset() == timedelta(hours=2)
    assert (start.hour, start.minute) == (14, 0)
    assert end - start == timedelta(minutes=meeting.duration_minutes)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"
    assert {sub.name for sub in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert str(event["SUMMARY"]) == "Bijeenkomst van Casusgroep Noord"
    assert str(event["LOCATION"]) == "Stadskantoor, zaal 3"
    assert str(event["URL"]) == f"http://localhost/bijeenkomsten/{meeting.id}"
    _no_case_data(response.data, world)


def test_a_winter_meeting_is_in_central_european_time(client, auth, world):
    meeting = _planned(world, when=WINTER)
    auth.login("deelnemer@noord.example")
    (event,) = _events(_download(client, meeting).data).values()
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, start.utcoffset()) == (9, 30, timedelta(hours=1))


def test_every_change_of_date_or_place_raises_the_sequence_and_keeps_the_uid(client, auth, world):
    meeting = _planned(world)
    auth.login("procesbegeleider@noord.example")
    (uid,) = _events(_download(client, meeting).data)
    edit = f"/bijeenkomsten/{meeting.id}/bewerken"
    form = {
        "date": "2030-07-02",
        "time": "15:30",
        "duration_minutes": "120",
        "location": "Stadskantoor, zaal 5",
        "online_link": "",
    }

    assert post_form(client, edit, form).status_code == 302
    event = _events(_download(client, meeting).data)[uid]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == from_local(date(2030, 7, 2), time(15, 30))
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=120)
    assert str(event["LOCATION"]) == "Stadskantoor, zaal 5"

    assert post_form(client, edit, form).status_code == 302  # saved without a change
    assert _events(_download(client, meeting).data)[uid]["SEQUENCE"] == 1

    assert post_form(client, edit, {**form, "online_link": "https://meet.example/x"}).status_code
    assert _events(_download(client, meeting).data)[uid]["SEQUENCE"] == 2


def test_a_cancelled_meeting_says_so_with_a_higher_sequence(client, auth, world):
    meeting = _planned(world)
    auth.login("procesbegeleider@noord.example")
    (uid,) = _events(_download(client, meeting).data)
    cancel = f"/bijeenkomsten/{meeting.id}/annuleren"
    assert post_form(client, cancel, token_from=f"/bijeenkomsten/{meeting.id}").status_code == 302
    event = _events(_download(client, meeting).data)[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]).startswith("Geannuleerd: ")


def test_the_meeting_page_links_its_ics_file(client, auth, world):
    meeting = _planned(world)
    auth.login("deelnemer@noord.example")
    html = client.get(f"/bijeenkomsten/{meeting.id}").get_data(as_text=True)
    assert f'href="/bijeenkomsten/{meeting.id}.ics"' in html


def test_the_ics_file_is_for_those_who_may_see_the_meeting(app, world):
    meeting = _planned(world)
    outsider = app.test_client()
    AuthActions(outsider).login("deelnemer@zuid.example")
    assert outsider.get(f"/bijeenkomsten/{meeting.id}.ics").status_code == 403
    anonymous = app.test_client().get(f"/bijeenkomsten/{meeting.id}.ics")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


# --- the personal subscription ----------------------------------------------------------------

ADDRESS = re.compile(r'value="(http://localhost/agenda/([A-Za-z0-9_-]+)\.ics)"')


def _make_address(client) -> tuple[str, str]:
    """Make (or replace) the logged-in user's address on the account pages; return url, token."""
    response = post_form(client, "/account/agenda/nieuw")
    assert response.status_code == 200
    match = ADDRESS.search(response.get_data(as_text=True))
    assert match, "the new address is shown"
    return match.group(1), match.group(2)


def _feed(app, url: str):
    """Fetch the feed as a calendar app does: no session, no login."""
    return app.test_client().get(url.removeprefix("http://localhost"))


def test_a_subscription_shows_the_meetings_of_ones_groups_without_login(app, client, auth, world):
    planned = _planned(world)
    auth.login("deelnemer@noord.example")
    url, _token = _make_address(client)

    response = _feed(app, url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    events = _events(response.data)
    uids = {uid.split("@")[0] for uid in events}
    assert uids == {f"meeting-{world.meeting.id}", f"meeting-{planned.id}"}
    assert f"meeting-{world.other_meeting.id}" not in response.get_data(as_text=True)
    assert str(Calendar.from_ical(response.data)["X-WR-CALNAME"]) == "Casustafel-bijeenkomsten"
    _no_case_data(response.data, world)


def test_the_subscription_uses_the_same_uid_as_the_download(app, client, auth, world):
    planned = _planned(world)
    auth.login("deelnemer@noord.example")
    (uid,) = _events(_download(client, planned).data)
    url, _token = _make_address(client)
    assert uid in _events(_feed(app, url).data)


def test_the_subscription_keeps_recent_cancelled_meetings_and_drops_old_ones(
    app, client, auth, world
):
    leader = world.users[Role.PROCESBEGELEIDER]
    recent = _planned(world, when=utcnow() - timedelta(days=30), cases=[])
    old = _planned(world, when=utcnow() - timedelta(days=200), cases=[])
    from facilitator.meetings import planning

    planning.cancel_meeting(recent, actor=leader)
    db.session.commit()
    auth.login("deelnemer@noord.example")
    url, _token = _make_address(client)
    events = {uid.split("@")[0]: event for uid, event in _events(_feed(app, url).data).items()}
    assert str(events[f"meeting-{recent.id}"]["STATUS"]) == "CANCELLED"
    assert f"meeting-{old.id}" not in events


def test_the_subscription_speaks_its_owners_language(app, client, auth, world):
    users.set_language(world.users[Role.DEELNEMER], "en")
    db.session.commit()
    auth.login("deelnemer@noord.example")
    url, _token = _make_address(client)
    calendar = Calendar.from_ical(_feed(app, url).data)
    assert str(calendar["X-WR-CALNAME"]) == "Casustafel meetings"
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert summaries == {"Meeting of Casusgroep Noord"}


def test_only_the_hash_of_the_address_is_stored(client, auth, world):
    auth.login("deelnemer@noord.example")
    _url, token = _make_address(client)
    db.session.expire_all()
    feed = db.session.scalars(select(CalendarFeed)).one()
    assert feed.user_id == world.users[Role.DEELNEMER].id
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 43  # 32 random bytes
    page = client.get("/account/").get_data(as_text=True)
    assert token not in page
    assert "/account/agenda/intrekken" in page


def test_a_new_address_ends_the_old_one(app, client, auth, world):
    auth.login("deelnemer@noord.example")
    old_url, _ = _make_address(client)
    new_url, _ = _make_address(client)
    assert new_url != old_url
    assert _feed(app, old_url).status_code == 404
    assert _feed(app, new_url).status_code == 200
    events = db.session.scalars(
        select(AuditEvent.event_type)
        .where(AuditEvent.object_type == "calendar_feed")
        .order_by(AuditEvent.id)
    ).all()
    assert events == ["calendar_feed_created", "calendar_feed_renewed", "calendar_feed_refused"]


def test_revoking_the_address_ends_the_subscription(app, client, auth, world):
    auth.login("deelnemer@noord.example")
    url, _ = _make_address(client)
    assert "Casustafel" in client.get("/account/agenda/intrekken").get_data(as_text=True)
    response = post_form(client, "/account/agenda/intrekken")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/#calendar"
    assert _feed(app, url).status_code == 404
    assert db.session.scalars(select(CalendarFeed)).all() == []
    revoked = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "calendar_feed_revoked")
    ).one()
    assert revoked.user_id == world.users[Role.DEELNEMER].id
    assert "/account/agenda/nieuw" in client.get("/account/").get_data(as_text=True)


def test_making_or_revoking_an_address_needs_the_forms_token(client, auth, world):
    auth.login("deelnemer@noord.example")
    assert client.post("/account/agenda/nieuw").status_code == 400
    assert db.session.scalars(select(CalendarFeed)).all() == []
    _make_address(client)
    assert client.post("/account/agenda/intrekken").status_code == 400
    assert len(db.session.scalars(select(CalendarFeed)).all()) == 1


def test_unknown_revoked_and_deactivated_addresses_look_alike_and_are_logged(
    app, client, auth, world
):
    other = app.test_client()
    AuthActions(other).login("extra@noord.example")
    revoked_url, _ = _make_address(other)
    post_form(other, "/account/agenda/intrekken")
    auth.login("deelnemer@noord.example")
    deactivated_url, deactivated_token = _make_address(client)
    users.deactivate_user(world.users[Role.DEELNEMER], actor=None)
    db.session.commit()
    unknown_url = "http://localhost/agenda/" + "A" * 43 + ".ics"

    urls = (unknown_url, revoked_url, deactivated_url)
    answers = {url.removeprefix("http://localhost"): _feed(app, url) for url in urls}
    assert {answer.status_code for answer in answers.values()} == {404}
    # One page, but for the CSRF token of its language form and the address it was asked for.
    pages = {
        re.sub(r'name="csrf_token" [^>]*', "", answer.get_data(as_text=True).replace(path, "…"))
        for path, answer in answers.items()
    }
    assert len(pages) == 1

    refusals = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.event_type == "calendar_feed_refused")
        .order_by(AuditEvent.id)
    ).all()
    assert [r.outcome for r in refusals] == [AuditOutcome.DENIED] * 3
    assert [r.user_id for r in refusals] == [None, None, world.users[Role.DEELNEMER].id]
    for refusal in refusals:
        stored = " ".join((refusal.object_id, refusal.reason, refusal.check_result))
        assert deactivated_token not in stored and "AAAA" not in stored


def test_every_host_of_an_installation_gives_a_meeting_the_same_uid(make_app, app, world):
    """Derived from the shared secret key unless configured; another installation differs."""
    meeting = _planned(world)

    def uid_from(extra) -> str:
        client = extra.test_client()
        AuthActions(client).login("deelnemer@noord.example")
        (uid,) = _events(client.get(f"/bijeenkomsten/{meeting.id}.ics").data)
        return uid

    first = uid_from(make_app())
    assert uid_from(make_app()) == first
    assert uid_from(make_app(SECRET_KEY="another installation")) != first
    configured = make_app(CALENDAR_UID_DOMAIN="casustafel.regio.example")
    assert uid_from(configured) == f"meeting-{meeting.id}@casustafel.regio.example"


def test_the_subscription_reads_a_fixed_number_of_queries(app, client, auth, world, count_queries):
    """Two queries: the address with its owner, the meetings with their groups."""
    auth.login("deelnemer@noord.example")
    url, _token = _make_address(client)
    path = url.removeprefix("http://localhost")
    feed_reader = app.test_client()

    def queries() -> int:
        with count_queries() as counted:
            assert feed_reader.get(path).status_code == 200
        return len(counted)

    before = queries()
    leader = world.users[Role.PROCESBEGELEIDER]
    for number in range(3):  # in groups of their own, with the deelnemer a member of each
        group = factories.make_group(
            world.region,
            f"Werkgroep {number}",
            leader=leader,
            members=(world.users[Role.DEELNEMER],),
        )
        factories.make_meeting(group, leader, [], start=False, when=SUMMER)
    assert queries() == before == 2
