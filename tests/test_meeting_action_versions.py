"""An action changed on the facilitation screen never silently overwrites another person's
change (SECURITY.md R3): the screen's edit form and the review form carry the version of the
action they showed; a save made on an older version is refused (409) with what is saved now
next to what was entered, the other person's change kept and the typed input still in the form.
Saving that form again is the person's decision, and is kept.
"""

from __future__ import annotations

import re
from datetime import timedelta

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem, ActionStatus
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.users.models import Role
from tests.test_action_review import PROTOCOLS, _scenario, listed
from tests.test_concurrent_edits import (  # noqa: F401  (fixtures)
    CONFLICT,
    LEADER,
    conflict_rows,
    logged_in,
    opened,
    refilled,
    second_leader,
    text,
)
from tests.test_meeting_records import (  # noqa: F401  (fixtures)
    edit_action,
    fresh,
    leader,
    recorded,
    screen_url,
)


def shown_version(html: str, action_id: int) -> str:
    """The version the screen's edit form of the action holds, as a browser sends it."""
    form = re.search(rf'action="[^"]*/acties/{action_id}".*?</form>', html, re.S)
    assert form, f"no edit form for action {action_id}"
    field = re.search(rf'name="edit-action-{action_id}-version"[^>]*value="(\d+)"', form.group(0))
    assert field, f"no version in the edit form of action {action_id}"
    return field.group(1)


def test_meeting_screen_edit_of_an_action_does_not_silently_overwrite_another_edit(
    client,
    leader,  # noqa: F811
    world,
    recorded,  # noqa: F811
):
    """The facilitator's screen shows the action; meanwhile its owner corrects it on the
    action's own page; the facilitator then saves the screen's form: refused (409) with what
    changed, the owner's text kept."""
    action_id = recorded.action.id
    action = fresh(ActionItem, action_id)
    assert action.version == 1
    # The screen as the facilitator has it open: its edit form carries version 1.
    screen = client.get(screen_url(world.meeting.id, action.step_ref))
    assert screen.status_code == 200
    version = shown_version(screen.get_data(as_text=True), action_id)
    assert version == "1"
    # The owner saves a correction through /acties/<id>/bewerken (version 1 -> 2).
    actions.edit_action(
        action,
        description="Eigenaar: eerst met de werkgever bellen",
        owner=action.owner,
        due_on=action.due_on,
        case=action.case,
        actor=world.users[Role.DEELNEMER],
        seen_version=1,
    )
    db.session.commit()
    # The facilitator saves the form the screen showed before that.
    response = edit_action(client, world, action_id, {"version": version})
    stored = fresh(ActionItem, action_id).description
    assert response.status_code == 409, (response.status_code, stored)
    assert stored == "Eigenaar: eerst met de werkgever bellen"

    # In Dutch, in the action's own form, opened, with both texts side by side.
    assert CONFLICT in text(response)
    rows = conflict_rows(response)
    assert rows["Wat"] == (
        "Eigenaar: eerst met de werkgever bellen",
        "Werkgever bellen over een proefplaats",
    )
    html = response.get_data(as_text=True)
    assert "Werkgever bellen over een proefplaats</textarea>" in html  # the input kept
    assert shown_version(html, action_id) == "2"  # now the current one

    # Saving it again is the facilitator's decision to keep theirs.
    again = edit_action(client, world, action_id, {"version": "2"})
    assert again.status_code == 302
    saved = fresh(ActionItem, action_id)
    assert (saved.description, saved.version) == ("Werkgever bellen over een proefplaats", 3)


def test_two_facilitators_changing_an_actions_status_in_the_review_keep_the_first(
    app,
    world,
    second_leader,  # noqa: F811
):
    """Two procesbegeleiders have the same review step open; one records "goes on", then the
    other, on the version their screen showed, "dropped": refused (409) with what is saved now
    next to what they entered; "goes on" and its note kept. Saving again is theirs to choose."""
    scenario = _scenario(world, PROTOCOLS[0])
    action = scenario.others[0]
    first, second = logged_in(app, LEADER), logged_in(app, second_leader)
    pages = [screen_url(scenario.meeting.id, step.ref) for step in scenario.review_steps()]
    page = next(p for p in pages if action.id in listed(first.get(p).get_data(as_text=True)))
    suffix = f"/acties/{action.id}/status"
    new_due = local_today() + timedelta(days=7)
    url, mine = opened(
        first,
        page,
        suffix,
        status="in_uitvoering",
        due_on=new_due.isoformat(),
        note="Loopt: gesprek volgende week",
    )
    _, theirs = opened(second, page, suffix, status="vervallen", note="Niet meer nodig")
    assert mine["version"] == theirs["version"] == str(action.version)

    assert first.post(url, data=mine).status_code == 302
    refused = second.post(url, data=theirs)

    assert refused.status_code == 409
    assert CONFLICT in text(refused)
    rows = conflict_rows(refused)
    assert set(rows) == {"Wat is ermee gebeurd?", "Laatste terugkoppeling"}  # no date to drop
    assert rows["Wat is ermee gebeurd?"] == ("In uitvoering", "Vervallen")
    assert rows["Laatste terugkoppeling"] == ("Loopt: gesprek volgende week", "Niet meer nodig")
    stored = fresh(ActionItem, action.id)
    assert (stored.status, stored.due_on) == (ActionStatus.IN_UITVOERING, new_due)
    assert [u.note for u in stored.updates][-1] == "Loopt: gesprek volgende week"
    assert "Niet meer nodig</textarea>" in refused.get_data(as_text=True)  # the input kept

    again = second.post(url, data=refilled(refused, url))
    assert again.status_code == 302
    assert fresh(ActionItem, action.id).status == ActionStatus.VERVALLEN


def test_a_version_that_is_no_number_of_a_version_is_refused_and_changes_nothing(
    client,
    leader,  # noqa: F811
    world,
    recorded,  # noqa: F811
):
    """A posted version is a whole number within the database's range, or the form is refused
    as any wrong field is (422), and the action stays as it was."""
    action_id = recorded.action.id
    for hostile in ("2431.80.226", "1\u202e", str(2**31), "-1"):
        response = edit_action(client, world, action_id, {"version": hostile})
        assert response.status_code == 422, hostile
        stored = fresh(ActionItem, action_id)
        assert (stored.description, stored.version) == ("Driegesprek plannen", 1)
