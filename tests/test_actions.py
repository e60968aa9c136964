"""Action items through HTTP (issue 9): "Mijn acties" on the start page and its own page, the
owner's terugkoppeling kept as history, the group's board with its filters, agreeing and editing
an action on the board and a case page, and who may see or change what."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem, ActionStatus, ActionUpdate
from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.localtime import local_today
from facilitator.regions import contacts
from facilitator.users.models import Role
from tests.helpers import csrf_token, post_form

BSN = "2431.80.226"
BIDI = "Werkgever \u202ebellen"
OWNER = "deelnemer@noord.example"
LEADER = "procesbegeleider@noord.example"


def fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def agree(world, description: str, *, owner=None, due_in: int = 7, case=None, status=None):
    """An action of the world's group, agreed outside a meeting (and moved on, if asked)."""
    leader = world.users[Role.PROCESBEGELEIDER]
    action = actions.create_action(
        world.group,
        description=description,
        owner=owner or world.users[Role.DEELNEMER],
        due_on=local_today() + timedelta(days=due_in),
        case=case,
        actor=leader,
    )
    if status:
        actions.change_status(action, status, note="Zo staat het", actor=leader)
    db.session.commit()
    return action


def make_overdue(action: ActionItem, days: int = 3) -> None:
    action = fresh(ActionItem, action.id)
    action.due_on = local_today() - timedelta(days=days)
    db.session.commit()


def update(client, action_id: int, data: dict, *, page: str = "/acties"):
    fields = {"status": "in_uitvoering", "note": "Afspraak gemaakt", "back": "mijn"} | data
    return client.post(
        f"/acties/{action_id}/terugkoppeling",
        data={"csrf_token": csrf_token(client, page), **fields},
    )


@pytest.fixture
def contact(world):
    made = contacts.create_contact(
        world.gemeente, name="Lisa Werkgeversadviseur", email="lisa@noord.example", actor=None
    )
    db.session.commit()
    return made


# --- Mijn acties ---------------------------------------------------------------------------------


def test_my_actions_are_on_the_start_page_open_first_and_overdue_said_in_words(client, auth, world):
    late = agree(world, "Werkgever terugbellen", due_in=2)
    make_overdue(late)
    agree(world, "Afgeronde actie", status="gereed")
    agree(world, "Actie van een ander", owner=world.extra_member)
    auth.login(OWNER)

    home = client.get("/").get_data(as_text=True)
    mine = home.split('id="my-actions-heading"')[1].split("</section>")[0]
    assert "Werkgever terugbellen" in mine and "Driegesprek plannen" in mine
    assert "Afgeronde actie" not in mine  # the start page lists open ones
    assert "Actie van een ander" not in mine
    row = mine.split('id="action-')[1:]
    overdue = next(r for r in row if "Werkgever terugbellen" in r)
    assert "te laat" in overdue and "overdue" in overdue.split(">")[0]

    page = client.get("/acties").get_data(as_text=True)
    order = [
        page.index(text)
        for text in ("Werkgever terugbellen", "Driegesprek plannen", "Afgeronde actie")
    ]
    assert order == sorted(order)  # open first (by due date), finished after
    assert "Actie van een ander" not in page


def test_the_owner_records_how_it_stands_and_the_history_keeps_who_and_when(client, auth, world):
    auth.login(OWNER)
    action_id = world.action.id

    response = update(client, action_id, {"note": "Eerste gesprek gevoerd met de werkgever"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/acties#action-{action_id}")
    action = fresh(ActionItem, action_id)
    assert action.status == ActionStatus.IN_UITVOERING
    (entry,) = action.updates
    assert (entry.by_id, entry.note) == (
        world.users[Role.DEELNEMER].id,
        "Eerste gesprek gevoerd met de werkgever",
    )
    page = client.get(f"/acties/{action_id}").get_data(as_text=True)
    history = page.split('id="history-heading"')[1]
    assert "Eerste gesprek gevoerd met de werkgever" in history
    assert world.users[Role.DEELNEMER].name in history
    assert "Open → In uitvoering" in history
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "action_status")
    ).one()
    assert audit.reason == "open->in_uitvoering"


