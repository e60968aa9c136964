"""Host and notulist wherever a meeting is shown: its page, its edit form, the invitation
(.ics), the personal subscription, the minutes and ``facilitator meetings list``; and the
demo's series."""

from __future__ import annotations

import itertools
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.demo.seed import DEMO_GROUPS, seed_demo
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_date, local_today
from facilitator.meetings.hosting import member_organisations
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.series.models import MeetingSeries
from facilitator.users.models import Role
from tests.helpers import post_form
from tests.minutes_helpers import hold_world_meeting, read_docx, table_rows
from tests.series_helpers import plan_world_series

LEADER = "procesbegeleider@noord.example"


def _first_meeting(world) -> Meeting:
    series = plan_world_series(world, count=2)
    return db.session.scalars(
        select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.scheduled_at)
    ).first()


def _events(body: bytes) -> dict[str, object]:
    return {str(e["UID"]).split("@")[0]: e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_the_meeting_page_names_host_and_notulist_and_links_its_series(client, auth, world):
    meeting = _first_meeting(world)
    auth.login(LEADER)
    html = client.get(f"/bijeenkomsten/{meeting.id}").get_data(as_text=True)
    assert "<dt>Gastheer</dt><dd>Gemeente Noord</dd>" in html
    assert f"<dt>Notulist</dt><dd>{world.users[Role.DEELNEMER].name}</dd>" in html
    assert f'href="/reeksen/{meeting.series_id}"' in html
    auth.logout()
    auth.login("deelnemer@noord.example")
    html = client.get(f"/bijeenkomsten/{meeting.id}").get_data(as_text=True)
    assert "<dt>Gastheer</dt><dd>Gemeente Noord</dd>" in html
    assert f'href="/reeksen/{meeting.series_id}"' not in html


def test_the_edit_form_changes_host_and_notulist_audited_and_the_calendar_follows(
    client, auth, world
):
    meeting = _first_meeting(world)
    sequence = meeting.calendar_sequence
    auth.login(LEADER)
    url = f"/bijeenkomsten/{meeting.id}/bewerken"
    form = {
        "date": local_date(meeting.scheduled_at).isoformat(),
        "time": "14:00",
        "duration_minutes": str(meeting.duration_minutes),
        "location": meeting.location,
        "online_link": "",
        "host_organisation_id": str(world.ggz.id),
        "notulist_id": str(world.extra_member.id),
    }
    assert post_form(client, url, form).status_code == 302
    db.session.expire_all()
    changed = db.session.get(Meeting, meeting.id)
    assert (changed.host_organisation_id, changed.notulist_id) == (
        world.ggz.id,
        world.extra_member.id,
    )
    assert changed.calendar_sequence == sequence + 1
    assert db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.event_type == "meeting_updated", AuditEvent.object_id == str(meeting.id)
        )
    ).one()
    # Someone outside the group, or an organisation of another region: refused, nothing changed.
    for refused in (
        {"notulist_id": str(world.users[Role.PROJECTLEIDER].id)},
        {"host_organisation_id": str(world.other_org.id)},
    ):
        response = post_form(client, url, {**form, **refused})
        assert response.status_code == 200 and "Ongeldige keuze" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).notulist_id == world.extra_member.id


def test_the_invitation_and_the_subscription_name_host_and_notulist(app, client, auth, world):
    meeting = _first_meeting(world)
    auth.login("deelnemer@noord.example")
    body = client.get(f"/bijeenkomsten/{meeting.id}.ics").data
    description = str(_events(body)[f"meeting-{meeting.id}"]["DESCRIPTION"])
    assert "Gastheer: Gemeente Noord" in description
    assert f"Notulist: {world.users[Role.DEELNEMER].name}" in description

    page = post_form(client, "/account/agenda/nieuw").get_data(as_text=True)
    address = page.split('value="http://localhost', 1)[1].split('"', 1)[0]
    feed = app.test_client().get(address)
    assert feed.status_code == 200
    series_ids = db.session.scalars(
        select(Meeting.id).where(Meeting.series_id == meeting.series_id)
    ).all()
    events = _events(feed.data)
    assert {f"meeting-{i}" for i in series_ids} <= set(events)
    assert "Gastheer: Gemeente Noord" in str(events[f"meeting-{meeting.id}"]["DESCRIPTION"])


