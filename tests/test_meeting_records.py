"""The records made in a meeting, through HTTP (issue 8): findings and actions edited in place,
hostile text refused, other meetings' records refused, the page back at the record, the
personal-data confirmation only when the guard asks for it, and the evaluation step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from facilitator.actions.models import ActionItem
from facilitator.audit.models import AuditEvent
from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.meetings import run
from facilitator.meetings.models import (
    BuildingBlockScore,
    Finding,
    FindingKind,
    FindingLevel,
    Meeting,
    MeetingStatus,
)
from facilitator.privacy.models import PersonalDataConfirmation
from facilitator.users.models import Role
from tests.factories import make_meeting
from tests.helpers import csrf_token, post_form

LEADER = "procesbegeleider@noord.example"
FINDING_TEXT = "Overdracht tussen UWV en gemeente loopt stroef"
ACTION_TEXT = "Driegesprek plannen"
BLOCKS = ("kennen", "begrijpen", "waarderen", "vertrouwen", "samenwerken", "doelen_realiseren")
#: A BSN that passes the elfproef, spelled as people write it.
BSN = "2431.80.226"
#: A right-to-left override: the page would show the text in another order than it is stored.
BIDI = "Werkgever \u202ebellen"


@pytest.fixture
def leader(client, auth, world):
    auth.login(LEADER)
    return world.users[Role.PROCESBEGELEIDER]


@dataclass
class Recorded:
    """A finding and an action in the steps of the world's meeting that show them."""

    finding: Finding
    action: ActionItem


@pytest.fixture
def recorded(world, leader) -> Recorded:
    from facilitator.meetings import records

    m = db.session.get(Meeting, world.meeting.id)
    finding = records.add_finding(
        m,
        step_with(m.id, "findings").ref,
        kind="knelpunt",
        level="uitvoering",
        text=FINDING_TEXT,
        organisations=[],
        signal=True,
        actor=leader,
    )
    action = records.add_action(
        m,
        step_with(m.id, "actions").ref,
        description=ACTION_TEXT,
        owner=world.users[Role.DEELNEMER],
        due_on=date.today() + timedelta(days=14),
        actor=leader,
    )
    db.session.commit()
    return Recorded(finding, action)


def fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def screen_url(meeting_id: int, ref: str) -> str:
    return f"/bijeenkomsten/{meeting_id}/leiden?stap={ref}"


def step_with(meeting_id: int, field_type: str):
    m = fresh(Meeting, meeting_id)
    return next(s for s in run.rail(m) if any(f.type.value == field_type for f in s.step.fields))


def audit_rows(event_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.event_type == event_type)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def edit(client, url: str, prefix: str, fields: dict, *, token_from: str):
    """Post a record's edit form: its fields (and token) carry the record's prefix."""
    data = {f"{prefix}-csrf_token": csrf_token(client, token_from)}
    data |= {f"{prefix}-{name}": value for name, value in fields.items()}
    return client.post(url, data=data)


def edit_finding(client, world, finding_id: int, fields: dict, *, meeting_id: int = 0):
    """Edit a finding through the meeting ``meeting_id`` (the world's running one)."""
    values = {"kind": "kans", "level": "beleid_organisatie", "text": "Vast overleg helpt"}
    return edit(
        client,
        f"/bijeenkomsten/{meeting_id or world.meeting.id}/bevindingen/{finding_id}",
        f"edit-finding-{finding_id}",
        values | fields,
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )


def edit_action(client, world, action_id: int, fields: dict, *, meeting_id: int = 0):
    """Edit an action through the meeting ``meeting_id`` (the world's running one)."""
    values = {
        "description": "Werkgever bellen over een proefplaats",
        "owner_id": f"user:{world.extra_member.id}",
        "due_on": (date.today() + timedelta(days=21)).isoformat(),
    }
    return edit(
        client,
        f"/bijeenkomsten/{meeting_id or world.meeting.id}/acties/{action_id}",
        f"edit-action-{action_id}",
        values | fields,
        token_from=f"/bijeenkomsten/{world.meeting.id}/leiden",
    )