def test_a_new_due_date_goes_with_an_update_of_an_action_that_goes_on(client, auth, world):
    auth.login(OWNER)
    new_due = local_today() + timedelta(days=40)
    response = update(
        client,
        world.action.id,
        {"status": "open", "note": "Uitgesteld tot na de vakantie", "due_on": new_due.isoformat()},
    )
    assert response.status_code == 302
    action = fresh(ActionItem, world.action.id)
    assert action.due_on == new_due
    assert action.updates[0].due_to == new_due
    assert "deadline" in client.get(f"/acties/{world.action.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    "note",
    ["", "   ", f"Cliënt met BSN {BSN} gebeld", BIDI, "x" * 1001],
    ids=["empty", "blank", "bsn", "bidi", "too long"],
)
def test_an_update_without_a_note_or_with_hostile_text_changes_nothing(client, auth, world, note):
    auth.login(OWNER)
    response = update(client, world.action.id, {"status": "gereed", "note": note})
    assert response.status_code == 422
    assert fresh(ActionItem, world.action.id).status == ActionStatus.OPEN
    assert db.session.scalar(select(func.count(ActionUpdate.id))) == 0
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_an_owner_who_left_the_group_still_finds_and_updates_their_action(client, auth, world):
    owner = world.users[Role.DEELNEMER]
    groups.remove_member(world.group, world.group.membership_of(owner), actor=None)
    db.session.commit()
    auth.login(OWNER)
    assert "Driegesprek plannen" in client.get("/acties").get_data(as_text=True)
    assert client.get(f"/acties/{world.action.id}").status_code == 200
    assert update(client, world.action.id, {"status": "gereed", "note": "Klaar"}).status_code == 302
    assert client.get(f"/groepen/{world.group.id}/acties").status_code == 403


# --- the group's board --------------------------------------------------------------------------


def test_the_board_filters_by_status_overdue_organisation_case_and_owner(
    client, auth, world, contact
):
    late = agree(world, "Te late actie", case=world.fictional_case)
    make_overdue(late)
    agree(world, "Actie van de adviseur", owner=contact, case=world.consent_case)
    agree(world, "Gereed gemelde actie", status="gereed")
    auth.login(LEADER)
    board = f"/groepen/{world.group.id}/acties"

    def shown(query: str = "") -> set[str]:
        html = client.get(board + query).get_data(as_text=True)
        return set(re.findall(r'href="/acties/\d+">([^<]+)</a>', html))

    everything = {
        "Te late actie",
        "Actie van de adviseur",
        "Gereed gemelde actie",
        "Driegesprek plannen",
    }
    assert shown() == everything
    assert shown("?status=gereed") == {"Gereed gemelde actie"}
    assert shown("?te_laat=y") == {"Te late actie"}
    assert shown(f"?organisatie={world.gemeente.id}") == {"Actie van de adviseur"}
    assert shown(f"?casus={world.fictional_case.id}") == {"Te late actie", "Driegesprek plannen"}
    assert shown(f"?eigenaar=contact:{contact.id}") == {"Actie van de adviseur"}
    assert shown(f"?eigenaar=user:{world.users[Role.DEELNEMER].id}&te_laat=y") == {"Te late actie"}
    # The form as the browser submits it: every select on its first choice, "All".
    assert shown("?status=&organisatie=0&casus=0&eigenaar=&te_laat=y") == {"Te late actie"}
    assert shown("?status=&organisatie=0&casus=0&eigenaar=") == everything
    # Nonsense filters filter nothing, and break nothing.
    assert shown("?status=verzonnen&casus=abc&eigenaar=x:1&organisatie=999999") == everything
    html = client.get(board).get_data(as_text=True)
    late_row = html.split(f'id="action-{late.id}"')[1].split("</tr>")[0]
    assert "te laat" in late_row


def test_an_action_is_agreed_on_the_board_with_an_owner_without_an_account(
    client, auth, world, contact
):
    auth.login(LEADER)
    url = f"/groepen/{world.group.id}/acties/nieuw"
    response = post_form(
        client,
        url,
        {
            "description": "Werkgever benaderen",
            "owner_id": f"contact:{contact.id}",
            "due_on": (local_today() + timedelta(days=10)).isoformat(),
            "case_id": "0",
        },
    )
    assert response.status_code == 302
    action = db.session.scalars(
        select(ActionItem).where(ActionItem.description == "Werkgever benaderen")
    ).one()
    assert (action.owner_contact_id, action.case_id, action.meeting_id) == (contact.id, None, None)
    assert action.organisation_id == world.gemeente.id
    assert "zonder account" in client.get(f"/groepen/{world.group.id}/acties").get_data(
        as_text=True
    )


