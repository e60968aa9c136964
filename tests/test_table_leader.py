"""A group's leader under the title the region uses (issue 13): set on the group form (audited),
shown wherever the group names its leader: the group page and list, the meeting page, the
facilitation screen and the minutes; the role stays procesbegeleider. And the demo's table."""

from __future__ import annotations

import contextvars
import re
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from facilitator.actions import services as actions
from facilitator.audit.models import AuditEvent
from facilitator.demo.seed import DEMO_GROUPS
from facilitator.exports.feedback_bodies import bodies_of
from facilitator.extensions import db
from facilitator.groups import policy
from facilitator.groups import services as groups
from facilitator.groups.models import CaseGroup, GroupRole, LeaderTitle
from facilitator.localtime import local_today
from facilitator.meetings.models import AgendaItem, Meeting, MeetingStatus
from facilitator.regions import contacts
from facilitator.users.models import Role
from tests import factories
from tests.helpers import post_form
from tests.minutes_helpers import hold_world_meeting, read_docx, table_rows

PROJECTLEIDER = "projectleider@noord.example"
LEADER = "procesbegeleider@noord.example"


def text_of(response) -> str:
    """The page as read: tags dropped, white space collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return unescape(re.sub(r"\s+", " ", text))


def group_form(group: CaseGroup, **changes) -> dict:
    form = {
        "region_id": str(group.region_id),
        "name": group.name,
        "theme": group.theme,
        "description": group.description,
        "rhythm": group.rhythm.value,
        "default_protocol": group.default_protocol,
        "leader_title": "trekker",
        "leader_independent": "y",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def fresh_group(world) -> CaseGroup:
    db.session.expire_all()
    return db.session.get(CaseGroup, world.group.id)


def make_trekker_led(client, auth, world):
    auth.login(PROJECTLEIDER)
    url = f"/groepen/{world.group.id}/bewerken"
    response = post_form(client, url, group_form(world.group))
    assert response.status_code == 302, text_of(response)
    auth.logout()
    return fresh_group(world)


def test_a_new_group_is_led_by_a_procesbegeleider_not_independent(client, auth, world):
    group = fresh_group(world)
    assert (group.leader_title, group.leader_independent) == (LeaderTitle.PROCESBEGELEIDER, False)
    auth.login(LEADER)
    page = text_of(client.get(f"/groepen/{group.id}"))
    assert f"Procesbegeleider {world.users[Role.PROCESBEGELEIDER].name}" in page
    assert "onafhankelijk" not in page


def test_the_projectleider_sets_the_title_and_independence_on_the_group_form(client, auth, world):
    auth.login(PROJECTLEIDER)
    url = f"/groepen/{world.group.id}/bewerken"
    form = text_of(client.get(url))
    assert "Titel van de leider van de groep" in form and "Gespreksleider" in form
    assert post_form(client, url, group_form(world.group)).status_code == 302
    group = fresh_group(world)
    assert (group.leader_title, group.leader_independent) == (LeaderTitle.TREKKER, True)
    # The title is a word, not a role: the trekker still leads as the group's procesbegeleider.
    leader = world.users[Role.PROCESBEGELEIDER]
    assert group.membership_of(leader).role == GroupRole.PROCESBEGELEIDER
    assert policy.is_group_procesbegeleider(leader, group)
    rows = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.event_type == "group_updated", AuditEvent.object_id == str(group.id)
        )
    ).all()
    assert rows


def test_a_title_that_is_no_choice_changes_nothing(client, auth, world):
    auth.login(PROJECTLEIDER)
    url = f"/groepen/{world.group.id}/bewerken"
    response = post_form(client, url, group_form(world.group, leader_title="koning"))
    assert response.status_code == 200
    assert fresh_group(world).leader_title == LeaderTitle.PROCESBEGELEIDER


def test_the_title_is_shown_where_the_group_names_its_leader(client, auth, world):
    group = make_trekker_led(client, auth, world)
    name = world.users[Role.PROCESBEGELEIDER].name
    auth.login(LEADER)
    group_page = text_of(client.get(f"/groepen/{group.id}"))
    assert f"Trekker {name} onafhankelijk" in group_page
    assert "Procesbegeleiders" not in group_page
    meeting_page = text_of(client.get(f"/bijeenkomsten/{world.meeting.id}"))
    assert f"Trekker {name} onafhankelijk" in meeting_page
    screen = text_of(client.get(f"/bijeenkomsten/{world.meeting.id}/leiden"))
    assert f"Trekker: {name}" in screen
    auth.logout()
    auth.login(PROJECTLEIDER)
    assert f"{name} (trekker)" in text_of(client.get("/groepen/"))


def test_the_minutes_name_the_leader_by_the_title(client, auth, world):
    make_trekker_led(client, auth, world)
    held = hold_world_meeting(world)
    auth.login(LEADER)
    response = client.get(f"/bijeenkomsten/{held.id}/verslag.docx")
    assert response.status_code == 200
    cover = dict(row for row in table_rows(read_docx(response.data)) if len(row) == 2)
    name = world.users[Role.PROCESBEGELEIDER].name
    assert cover["Trekker"] == f"{name} (onafhankelijk)"
    assert "Procesbegeleider" not in cover


def test_the_demo_has_a_trekker_a_candidate_at_the_table_and_a_projectgroep(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    work_group = db.session.scalar(select(CaseGroup).where(CaseGroup.name == DEMO_GROUPS[1].name))
    assert work_group.leader_title == LeaderTitle.TREKKER
    present = db.session.scalars(
        select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.candidate_present.is_(True))
    ).all()
    assert len(present) == 1 and present[0].meeting.status == MeetingStatus.AFGEROND
    names = [b.name for b in bodies_of(work_group.region_id, active_only=True)]
    assert "Projectgroep" in names and "Klankbordgroep" in names


def test_a_contact_is_told_to_report_to_the_groups_trekker(
    app, world, smtp_server, runner, monkeypatch
):
    """The reminder names the leader by the group's title, and carries no identity."""
    monkeypatch.setitem(app.config, "SERVER_NAME", "casustafel.regio.example")
    groups.update_group(world.group, leader_title="trekker", actor=None)
    adviser = contacts.create_contact(
        world.gemeente, name="Wim Werkgeversadviseur", email="wsp@noord.example", actor=None
    )
    actions.create_action(
        world.group,
        description="Werkplek bekijken",
        owner=adviser,
        due_on=local_today() + timedelta(days=1),
        case=world.consent_case,
        actor=world.users[Role.PROCESBEGELEIDER],
    )
    db.session.commit()
    result = contextvars.Context().run(runner.invoke, args=["actions", "remind"])
    assert result.exit_code == 0, result.output
    (message,) = smtp_server.inbox.to("wsp@noord.example")
    body = message.get_content()
    assert "laat de trekker van de groep" in body
    assert "procesbegeleider" not in body
    identity = factories.IDENTITY
    for value in (identity.full_name, identity.bsn, identity.birth_date.isoformat(), "07-03-1984"):
        assert value not in body