def record_forms(page: str) -> str:
    """The record forms of a page (new and edit forms), without the step's own fields."""
    return "".join(part.split("</form>")[0] for part in page.split('class="record-form')[1:])


def put_leader_in_consent_scope(world) -> None:
    """The consent of the world's case with consent covers the procesbegeleider's organisation."""
    consent = db.session.get(Case, world.consent_case.id).consents[-1]
    consent.organisations.append(world.gemeente)
    db.session.commit()


# --- editing ------------------------------------------------------------------------------------


def test_a_finding_is_edited_in_the_meeting_saved_audited_and_shown_at_its_place(
    client, leader, world, recorded
):
    finding_id, ref = recorded.finding.id, recorded.finding.step_ref
    page = client.get(screen_url(world.meeting.id, ref)).get_data(as_text=True)
    assert f'name="edit-finding-{finding_id}-text"' in page  # the edit form, filled in
    assert f"{FINDING_TEXT}</textarea>" in page

    response = edit_finding(
        client, world, finding_id, {"text": "Vast overleg helpt", "organisations": world.ggz.id}
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"stap={ref}#finding-{finding_id}")
    finding = fresh(Finding, finding_id)
    assert (finding.kind, finding.level, finding.text) == (
        FindingKind.KANS,
        FindingLevel.BELEID,
        "Vast overleg helpt",
    )
    assert [o.id for o in finding.organisations] == [world.ggz.id]
    assert finding.signal is False  # unticked in the form: no longer a signal
    (row,) = audit_rows("finding_updated")
    assert row.user_id == leader.id and row.object_id == str(finding_id)
    assert row.reason == "kind,level,signal,text,organisations"  # which fields, never the text
    assert row.case_pseudonym == fresh(Finding, finding_id).case.pseudonym
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    item = shown.split(f'<li id="finding-{finding_id}" tabindex="-1" data-record>')[1]
    assert item.split("<div")[0].strip().endswith("Vast overleg helpt (GGZ Noord)")


def test_an_action_is_edited_in_the_meeting_and_its_organisation_follows_the_new_owner(
    client, leader, world, recorded
):
    action_id, ref = recorded.action.id, recorded.action.step_ref
    due = date.today() + timedelta(days=21)

    response = edit_action(client, world, action_id, {"due_on": due.isoformat()})

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"stap={ref}#action-{action_id}")
    action = fresh(ActionItem, action_id)
    assert action.description == "Werkgever bellen over een proefplaats"
    assert (action.owner_user_id, action.organisation_id) == (
        world.extra_member.id,
        world.gemeente.id,
    )
    assert action.due_on == due
    (row,) = audit_rows("action_updated")
    assert row.user_id == leader.id and row.object_id == str(action_id)
    assert row.reason == "description,due_on,organisation,owner"


def test_an_action_whose_owner_left_the_group_keeps_that_owner_when_edited(
    client, leader, world, recorded
):
    from facilitator.groups import services as groups

    owner = world.users[Role.DEELNEMER]
    groups.remove_member(world.group, world.group.membership_of(owner), actor=leader)
    db.session.commit()
    action_id = recorded.action.id
    page = client.get(screen_url(world.meeting.id, recorded.action.step_ref))
    owner_select = page.get_data(as_text=True).split(f'name="edit-action-{action_id}-owner_id"')
    assert f'<option selected value="user:{owner.id}">' in owner_select[1].split("</select>")[0]

    response = edit_action(client, world, action_id, {"owner_id": f"user:{owner.id}"})

    assert response.status_code == 302
    assert fresh(ActionItem, action_id).owner_user_id == owner.id


def test_a_refused_edit_comes_back_open_with_what_was_typed(client, leader, world, recorded):
    typed = f"Cliënt met BSN {BSN} besproken"
    response = edit_finding(client, world, recorded.finding.id, {"text": typed})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    item = page.split(f'<li id="finding-{recorded.finding.id}"')[1].split("</li>")[0]
    assert re.search(r'<details class="record-edit" open>\s*<summary>Bewerken', item)
    assert f"{typed}</textarea>" in item
    assert 'aria-invalid="true"' in item and BSN in item  # the fragment pointed out
    assert FINDING_TEXT in item  # the record itself as stored