def test_the_minutes_name_host_and_notulist_on_the_cover(client, auth, world):
    meeting = db.session.get(Meeting, world.meeting.id)
    meeting.host_organisation_id = world.ggz.id
    meeting.notulist_id = world.extra_member.id
    db.session.commit()
    held = hold_world_meeting(world)
    auth.login(LEADER)
    response = client.get(f"/bijeenkomsten/{held.id}/verslag.docx")
    assert response.status_code == 200
    rows = table_rows(read_docx(response.data))
    assert ["Gastheer", "GGZ Noord"] in rows
    assert ["Notulist", "Extra Lid"] in rows


def test_meetings_list_shows_host_and_notulist(runner, world):
    meeting = _first_meeting(world)
    output = runner.invoke(args=["meetings", "list", "--group", "Casusgroep Noord"]).output
    rows = {line.split("\t")[0]: line.split("\t") for line in output.splitlines()}
    assert rows["id"][-2:] == ["host", "notulist"]
    assert rows[str(meeting.id)][-2:] == ["Gemeente Noord", world.users[Role.DEELNEMER].email]
    assert rows[str(world.meeting.id)][-2:] == ["", ""]


def test_the_demo_group_has_a_year_of_meetings_in_turn_after_its_own_planned_meeting(app):
    seed_demo()
    db.session.commit()
    group = db.session.scalar(select(CaseGroup).where(CaseGroup.name == DEMO_GROUPS[0].name))
    series = db.session.scalars(
        select(MeetingSeries).where(MeetingSeries.group_id == group.id)
    ).one()
    meetings = series.meetings
    assert len(meetings) >= 8
    assert all(m.status == MeetingStatus.GEPLAND and not m.agenda for m in meetings)
    days = [local_date(m.scheduled_at) for m in meetings]
    assert days[0] > local_today() and days[-1] < local_today() + timedelta(days=366 + 42)
    order = [o.id for o in member_organisations(group)]
    hosts = [m.host_organisation_id for m in meetings]
    assert hosts == [order[i % len(order)] for i in range(len(meetings))]
    for meeting, following in itertools.pairwise(meetings):
        assert meeting.notulist.organisation_id == following.host_organisation_id
    # The demo's own next meeting stays a meeting of its own, first, with its cases.
    own = db.session.scalars(
        select(Meeting).where(
            Meeting.group_id == group.id,
            Meeting.status == MeetingStatus.GEPLAND,
            Meeting.series_id.is_(None),
        )
    ).one()
    assert own.agenda and own.scheduled_at < meetings[0].scheduled_at


def test_a_notulist_deactivated_since_does_not_block_changing_the_meeting(client, auth, world):
    from facilitator.users import services as users

    meeting = _first_meeting(world)
    notulist = db.session.get(Meeting, meeting.id).notulist
    users.deactivate_user(notulist, actor=None)
    db.session.commit()
    auth.login(LEADER)
    url = f"/bijeenkomsten/{meeting.id}/bewerken"
    form = {
        "date": local_date(meeting.scheduled_at).isoformat(),
        "time": "15:00",
        "duration_minutes": str(meeting.duration_minutes),
        "location": "Zaal 9",
        "online_link": "",
        "host_organisation_id": str(meeting.host_organisation_id),
        "notulist_id": str(notulist.id),
    }
    assert post_form(client, url, form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).location == "Zaal 9"


def test_the_demo_meetings_before_the_series_took_their_turns_ending_where_it_begins(app):
    seed_demo()
    db.session.commit()
    group = db.session.scalar(select(CaseGroup).where(CaseGroup.name == DEMO_GROUPS[0].name))
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.group_id == group.id).order_by(Meeting.scheduled_at)
    ).all()
    assert meetings[0].series_id is None and meetings[-1].series_id is not None
    assert all(m.host_organisation_id and m.notulist_id for m in meetings)
    for meeting, following in itertools.pairwise(meetings):
        assert meeting.notulist.organisation_id == following.host_organisation_id


def test_the_series_page_names_its_protocol_by_title_and_version(client, auth, world):
    series = plan_world_series(world, count=2)
    auth.login(LEADER)
    page = client.get(f"/reeksen/{series.id}").get_data(as_text=True)
    assert "Casusgroep: samenwerking rond de casus (v1.2)" in page
