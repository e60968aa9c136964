"""Lists of actions (issue 9): the CLI listing, "Mijn acties" and the board at a fixed number of
queries whatever the number of actions, and the demo region's actions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem, ActionStatus, ActionUpdate
from facilitator.cases.models import RegievoerderAssignment
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.regions import contacts
from facilitator.regions.models import Contact
from facilitator.users.models import Role

HEADER = ["id", "group", "case", "description", "owner", "organisation", "due", "status"]


def many_actions(world, number: int) -> None:
    """``number`` actions of the deelnemer in the world's group, on cases, half of a contact."""
    leader = world.users[Role.PROCESBEGELEIDER]
    adviser = contacts.create_contact(
        world.gemeente,
        name=f"Adviseur {number}",
        email=f"adviseur{number}@noord.example",
        actor=None,
    )
    for n in range(number):
        action = actions.create_action(
            world.group,
            description=f"Actie {n}",
            owner=world.users[Role.DEELNEMER] if n % 2 == 0 else adviser,
            due_on=local_today() + timedelta(days=n),
            case=world.fictional_case if n % 3 else world.consent_case,
            actor=leader,
        )
        actions.change_status(action, "in_uitvoering", note=f"Stand {n}", actor=leader)
    db.session.commit()


def queries_for(client, count_queries, url: str) -> int:
    db.session.expire_all()
    with count_queries() as counted:
        response = client.get(url)
        assert response.status_code == 200
    return len(counted)


def test_my_actions_and_the_start_page_read_a_fixed_number_of_queries(
    client, auth, world, count_queries
):
    auth.login("deelnemer@noord.example")
    before = {url: queries_for(client, count_queries, url) for url in ("/acties", "/")}
    many_actions(world, 20)
    after = {url: queries_for(client, count_queries, url) for url in ("/acties", "/")}
    assert after == before
    assert client.get("/acties").get_data(as_text=True).count("Actie 1") >= 1


def test_the_board_reads_a_fixed_number_of_queries(client, auth, world, count_queries):
    auth.login("procesbegeleider@noord.example")
    url = f"/groepen/{world.group.id}/acties"
    before = queries_for(client, count_queries, url)
    many_actions(world, 20)
    assert queries_for(client, count_queries, url) == before
    # A filter adds no query (one that matches: the read log writes only for cases shown).
    assert queries_for(client, count_queries, url + "?status=in_uitvoering") == before


def test_the_case_page_reads_a_fixed_number_of_queries_for_its_actions(
    client, auth, world, count_queries
):
    auth.login("procesbegeleider@noord.example")
    url = f"/casussen/{world.fictional_case.id}"
    before = queries_for(client, count_queries, url)
    many_actions(world, 12)
    assert queries_for(client, count_queries, url) == before


def test_actions_list_prints_tab_separated_rows_with_a_header(runner, world):
    adviser = contacts.create_contact(
        world.gemeente, name="Adviseur", email="adviseur@noord.example", actor=None
    )
    action = actions.create_action(
        world.group,
        description="Werkgever\tbellen",
        owner=adviser,
        due_on=local_today() + timedelta(days=4),
        case=world.consent_case,
        actor=world.users[Role.PROCESBEGELEIDER],
    )
    actions.change_status(action, "gereed", note="Gebeld", actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()

    def rows(*args: str) -> list[list[str]]:
        result = runner.invoke(args=["actions", "list", *args])
        assert result.exit_code == 0, result.output
        lines = [line.split("\t") for line in result.output.splitlines()]
        assert lines[0] == HEADER
        return lines[1:]

    everything = rows()
    assert len(everything) == 3  # the world's two and this one
    assert [
        action.id,
        "Casusgroep Noord",
        world.consent_case.pseudonym,
        "Werkgever bellen",
        "adviseur@noord.example",
        "Gemeente Noord",
        action.due_on.isoformat(),
        "gereed",
    ] in [[int(r[0]), *r[1:]] for r in everything]
    assert [r[3] for r in rows("--group", "Casusgroep Noord")] == [
        "Werkgever bellen",  # due first
        "Driegesprek plannen",
    ]
    assert [r[3] for r in rows("--owner", "ADVISEUR@noord.example")] == ["Werkgever bellen"]
    assert [r[4] for r in rows("--owner", "deelnemer@noord.example")] == ["deelnemer@noord.example"]
    assert [r[7] for r in rows("--status", "open")] == ["open", "open"]
    assert rows("--owner", "niemand@noord.example") == []


def test_actions_list_refuses_an_unknown_group_or_status(runner, world):
    unknown = runner.invoke(args=["actions", "list", "--group", "Bestaat niet"])
    assert unknown.exit_code == 1 and "no single group" in unknown.output
    assert runner.invoke(args=["actions", "list", "--status", "klaar"]).exit_code == 2


def test_the_demo_region_has_open_overdue_and_finished_actions_with_history(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    every = db.session.scalars(select(ActionItem)).all()
    today = local_today()
    statuses = {a.status for a in every}
    assert {
        ActionStatus.OPEN,
        ActionStatus.IN_UITVOERING,
        ActionStatus.GEREED,
        ActionStatus.VERVALLEN,
    } <= statuses
    assert any(a.is_overdue(today) for a in every)
    assert any(a.owner_contact_id is not None for a in every)
    assert any(a.meeting_id is None for a in every)
    updates = db.session.scalars(select(ActionUpdate)).all()
    assert len(updates) >= 3 and all(u.note for u in updates)
    assert all(u.at.date() < today for u in updates)  # dated between the meetings
    assert db.session.scalar(select(Contact)) is not None
    handed_over = db.session.scalars(
        select(RegievoerderAssignment).where(RegievoerderAssignment.handover_reason != "")
    ).all()
    assert handed_over and handed_over[0].contact_id is not None