HOSTILE = {
    "a BSN": f"Cliënt met BSN {BSN} besproken",
    "a bidirectional override": BIDI,
    "another case's client name": "Voorbeeldt zoekt werk in de zorg",
}


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("kind", ["finding", "action"])
def test_hostile_text_in_an_edit_is_refused_and_changes_nothing(
    client, leader, world, recorded, kind, hostile
):
    put_leader_in_consent_scope(world)  # so the other case's client is screened for
    model, item = (
        (Finding, recorded.finding) if kind == "finding" else (ActionItem, recorded.action)
    )
    before = {c.key: getattr(item, c.key) for c in model.__table__.columns}

    if kind == "finding":
        response = edit_finding(client, world, item.id, {"text": hostile})
    else:
        response = edit_action(client, world, item.id, {"description": hostile})

    assert response.status_code == 422
    after = fresh(model, item.id)
    assert {c.key: getattr(after, c.key) for c in model.__table__.columns} == before
    assert audit_rows(f"{kind}_updated") == []
    assert db.session.scalars(select(PersonalDataConfirmation)).first() is None


def test_the_client_name_is_refused_only_for_a_user_in_the_consent_scope(
    client, leader, world, recorded
):
    """Outside the scope the guard knows no identity (it must reveal nothing): the control
    that shows the refusal above comes from the scope, not from the word itself."""
    response = edit_finding(
        client, world, recorded.finding.id, {"text": HOSTILE["another case's client name"]}
    )
    assert response.status_code == 302


def test_a_record_of_another_meeting_is_refused_and_logged(client, leader, world, recorded):
    other = make_meeting(world.group, leader, [world.fictional_case])

    finding = edit_finding(client, world, recorded.finding.id, {}, meeting_id=other.id)
    action = edit_action(client, world, recorded.action.id, {}, meeting_id=other.id)

    assert (finding.status_code, action.status_code) == (403, 403)
    assert fresh(Finding, recorded.finding.id).text == FINDING_TEXT
    assert fresh(ActionItem, recorded.action.id).description == ACTION_TEXT
    denials = audit_rows("access_denied")
    assert [(d.check_result, d.object_type, d.user_id) for d in denials] == [
        ("not_of_this_meeting", "findings", leader.id),
        ("not_of_this_meeting", "action_items", leader.id),
    ]
    assert audit_rows("finding_updated") == audit_rows("action_updated") == []


def test_a_record_of_another_groups_meeting_is_refused_and_logged(client, leader, world):
    foreign = db.session.scalars(
        select(Finding).where(Finding.meeting_id == world.other_meeting.id)
    ).one()
    foreign_action = db.session.scalars(
        select(ActionItem).where(ActionItem.meeting_id == world.other_meeting.id)
    ).one()
    foreign_text, foreign_description = foreign.text, foreign_action.description

    through_own = edit_finding(client, world, foreign.id, {})
    through_theirs = edit_finding(client, world, foreign.id, {}, meeting_id=world.other_meeting.id)
    action = edit_action(client, world, foreign_action.id, {})

    assert [r.status_code for r in (through_own, through_theirs, action)] == [403, 403, 403]
    assert fresh(Finding, foreign.id).text == foreign_text
    assert fresh(ActionItem, foreign_action.id).description == foreign_description
    assert [d.check_result for d in audit_rows("access_denied")] == [
        "not_of_this_meeting",
        "can_run_meeting",
        "not_of_this_meeting",
    ]