def test_an_action_is_agreed_on_a_case_page_and_shown_there(client, auth, world):
    auth.login(OWNER)
    case_page = f"/casussen/{world.consent_case.id}"
    link = f"/groepen/{world.group.id}/acties/nieuw?casus={world.consent_case.id}"
    assert link.replace("&", "&amp;") in client.get(case_page).get_data(as_text=True)
    form = client.get(link).get_data(as_text=True)
    assert f'<option selected value="{world.consent_case.id}">' in form

    response = post_form(
        client,
        link,
        {
            "description": "Behandelaar vragen naar belastbaarheid",
            "owner_id": f"user:{world.users[Role.DEELNEMER].id}",
            "due_on": (local_today() + timedelta(days=5)).isoformat(),
            "case_id": str(world.consent_case.id),
        },
    )
    assert response.status_code == 302
    shown = client.get(case_page).get_data(as_text=True).split('id="actions-heading"')[1]
    assert "Behandelaar vragen naar belastbaarheid" in shown
    assert "Driegesprek plannen" not in shown  # that one is the fictional case's


@pytest.mark.parametrize("description", [f"Cliënt {BSN} bellen", BIDI], ids=["bsn", "bidi"])
def test_a_new_action_with_hostile_text_is_refused(client, auth, world, description):
    auth.login(LEADER)
    response = post_form(
        client,
        f"/groepen/{world.group.id}/acties/nieuw",
        {
            "description": description,
            "owner_id": f"user:{world.users[Role.DEELNEMER].id}",
            "due_on": (local_today() + timedelta(days=5)).isoformat(),
            "case_id": "0",
        },
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ActionItem.id))) == 2  # the world's two


def test_an_action_is_edited_and_the_moved_due_date_shows_in_its_history(client, auth, world):
    auth.login(LEADER)
    new_due = world.action.due_on + timedelta(days=7)
    response = post_form(
        client,
        f"/acties/{world.action.id}/bewerken",
        {
            "description": "Driegesprek plannen met de werkgever erbij",
            "owner_id": f"user:{world.extra_member.id}",
            "due_on": new_due.isoformat(),
            "case_id": str(world.fictional_case.id),
        },
    )
    assert response.status_code == 302
    action = fresh(ActionItem, world.action.id)
    assert (action.description, action.owner_user_id, action.due_on) == (
        "Driegesprek plannen met de werkgever erbij",
        world.extra_member.id,
        new_due,
    )
    assert action.organisation_id == world.gemeente.id
    history = (
        client.get(f"/acties/{world.action.id}")
        .get_data(as_text=True)
        .split('id="history-heading"')[1]
    )
    assert world.users[Role.PROCESBEGELEIDER].name in history and "deadline" in history


# --- who may see and change what -----------------------------------------------------------------


def test_the_projectleider_reads_the_board_and_actions_but_changes_nothing(client, auth, world):
    auth.login("projectleider@noord.example")
    board = client.get(f"/groepen/{world.group.id}/acties")
    assert board.status_code == 200
    html = board.get_data(as_text=True)
    assert "Driegesprek plannen" in html and "/acties/nieuw" not in html
    page = client.get(f"/acties/{world.action.id}").get_data(as_text=True)
    assert "Driegesprek plannen" in page and "/terugkoppeling" not in page
    assert update(client, world.action.id, {}, page="/account/").status_code == 403
    assert client.get(f"/acties/{world.action.id}/bewerken").status_code == 403
    assert client.get(f"/groepen/{world.group.id}/acties/nieuw").status_code == 403
    assert fresh(ActionItem, world.action.id).status == ActionStatus.OPEN


def test_the_beheerder_sees_no_board_and_no_action(client, auth, world):
    auth.login("beheerder@noord.example")
    assert client.get(f"/groepen/{world.group.id}/acties").status_code == 403
    assert client.get(f"/acties/{world.action.id}").status_code == 403
    assert "Driegesprek" not in client.get("/").get_data(as_text=True)


