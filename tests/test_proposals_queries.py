"""The call-for-cases pages and the reminder read a fixed number of queries, whatever the
number of proposals or calls (no N+1)."""

from __future__ import annotations

from facilitator.extensions import db
from facilitator.proposals import reminders
from facilitator.users.models import Role
from tests import proposal_helpers
from tests.factories import make_case


def _queries(client, count_queries, url) -> int:
    with count_queries() as counted:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(counted)


def _more_proposals(world, call, number: int) -> None:
    for _ in range(number):
        case = make_case(world.group, world.users[Role.DEELNEMER])
        proposal_helpers.proposal(world, call, case=case)


def test_the_meeting_page_does_not_query_per_proposal(client, auth, world, count_queries):
    call = proposal_helpers.open_call(world)
    proposal_helpers.proposal(world, call)
    auth.login("procesbegeleider@noord.example")
    url = f"/bijeenkomsten/{call.meeting_id}"
    one = _queries(client, count_queries, url)
    _more_proposals(world, call, 4)
    assert _queries(client, count_queries, url) == one


def test_the_proposal_page_does_not_query_per_proposal_or_case(client, auth, world, count_queries):
    call = proposal_helpers.open_call(world)
    proposal_helpers.proposal(world, call)
    auth.login("deelnemer@noord.example")
    url = f"/bijeenkomsten/{call.meeting_id}/voorstellen"
    one = _queries(client, count_queries, url)
    _more_proposals(world, call, 4)
    for _ in range(3):  # and more cases to choose from
        make_case(world.group, world.users[Role.DEELNEMER])
    assert _queries(client, count_queries, url) == one


def test_the_start_page_does_not_query_per_open_call(client, auth, world, count_queries):
    proposal_helpers.open_call(world)
    auth.login("deelnemer@noord.example")
    one = _queries(client, count_queries, "/")
    for weeks in (3, 4, 5):
        proposal_helpers.open_call(world, proposal_helpers.planned_meeting(world, weeks=weeks))
    assert "Casussen gezocht" in client.get("/").get_data(as_text=True)
    assert _queries(client, count_queries, "/") == one


def test_selecting_reminders_reads_three_queries_whatever_the_calls(world, count_queries):
    for weeks in (2, 3, 4):
        proposal_helpers.open_call(
            world, proposal_helpers.planned_meeting(world, weeks=weeks), deadline_in=1
        )
    db.session.expire_all()
    with count_queries() as counted:
        selection = reminders.select_reminders()
        assert len(selection) == 3
        assert all(len(reminder.members) == 2 for reminder in selection)
    assert len(counted) == 3