def test_a_closed_meetings_records_cannot_be_edited(client, leader, world, recorded):
    m = db.session.get(Meeting, world.meeting.id)
    m.status = MeetingStatus.AFGEROND  # as run.close_meeting leaves it
    db.session.commit()
    page = client.get(screen_url(world.meeting.id, recorded.finding.step_ref))
    shown_page = page.get_data(as_text=True)
    assert FINDING_TEXT in shown_page
    # No edit or remove form of a running meeting; a held one is corrected with a reason
    # (tests/test_record_corrections.py).
    finding_url = f"/bijeenkomsten/{world.meeting.id}/bevindingen/{recorded.finding.id}"
    assert f'action="{finding_url}"' not in shown_page
    assert f'action="{finding_url}/verwijderen"' not in shown_page

    finding = edit_finding(client, world, recorded.finding.id, {"text": "Achteraf anders"})
    action = edit_action(client, world, recorded.action.id, {"description": "Achteraf anders"})

    assert finding.status_code == action.status_code == 302
    shown = client.get(finding.headers["Location"]).get_data(as_text=True)
    assert "Dit kan worden vastgelegd zolang de bijeenkomst loopt." in shown
    assert fresh(Finding, recorded.finding.id).text == FINDING_TEXT
    assert fresh(ActionItem, recorded.action.id).description == ACTION_TEXT
    assert audit_rows("finding_updated") == audit_rows("action_updated") == []


# --- back at the record -------------------------------------------------------------------------


def test_after_adding_a_record_the_page_comes_back_at_it(client, leader, world):
    findings_step = step_with(world.meeting.id, "findings")
    actions_step = step_with(world.meeting.id, "actions")

    finding = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/bevindingen",
        {"ref": findings_step.ref, "kind": "kans", "level": "uitvoering", "text": "Korte lijnen"},
        token_from=screen_url(world.meeting.id, findings_step.ref),
    )
    action = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/acties",
        {
            "ref": actions_step.ref,
            "description": "Werkgever bellen",
            "owner_id": f"user:{world.extra_member.id}",
            "due_on": (date.today() + timedelta(days=7)).isoformat(),
        },
        token_from=screen_url(world.meeting.id, actions_step.ref),
    )

    new_finding = db.session.scalars(select(Finding).where(Finding.text == "Korte lijnen")).one()
    new_action = db.session.scalars(
        select(ActionItem).where(ActionItem.description == "Werkgever bellen")
    ).one()
    assert finding.headers["Location"].endswith(
        f"stap={findings_step.ref}#finding-{new_finding.id}"
    )
    assert action.headers["Location"].endswith(f"stap={actions_step.ref}#action-{new_action.id}")
    page = client.get(finding.headers["Location"]).get_data(as_text=True)
    assert f'<li id="finding-{new_finding.id}" tabindex="-1" data-record>' in page
    assert '<script src="/static/js/records.js" defer></script>' in page


def test_after_removing_a_record_the_page_comes_back_at_its_list(client, leader, world, recorded):
    ref = recorded.finding.step_ref
    response = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/bevindingen/{recorded.finding.id}/verwijderen",
        token_from=screen_url(world.meeting.id, ref),
    )
    assert response.headers["Location"].endswith(f"stap={ref}#findings")
    assert fresh(Finding, recorded.finding.id) is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<h2 id="findings" tabindex="-1">' in page


def test_the_step_counts_its_records_in_dutch(client, leader, world, recorded):
    url = screen_url(world.meeting.id, recorded.finding.step_ref)
    assert "1 bevinding vastgelegd in deze stap." in client.get(url).get_data(as_text=True)
    post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/bevindingen",
        {"ref": recorded.finding.step_ref, "kind": "kans", "level": "uitvoering", "text": "Kort"},
        token_from=url,
    )
    assert "2 bevindingen vastgelegd in deze stap." in client.get(url).get_data(as_text=True)


# --- the personal-data confirmation -------------------------------------------------------------


def test_the_confirmation_box_appears_only_when_the_guard_finds_something(
    client, leader, world, recorded
):
    ref = recorded.finding.step_ref
    url = screen_url(world.meeting.id, ref)
    forms = record_forms(client.get(url).get_data(as_text=True))
    assert f"edit-finding-{recorded.finding.id}-text" in forms and 'name="text"' in forms
    assert "personal_data_confirmed" not in forms  # neither the new nor the edit form

    typed = {"ref": ref, "kind": "kans", "level": "uitvoering", "text": "Bel 06-12345678"}
    asked = post_form(
        client, f"/bijeenkomsten/{world.meeting.id}/bevindingen", typed, token_from=url
    )
    assert asked.status_code == 422
    forms = record_forms(asked.get_data(as_text=True))
    boxes = re.findall(r'name="([^"]*personal_data_confirmed)"', forms)
    assert boxes == ["personal_data_confirmed"]  # the new form's box; the edit forms' not
    assert (
        db.session.scalars(select(Finding).where(Finding.text == "Bel 06-12345678")).first() is None
    )

    confirmed = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/bevindingen",
        typed | {"personal_data_confirmed": "y"},
        token_from=url,
    )
    assert confirmed.status_code == 302
    saved = db.session.scalars(select(Finding).where(Finding.text == "Bel 06-12345678")).one()
    assert db.session.scalars(select(PersonalDataConfirmation)).one().object_id == saved.id