def test_another_groups_action_is_a_logged_403_and_an_unknown_one_a_404(client, auth, world):
    foreign = db.session.scalars(
        select(ActionItem).where(ActionItem.group_id == world.other_group.id)
    ).one()
    auth.login(LEADER)
    for url in (f"/acties/{foreign.id}", f"/acties/{foreign.id}/bewerken"):
        assert client.get(url).status_code == 403
    assert update(client, foreign.id, {}, page="/acties").status_code == 403
    assert fresh(ActionItem, foreign.id).status == ActionStatus.OPEN
    denials = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied").order_by(AuditEvent.id)
    ).all()
    assert len(denials) == 3
    assert {(d.object_type, d.object_id, d.outcome) for d in denials} == {
        ("action_items", str(foreign.id), AuditOutcome.DENIED)
    }
    assert {d.case_pseudonym for d in denials} == {world.other_case.pseudonym}
    assert client.get("/acties/999999").status_code == 404
    assert client.get(f"/groepen/{world.other_group.id}/acties").status_code == 403


def test_a_foreign_owner_or_case_posted_to_the_board_is_refused(client, auth, world):
    auth.login(LEADER)
    url = f"/groepen/{world.group.id}/acties/nieuw"
    base = {
        "description": "Bellen",
        "owner_id": f"user:{world.users[Role.DEELNEMER].id}",
        "due_on": (local_today() + timedelta(days=5)).isoformat(),
        "case_id": "0",
    }
    assert (
        post_form(client, url, base | {"owner_id": f"user:{world.other_user.id}"}).status_code
        == 200
    )
    assert post_form(client, url, base | {"case_id": str(world.other_case.id)}).status_code == 200
    assert db.session.scalar(select(func.count(ActionItem.id))) == 2


@pytest.mark.parametrize("description", [f"Cliënt {BSN} bellen", BIDI], ids=["bsn", "bidi"])
def test_an_edit_with_hostile_text_is_refused(client, auth, world, description):
    auth.login(LEADER)
    response = post_form(
        client,
        f"/acties/{world.action.id}/bewerken",
        {
            "description": description,
            "owner_id": f"user:{world.users[Role.DEELNEMER].id}",
            "due_on": world.action.due_on.isoformat(),
            "case_id": str(world.fictional_case.id),
        },
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert fresh(ActionItem, world.action.id).description == "Driegesprek plannen"


# --- the review in the next meeting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "saved"),
    [
        ("Gesprek gevoerd, loopt door", True),
        (f"BSN {BSN} gebeld", False),
        (BIDI, False),
        ("", False),
    ],
    ids=["clean", "bsn", "bidi", "empty"],
)
def test_the_next_meetings_review_records_a_status_with_a_screened_note(
    client, auth, world, note, saved
):
    from facilitator.database import utcnow
    from facilitator.meetings import run
    from facilitator.meetings.models import Meeting
    from tests.factories import make_meeting

    later = make_meeting(
        world.group,
        world.users[Role.PROCESBEGELEIDER],
        [world.fictional_case],
        protocol_id="opvolging",
        when=utcnow() + timedelta(hours=2),
    )
    review = next(  # opvolging reviews an agenda case's actions in that case's step
        s.ref
        for s in run.rail(db.session.get(Meeting, later.id))
        if s.case == world.fictional_case and s.step.reviews_actions
    )
    auth.login(LEADER)
    screen = f"/bijeenkomsten/{later.id}/leiden?stap={review}"
    assert f'id="review-{world.action.id}"' in client.get(screen).get_data(as_text=True)
    response = client.post(
        f"/bijeenkomsten/{later.id}/acties/{world.action.id}/status",
        data={
            "csrf_token": csrf_token(client, screen),
            "ref": review,
            "status": "in_uitvoering",
            "due_on": (local_today() + timedelta(days=30)).isoformat(),  # goes on: a new date
            "note": note,
        },
    )
    action = fresh(ActionItem, world.action.id)
    if saved:
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"#review-{world.action.id}")
        (entry,) = action.updates
        assert (entry.note, entry.meeting_id, action.status) == (
            note,
            later.id,
            ActionStatus.IN_UITVOERING,
        )
    else:
        assert response.status_code == 422
        assert f'aria-invalid="true" id="review-{world.action.id}-note"' in response.get_data(
            as_text=True
        )
        assert action.status == ActionStatus.OPEN and action.updates == []
