"""List pages read a bounded number of queries, whatever the number of rows (no N+1)."""

from __future__ import annotations

from datetime import timedelta

from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.users.models import Role
from tests.factories import make_group, make_meeting


def _queries(client, count_queries, url) -> int:
    with count_queries() as counted:
        assert client.get(url).status_code == 200
    return len(counted)


def test_group_list_does_not_query_per_group(client, auth, world, count_queries):
    auth.login("beheerder@noord.example")
    leader = world.users[Role.PROCESBEGELEIDER]
    before = _queries(client, count_queries, "/groepen/")
    for number in range(5):
        make_group(
            world.region, f"Extra groep {number}", leader=leader, members=(world.extra_member,)
        )
    assert _queries(client, count_queries, "/groepen/") == before


def test_group_page_does_not_query_per_meeting(client, auth, world, count_queries):
    auth.login("procesbegeleider@noord.example")
    leader = world.users[Role.PROCESBEGELEIDER]
    url = f"/groepen/{world.group.id}"
    before = _queries(client, count_queries, url)
    for weeks in range(1, 6):
        make_meeting(
            world.group,
            leader,
            [world.fictional_case],
            start=False,
            when=utcnow() + timedelta(weeks=weeks),
        )
    assert _queries(client, count_queries, url) == before


def test_meetings_list_command_does_not_query_per_meeting(runner, world, count_queries):
    def run() -> int:
        db.session.expire_all()  # the runner shares this session: start from a cold one
        with count_queries() as counted:
            assert runner.invoke(args=["meetings", "list"]).exit_code == 0
        return len(counted)

    before = run()
    leader = world.users[Role.PROCESBEGELEIDER]
    for number in range(5):  # each meeting in a group of its own
        group = make_group(world.region, f"Groep {number}", leader=leader)
        make_meeting(group, leader, [], start=False)
    assert run() == before


def test_static_files_need_no_database(client, auth, world, count_queries):
    auth.login("deelnemer@noord.example")
    with count_queries() as counted:
        for path in ("/static/css/app.css", "/static/js/facilitate.js"):
            with client.get(path) as response:
                assert response.status_code == 200
                assert "no-store" not in response.headers.get("Cache-Control", "")
    assert counted == []


def test_meeting_page_does_not_query_per_agenda_case(client, auth, world, count_queries):
    """The organisations at the table are read for every agenda case at once."""
    from facilitator.meetings import planning
    from tests.factories import make_case

    auth.login("procesbegeleider@noord.example")
    leader = world.users[Role.PROCESBEGELEIDER]
    bringer = world.users[Role.DEELNEMER]
    small = make_meeting(world.group, leader, [make_case(world.group, bringer)], start=False)
    large = make_meeting(
        world.group, leader, [make_case(world.group, bringer) for _ in range(5)], start=False
    )
    for meeting in (small, large):
        for item in meeting.agenda:
            planning.set_case_presence(meeting, item, [world.gemeente, world.ggz], actor=leader)
    db.session.commit()
    assert _queries(client, count_queries, f"/bijeenkomsten/{small.id}") == _queries(
        client, count_queries, f"/bijeenkomsten/{large.id}"
    )