def test_an_edit_asks_for_the_confirmation_only_when_the_guard_finds_something(
    client, leader, world, recorded
):
    action_id = recorded.action.id
    text = {"description": "Mail de jobcoach op jobcoach@werk.example"}

    asked = edit_action(client, world, action_id, text)

    assert asked.status_code == 422
    forms = record_forms(asked.get_data(as_text=True))
    boxes = re.findall(r'name="([^"]*personal_data_confirmed)"', forms)
    assert boxes == [f"edit-action-{action_id}-personal_data_confirmed"]  # not the new form's
    assert fresh(ActionItem, action_id).description == ACTION_TEXT
    confirmed = edit_action(client, world, action_id, text | {"personal_data_confirmed": "y"})
    assert confirmed.status_code == 302
    assert fresh(ActionItem, action_id).description == text["description"]
    confirmation = db.session.scalars(select(PersonalDataConfirmation)).one()
    assert (confirmation.object_id, confirmation.field) == (action_id, "description")


# --- the evaluation step ------------------------------------------------------------------------


def test_the_evaluation_step_has_multiline_answers_and_says_what_the_scores_mean(
    client, leader, world
):
    step = step_with(world.meeting.id, "building_blocks")
    page = client.get(screen_url(world.meeting.id, step.ref)).get_data(as_text=True)
    form = page.split('class="record-form blocks"')[1].split("</form>")[0]

    assert re.search(r'<textarea[^>]*name="went_well"', form)
    assert re.search(r'<textarea[^>]*name="could_be_better"', form)
    assert "personal_data_confirmed" not in form
    assert "<legend>Hoe ver is de groep op elke bouwsteen?</legend>" in form
    assert (
        '<p class="hint" id="score-scale">Score van 1 tot en met 5: 1 = nog nauwelijks, '
        "5 = helemaal.</p>"
    ) in form
    for key in BLOCKS:
        select_tag = re.search(rf'<select[^>]*name="{key}"[^>]*>', form).group(0)
        assert 'aria-describedby="score-scale"' in select_tag, key
    assert form.count(">1 (nog nauwelijks)</option>") == len(BLOCKS)
    assert form.count(">5 (helemaal)</option>") == len(BLOCKS)


def test_scores_are_saved_with_two_lines_of_evaluation_and_the_page_returns_to_them(
    client, leader, world
):
    step = step_with(world.meeting.id, "building_blocks")
    url = screen_url(world.meeting.id, step.ref)
    data = {key: "4" for key in BLOCKS} | {
        "ref": step.ref,
        "went_well": "Goede voorbereiding\nIedereen was er",
        "could_be_better": "De tijd bewaken",
    }
    response = post_form(
        client, f"/bijeenkomsten/{world.meeting.id}/bouwstenen", data, token_from=url
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"stap={step.ref}#building-blocks")
    scores = fresh(BuildingBlockScore, world.meeting.id)
    assert (scores.went_well, scores.kennen) == ("Goede voorbereiding\nIedereen was er", 4)

    asked = post_form(
        client,
        f"/bijeenkomsten/{world.meeting.id}/bouwstenen",
        data | {"went_well": "Mail de voorzitter: voorzitter@werk.example"},
        token_from=url,
    )
    assert asked.status_code == 422
    form = asked.get_data(as_text=True).split('class="record-form blocks"')[1].split("</form>")[0]
    assert 'name="personal_data_confirmed"' in form
    assert fresh(BuildingBlockScore, world.meeting.id).went_well.startswith("Goede")
