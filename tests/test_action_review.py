"""Open actions come back in the next meeting, whatever its protocol (issue 9, carry-over).

For every shipped protocol: a meeting is held with cases A and C (an action recorded per case),
and the group agrees more actions outside meetings; then the next meeting, with A and another
case B on its agenda, is started. Its review lists each open action exactly once, in its place:
A's in A's case step when the protocol reviews per case, else under A in the meeting's review;
C's and the group's own in the meeting's review; never one done already, one agreed in this
meeting, or another group's. Through HTTP, with CSRF on, the procesbegeleider records done,
goes on (new date) and dropped (reason), each with a note that lands in the history with the
meeting; refused input changes nothing and says why; the regievoerder's update per case is
kept and shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem, ActionStatus
from facilitator.audit.models import AuditEvent
from facilitator.cases.models import Case, CaseUpdate
from facilitator.database import utcnow
from facilitator.demo.meetings import hold_meeting
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import records, run
from facilitator.meetings.models import AgendaItem, Meeting, MeetingStatus
from facilitator.meetings.progress import StepState
from facilitator.protocols.loader import DEFAULT_DIRECTORY, load_directory
from facilitator.users.models import Role
from tests.factories import make_case, make_meeting
from tests.helpers import post_form
from tests.html_checker import check_pages, duplicate_ids, vnu_command

LEADER = "procesbegeleider@noord.example"
PROTOCOLS = sorted(load_directory(DEFAULT_DIRECTORY).valid)
#: A BSN that passes the elfproef, spelled as people write it.
BSN = "2431.80.226"
BIDI = "Werkgever \u202ebellen"


def fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


@dataclass
class Scenario:
    """The next meeting of the world's group and what its review should list where."""

    protocol_id: str
    meeting: Meeting
    case_a: Case
    case_b: Case
    case_c: Case
    of_a: list[ActionItem]  # open, of case A (on today's agenda again)
    others: list[ActionItem]  # open, of case C (not on today's agenda) and of the whole group
    not_listed: list[ActionItem]  # done before; agreed in this meeting; another group's

    @property
    def url(self) -> str:
        return f"/bijeenkomsten/{self.meeting.id}"

    def steps(self) -> list[run.RailStep]:
        return run.rail(fresh(Meeting, self.meeting.id))

    def review_steps(self) -> list[run.RailStep]:
        return [s for s in self.steps() if s.step.reviews_actions]

    def item(self, case: Case) -> AgendaItem:
        return next(i for i in fresh(Meeting, self.meeting.id).agenda if i.case_id == case.id)


def _scenario(world, protocol_id: str) -> Scenario:
    leader = world.users[Role.PROCESBEGELEIDER]
    owner = world.users[Role.DEELNEMER]
    case_a, case_b = world.fictional_case, world.consent_case
    case_c = make_case(world.group, owner, description="Cliënt zoekt werk in de groenvoorziening.")
    held = make_meeting(
        world.group,
        leader,
        [case_a, case_c],
        start=False,
        protocol_id=protocol_id,
        when=utcnow() - timedelta(days=14),
    )
    hold_meeting(held, leader, owner)  # every step filled, an action per case, closed
    first_of_a, first_of_c = (
        db.session.scalars(
            select(ActionItem).where(ActionItem.meeting_id == held.id, ActionItem.case_id == c.id)
        ).one()
        for c in (case_a, case_c)
    )
    due = local_today() + timedelta(days=10)
    on_board = actions.create_action(
        world.group,
        description="Werkgeversbijeenkomst voorbereiden",
        owner=world.extra_member,
        due_on=due,
        actor=leader,
    )
    of_a_on_board = actions.create_action(
        world.group,
        description="Proefplaatsing aanvragen",
        owner=owner,
        due_on=due,
        case=case_a,
        actor=leader,
    )
    done = actions.create_action(
        world.group,
        description="Intake plannen",
        owner=owner,
        due_on=due,
        case=case_a,
        actor=leader,
    )
    actions.change_status(done, "gereed", note="Intake was vorige week", actor=owner)
    db.session.commit()
    meeting = make_meeting(
        world.group,
        leader,
        [case_a, case_b],
        protocol_id=protocol_id,
        when=utcnow() + timedelta(hours=1),
    )
    case_step = next(s.ref for s in run.rail(meeting) if s.case is not None)
    agreed_here = records.add_action(
        meeting,
        case_step,
        description="Werkplek bekijken",
        owner=owner,
        due_on=due,
        actor=leader,
    )
    foreign = db.session.scalars(
        select(ActionItem).where(ActionItem.group_id == world.other_group.id)
    ).first()
    db.session.commit()
    return Scenario(
        protocol_id,
        meeting,
        case_a,
        case_b,
        case_c,
        of_a=[world.action, first_of_a, of_a_on_board],
        others=[first_of_c, on_board],
        not_listed=[done, agreed_here, foreign],
    )


@pytest.fixture(params=PROTOCOLS)
def scenario(request, world, client, auth) -> Scenario:
    built = _scenario(world, request.param)
    auth.login(LEADER)
    return built


def page(client, scenario: Scenario, ref: str) -> str:
    response = client.get(f"{scenario.url}/leiden?stap={ref}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def listed(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li id="review-(\d+)"', html)]


def review_form(client, scenario: Scenario, action: ActionItem, ref: str, **fields):
    """Post the review form of ``action`` as its step shows it."""
    data = {"ref": ref} | fields
    return post_form(
        client,
        f"{scenario.url}/acties/{action.id}/status",
        data,
        token_from=f"{scenario.url}/leiden?stap={ref}",
    )


def where_listed(client, scenario: Scenario) -> dict[int, list[str]]:
    """For every action id on a review page, the refs of the steps that list it."""
    found: dict[int, list[str]] = {}
    for step in scenario.review_steps():
        for action_id in listed(page(client, scenario, step.ref)):
            found.setdefault(action_id, []).append(step.ref)
    return found


def section_of(html: str, item: AgendaItem) -> str:
    match = re.search(
        rf'<section class="review-case" aria-labelledby="review-case-{item.id}">(.*?)</section>',
        html,
        re.S,
    )
    assert match, f"no review section for agenda item {item.id}"
    return match.group(1)


# --- the review is there, whatever the protocol ------------------------------------------------


def test_every_protocol_reviews_the_group_and_the_agenda_cases(scenario):
    steps = scenario.steps()
    protocol = fresh(Meeting, scenario.meeting.id).protocol
    meeting_reviews = [s for s in steps if s.case is None and s.step.reviews_actions]
    assert meeting_reviews, "no review of the group's actions"
    if protocol.added_review:  # the file has no review of its own: one at the start
        (added,) = meeting_reviews
        assert added.ref == "m:terugblik" and added.number == 2
        assert steps[0].ref == "m:opening"
        assert added.step.title == "Terugblik op de acties"
        assert "regievoerder" in added.step.guidance
    else:
        assert all(s.ref != "m:terugblik" for s in steps)
    if protocol.reviews_per_case:
        for case in (scenario.case_a, scenario.case_b):
            assert any(s.case == case and s.step.reviews_actions for s in steps)


def test_the_open_actions_come_back_exactly_once_in_their_place(client, scenario):
    found = where_listed(client, scenario)

    expected = {a.id for a in scenario.of_a + scenario.others}
    assert set(found) == expected
    assert all(len(refs) == 1 for refs in found.values()), found
    assert not {a.id for a in scenario.not_listed} & set(found)
    group_step = next(s for s in scenario.review_steps() if s.case is None)
    for action in scenario.others:
        assert found[action.id] == [group_step.ref]
    protocol = fresh(Meeting, scenario.meeting.id).protocol
    if protocol.reviews_per_case:
        a_steps = {s.ref for s in scenario.review_steps() if s.case == scenario.case_a}
        assert all(found[a.id][0] in a_steps for a in scenario.of_a)
        b_step = next(s for s in scenario.review_steps() if s.case == scenario.case_b)
        assert "Geen openstaande acties van deze casus" in page(client, scenario, b_step.ref)
    else:
        html = page(client, scenario, group_step.ref)
        under_a = section_of(html, scenario.item(scenario.case_a))
        assert set(listed(under_a)) == {a.id for a in scenario.of_a}
        under_b = section_of(html, scenario.item(scenario.case_b))
        assert listed(under_b) == []
        assert "Geen openstaande acties van deze casus" in under_b
        assert "Overige acties van de groep" in html


def test_a_meeting_step_review_lists_every_open_action_when_none_is_reviewed_per_case(
    client, world, auth
):
    """kandidaat-perspectief has a review at the opening only: there A's actions come too."""
    scenario = _scenario(world, "kandidaat-perspectief")
    auth.login(LEADER)
    (only,) = scenario.review_steps()
    assert only.ref == "m:opening"
    assert set(listed(page(client, scenario, only.ref))) == {
        a.id for a in scenario.of_a + scenario.others
    }


# --- done, goes on, dropped: in place, with a note, in the history with the meeting -----------


def test_done_goes_on_and_dropped_are_recorded_with_the_meeting_in_the_history(client, scenario):
    found = where_listed(client, scenario)
    done, going_on, dropped = scenario.of_a[0], scenario.others[0], scenario.others[1]
    new_due = local_today() + timedelta(days=30)
    old_due, done_due = going_on.due_on, done.due_on
    leader_id = fresh(Meeting, scenario.meeting.id).created_by_id

    answers = [
        review_form(  # a date left in the form is for an action that goes on: not this one
            client,
            scenario,
            done,
            found[done.id][0],
            status="gereed",
            due_on=(local_today() + timedelta(days=3)).isoformat(),
            note="Driegesprek gehad",
        ),
        review_form(
            client,
            scenario,
            going_on,
            found[going_on.id][0],
            status="in_uitvoering",
            due_on=new_due.isoformat(),
            note="Werkgever belt volgende week terug",
        ),
        review_form(
            client,
            scenario,
            dropped,
            found[dropped.id][0],
            status="vervallen",
            note="Bijeenkomst gaat niet door: de werkgever trok zich terug",
        ),
    ]

    for action, answer in zip((done, going_on, dropped), answers, strict=True):
        assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
        assert answer.headers["Location"].endswith(f"#review-{action.id}")
    states = {a.id: fresh(ActionItem, a.id) for a in (done, going_on, dropped)}
    assert (states[done.id].status, states[done.id].due_on) == (ActionStatus.GEREED, done_due)
    assert (states[going_on.id].status, states[going_on.id].due_on) == (
        ActionStatus.IN_UITVOERING,
        new_due,
    )
    assert states[dropped.id].status == ActionStatus.VERVALLEN
    history = {a.id: fresh(ActionItem, a.id).updates[-1] for a in (done, going_on, dropped)}
    assert {(u.meeting_id, u.by_id) for u in history.values()} == {(scenario.meeting.id, leader_id)}
    assert history[done.id].note == "Driegesprek gehad"
    assert (history[going_on.id].due_from, history[going_on.id].due_to) == (old_due, new_due)
    assert history[dropped.id].note.startswith("Bijeenkomst gaat niet door")

    # The list shows what was recorded, who recorded it and the note, instead of the form.
    html = page(client, scenario, found[done.id][0])
    item = re.search(rf'<li id="review-{done.id}".*?</li>', html, re.S).group(0)
    assert "Gereed</strong>" in item and "Driegesprek gehad" in item
    assert "vastgelegd door Procesbegeleider Gemeente Noord" in item
    assert "<details" in item and "Corrigeren" in item  # the form only to correct a mistake
    html = page(client, scenario, found[going_on.id][0])
    item = re.search(rf'<li id="review-{going_on.id}".*?</li>', html, re.S).group(0)
    assert f"Loopt door tot {new_due.day} " in item and "(in uitvoering)" in item


def test_the_owners_terugkoppeling_since_the_last_meeting_is_shown_in_the_review(
    client, world, auth
):
    scenario = _scenario(world, "casusgroep-samenwerking")
    action = fresh(ActionItem, scenario.others[0].id)
    actions.change_status(
        action,
        "in_uitvoering",
        note="Werkgever gebeld, wacht op antwoord",
        actor=world.users[Role.DEELNEMER],
    )
    db.session.commit()
    auth.login(LEADER)

    html = page(client, scenario, "m:terugblik")

    item = re.search(rf'<li id="review-{action.id}".*?</li>', html, re.S).group(0)
    assert "Laatste terugkoppeling" in item
    assert "Deelnemer GGZ Noord: “Werkgever gebeld, wacht op antwoord”" in item
    assert 'class="review-outcome"' not in item  # nothing recorded in this meeting yet


def test_a_mistake_is_corrected_by_another_status_change_in_the_same_review(client, scenario):
    action = scenario.of_a[1]
    ref = where_listed(client, scenario)[action.id][0]
    review_form(client, scenario, action, ref, status="gereed", note="Gedaan")
    new_due = local_today() + timedelta(days=7)

    again = review_form(
        client,
        scenario,
        action,
        ref,
        status="in_uitvoering",
        due_on=new_due.isoformat(),
        note="Vergissing: het gesprek moet nog",
    )

    assert again.status_code == 302
    corrected = fresh(ActionItem, action.id)
    assert (corrected.status, corrected.due_on) == (ActionStatus.IN_UITVOERING, new_due)
    assert [(u.status_to, u.meeting_id) for u in corrected.updates[-2:]] == [
        (ActionStatus.GEREED, scenario.meeting.id),
        (ActionStatus.IN_UITVOERING, scenario.meeting.id),
    ]
    assert action.id in listed(page(client, scenario, ref))  # still in the list, once
    assert where_listed(client, scenario)[action.id] == [ref]


def test_a_held_meetings_review_shows_what_was_recorded_and_no_forms(client, scenario):
    action = scenario.others[0]
    ref = where_listed(client, scenario)[action.id][0]
    review_form(client, scenario, action, ref, status="vervallen", note="Niet meer nodig")
    item = scenario.item(scenario.case_a)
    update_at = update_ref(scenario, scenario.case_a)
    case_update_form(client, scenario, item, update_at, text="Gaat goed op het werk")
    held = fresh(Meeting, scenario.meeting.id)
    held.status = MeetingStatus.AFGEROND  # closed as it is: the review is read-only now
    db.session.commit()

    html = page(client, scenario, ref)

    shown = re.search(rf'<li id="review-{action.id}".*?</li>', html, re.S).group(0)
    assert "Vervallen</strong>" in shown and "Niet meer nodig" in shown
    # Only the correction of the terugkoppeling, with a reason (tests/test_record_corrections.py).
    assert re.findall(r'<form[^>]*action="([^"]+)"', shown) == [
        f"/bijeenkomsten/{held.id}/correcties/terugkoppeling/{action.updates[-1].id}"
    ]
    assert f"/acties/{action.id}/status" not in html
    assert "Gaat goed op het werk" in page(client, scenario, update_at)
    assert f"/agenda/{item.id}/stand-van-zaken" not in page(client, scenario, update_at)


# --- refused input changes nothing and says why ------------------------------------------------

REFUSED = {
    "no note": (
        {"status": "gereed", "note": ""},
        "note",
        "Schrijf een korte terugkoppeling",
    ),
    "goes on without a date": (
        {"status": "in_uitvoering", "note": "Loopt nog"},
        "due_on",
        "Een actie die doorloopt, krijgt een nieuwe deadline.",
    ),
    "goes on until yesterday": (
        {"status": "open", "note": "Loopt nog", "due_on": "yesterday"},
        "due_on",
        "De nieuwe deadline ligt in het verleden.",
    ),
    "dropped without a reason": (
        {"status": "vervallen", "note": "   "},
        "note",
        "als de actie vervalt, de reden",
    ),
    "no choice": ({"note": "Loopt nog"}, "status", "Kies wat er van de actie is geworden."),
    "a BSN in the note": (
        {"status": "gereed", "note": f"Gebeld over BSN {BSN}"},
        "note",
        "BSN",
    ),
    "a bidi control in the note": (
        {"status": "gereed", "note": BIDI},
        "note",
        "tekens die niet zijn toegestaan",
    ),
}


def test_refused_review_input_changes_nothing_and_says_why(client, scenario):
    action = scenario.others[0]
    ref = where_listed(client, scenario)[action.id][0]
    before = (fresh(ActionItem, action.id).status, fresh(ActionItem, action.id).due_on)
    yesterday = (local_today() - timedelta(days=1)).isoformat()

    for name, (fields, field, reason) in REFUSED.items():
        fields = {k: (yesterday if v == "yesterday" else v) for k, v in fields.items()}
        answer = review_form(client, scenario, action, ref, **fields)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422, name
        assert reason in html, name
        assert re.search(rf'aria-invalid="true"[^>]*id="review-{action.id}-{field}', html), name
        assert (fresh(ActionItem, action.id).status, fresh(ActionItem, action.id).due_on) == (
            before
        ), name
    assert fresh(ActionItem, action.id).updates == []


def test_an_action_outside_the_review_is_refused_and_another_groups_is_a_logged_403(
    client, scenario
):
    ref = next(s for s in scenario.review_steps() if s.case is None).ref
    done, agreed_here, foreign = scenario.not_listed
    counts = {a.id: len(fresh(ActionItem, a.id).updates) for a in scenario.not_listed}

    answers = [
        review_form(client, scenario, a, ref, status="gereed", note="Klaar")
        for a in (done, agreed_here, foreign)
    ]

    assert [a.status_code for a in answers] == [422, 422, 403]
    for answer in answers[:2]:
        assert "Hier worden alleen openstaande acties van deze groep nagelopen" in (
            answer.get_data(as_text=True)
        )
    assert {a.id: len(fresh(ActionItem, a.id).updates) for a in scenario.not_listed} == counts
    assert fresh(ActionItem, agreed_here.id).status == ActionStatus.OPEN
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).one()
    assert (denial.object_type, denial.object_id, denial.check_result) == (
        "action_items",
        str(foreign.id),
        "action_of_this_group",
    )


# --- the regievoerder's update per case --------------------------------------------------------


def case_update_form(client, scenario: Scenario, item: AgendaItem, ref: str, **fields):
    data = {"ref": ref, "version": "0"} | fields
    return post_form(
        client,
        f"{scenario.url}/agenda/{item.id}/stand-van-zaken",
        data,
        token_from=f"{scenario.url}/leiden?stap={ref}",
    )


def update_ref(scenario: Scenario, case: Case) -> str:
    """Where the case's update is asked: its case review, or the meeting's review."""
    steps = scenario.review_steps()
    return next((s.ref for s in steps if s.case == case), None) or next(
        s.ref for s in steps if s.case is None
    )


def test_the_regievoerders_update_is_kept_per_case_and_shown_in_its_review(client, scenario):
    item = scenario.item(scenario.case_a)
    ref = update_ref(scenario, scenario.case_a)
    text = "Werkt sinds twee weken drie ochtenden bij de kwekerij; de reistijd valt mee."

    answer = case_update_form(client, scenario, item, ref, text=text)

    assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    assert answer.headers["Location"].endswith(f"#case-update-{item.id}")
    stored = db.session.scalars(select(CaseUpdate)).one()
    assert (stored.case_id, stored.meeting_id, stored.text, stored.version) == (
        scenario.case_a.id,
        scenario.meeting.id,
        text,
        1,
    )
    html = page(client, scenario, ref)
    if fresh(Meeting, scenario.meeting.id).protocol.reviews_per_case:
        shown_in = html
    else:
        shown_in = section_of(html, item)
        assert text not in section_of(html, scenario.item(scenario.case_b))
    assert f'<blockquote class="case-update-text">{text}</blockquote>' in shown_in
    gave_regie = any(  # the held meeting gave the regie, when its protocol asks for it
        f.type.value == "regievoerder" for s in scenario.steps() for f in s.step.fields
    )
    regievoerder = "Deelnemer GGZ Noord (GGZ Noord)" if gave_regie else "nog geen"
    assert f"Regievoerder: {regievoerder}" in shown_in
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "case_update_saved")
    ).one()
    assert audit.case_pseudonym == scenario.case_a.pseudonym and text not in audit.reason


def test_a_second_writer_sees_the_other_update_and_saving_again_replaces_it(client, scenario):
    item = scenario.item(scenario.case_b)
    ref = update_ref(scenario, scenario.case_b)
    case_update_form(client, scenario, item, ref, text="Eerste versie van de stand")

    stale = case_update_form(client, scenario, item, ref, text="Mijn versie")

    assert stale.status_code == 422
    html = stale.get_data(as_text=True)
    assert "Iemand anders heeft deze stand van zaken intussen opgeslagen" in html
    assert "Eerste versie van de stand" in html
    assert db.session.scalars(select(CaseUpdate)).one().text == "Eerste versie van de stand"
    form = re.search(rf'action="[^"]*/agenda/{item.id}/stand-van-zaken".*?</form>', html, re.S)
    version = re.search(r'name="version" value="(\d+)"', form.group(0)).group(1)
    assert version == "1"  # saving this form again replaces theirs, knowingly
    again = post_form(
        client,
        f"{scenario.url}/agenda/{item.id}/stand-van-zaken",
        {
            "ref": ref,
            "version": version,
            "text": "Mijn versie",
        },
        token_from=f"{scenario.url}/leiden?stap={ref}",
    )
    assert again.status_code == 302
    assert fresh(CaseUpdate, db.session.scalars(select(CaseUpdate.id)).one()).version == 2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Schrijf in een paar zinnen hoe het met de cliënt gaat."),
        (f"Gebeld, BSN {BSN}", "BSN"),
        (BIDI, "tekens die niet zijn toegestaan"),
        ("x" * 2001, "Veld mag niet langer zijn dan 2000 karakters."),
    ],
    ids=["empty", "bsn", "bidi", "too long"],
)
def test_a_refused_update_is_not_kept_and_says_why(client, world, auth, text, reason):
    scenario = _scenario(world, "casusgroep-samenwerking")
    auth.login(LEADER)
    item = scenario.item(scenario.case_a)

    answer = case_update_form(client, scenario, item, "m:terugblik", text=text)

    assert answer.status_code == 422
    assert reason in answer.get_data(as_text=True)
    assert db.session.scalars(select(CaseUpdate)).all() == []


def test_another_meetings_agenda_case_is_a_logged_403(client, world, auth):
    scenario = _scenario(world, "opvolging")
    auth.login(LEADER)
    foreign_item = world.other_meeting.agenda[0]
    own_item_elsewhere = fresh(Meeting, world.meeting.id).agenda[0]

    answers = [
        case_update_form(client, scenario, item, "m:opening", text="Gaat goed")
        for item in (foreign_item, own_item_elsewhere)
    ]

    assert [a.status_code for a in answers] == [403, 403]
    assert db.session.scalars(select(CaseUpdate)).all() == []
    assert [
        e.check_result
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.event_type == "access_denied")
            .order_by(AuditEvent.id)
        )
    ] == ["not_of_this_meeting", "not_of_this_meeting"]


# --- the rail, its progress and the other views see the added step -----------------------------


def test_the_added_review_step_is_on_the_rail_in_progress_presentation_and_closing(
    client, world, auth
):
    scenario = _scenario(world, "klantreis")
    auth.login(LEADER)
    m = fresh(Meeting, scenario.meeting.id)
    assert run.progress(m).states["m:terugblik"] == StepState.EMPTY

    post_form(client, f"{scenario.url}/stap", {"ref": "m:terugblik"}, token_from=scenario.url)

    m = fresh(Meeting, scenario.meeting.id)
    assert m.current_step == "m:terugblik"
    assert run.progress(m).states["m:terugblik"] == StepState.DONE
    shown = client.get(f"{scenario.url}/presentatie.json").get_json()
    assert (shown["step"], shown["title"], shown["number"]) == (
        "m:terugblik",
        "Terugblik op de acties",
        2,
    )
    assert shown["total"] == len(scenario.steps())
    closing = client.get(f"{scenario.url}/afsluiten").get_data(as_text=True)
    assert "Stap 1 · Opening en werkwijze" in closing  # attendance: still the first step
    screen = page(client, scenario, "m:terugblik")
    assert "Stap 2 van" in screen and 'aria-current="step"' in screen


def test_an_empty_agenda_with_a_case_only_protocol_has_still_nothing_to_run(app, world):
    from facilitator.exceptions import ServiceError

    case_only = (
        'id = "alleen-casus"\nversion = "1"\ntitle = "T"\nsummary = "S"\nsource = "B"\n'
        'duration_minutes = 30\n[[steps]]\nkey = "c"\ntitle = "C"\nscope = "case"\n'
        'minutes = 10\nguidance = "G"\n'
    )
    planned = make_meeting(world.group, world.users[Role.PROCESBEGELEIDER], [], start=False)
    planned.protocol_source = case_only
    db.session.commit()
    planned = fresh(Meeting, planned.id)
    assert [s.ref for s in run.rail(planned)] == ["m:terugblik"]  # the review comes first
    with pytest.raises(ServiceError):
        run.start_meeting(planned, actor=world.users[Role.PROCESBEGELEIDER])


def test_a_protocol_is_parsed_once_per_text_and_its_review_added_once_per_language(app, world):
    from facilitator.core.i18n import in_language
    from facilitator.protocols import review

    review.parse.cache_clear()
    review._to_run.cache_clear()
    leader = world.users[Role.PROCESBEGELEIDER]
    ids = [
        make_meeting(world.group, leader, [], start=False, protocol_id="klantreis").id
        for _ in range(3)
    ]

    def protocols_of_fresh_instances() -> list:
        db.session.expunge_all()  # an instance keeps the protocol it read: as per request
        return [db.session.get(Meeting, meeting_id).protocol for meeting_id in ids]

    with in_language("nl"):
        dutch = {id(p) for p in protocols_of_fresh_instances()}
    with in_language("en"):
        english = protocols_of_fresh_instances()

    assert len(dutch) == 1 and len({id(p) for p in english}) == 1
    assert english[0].steps[1].title == "Looking back on the actions"
    assert review.parse.cache_info().misses == 1
    assert review._to_run.cache_info().misses == 2


def test_the_protocol_page_shows_the_added_review_step(client, auth, world):
    auth.login(LEADER)
    html = client.get("/protocollen/casusgroep-samenwerking").get_data(as_text=True)
    assert "Terugblik op de acties" in html and "Toegevoegd door Casustafel" in html
    own = client.get("/protocollen/opvolging").get_data(as_text=True)
    assert "Terugblik op de acties" not in own


# --- a fixed number of queries, whatever the number of actions and notes -----------------------


def test_the_review_is_read_and_shown_in_a_fixed_number_of_queries(
    client, world, auth, count_queries
):
    from facilitator.meetings.review import meeting_review

    scenario = _scenario(world, "casusgroep-samenwerking")
    auth.login(LEADER)
    url = f"{scenario.url}/leiden?stap=m:terugblik"
    client.get(url)

    def measured() -> tuple[int, int, int]:
        meeting = fresh(Meeting, scenario.meeting.id)
        run.rail(meeting)  # the screen builds the rail (and loads the agenda) first
        with count_queries() as read:
            listed_now = len(meeting_review(meeting).items)
        with count_queries() as shown:
            assert client.get(url).status_code == 200
        return listed_now, len(read), len(shown)

    few = measured()
    leader, owner = world.users[Role.PROCESBEGELEIDER], world.users[Role.DEELNEMER]
    for number in range(6):
        extra = actions.create_action(
            world.group,
            description=f"Actie {number}",
            owner=world.extra_member if number % 2 else owner,
            due_on=local_today() + timedelta(days=number + 1),
            case=(scenario.case_a, scenario.case_b, scenario.case_c, None)[number % 4],
            actor=leader,
        )
        actions.change_status(extra, "in_uitvoering", note=f"Loopt {number}", actor=owner)
        extra.created_at = utcnow() - timedelta(days=1)  # agreed before the meeting started
    db.session.commit()
    case_update_form(
        client,
        scenario,
        scenario.item(scenario.case_b),
        "m:terugblik",
        text="Werkt halve dagen",
    )
    review_form(client, scenario, scenario.others[0], "m:terugblik", status="gereed", note="Gedaan")
    many = measured()

    assert many[0] == few[0] + 6
    assert many[1:] == few[1:], (few, many)
    assert few[1] <= 4


# --- the pages of the review: valid HTML, every id once ----------------------------------------


@pytest.fixture
def review_pages(client, world, auth) -> dict[str, str]:
    """Every review page of every protocol: as opened, with an outcome recorded, with an update
    kept, and a refused action form and update form as they come back."""
    built = [_scenario(world, protocol_id) for protocol_id in PROTOCOLS]
    auth.login(LEADER)
    pages: dict[str, str] = {}
    for scenario in built:
        found = where_listed(client, scenario)
        done, refused = scenario.of_a[1], scenario.others[0]  # of this scenario's meetings
        review_form(client, scenario, done, found[done.id][0], status="gereed", note="Klaar")
        item = scenario.item(scenario.case_a)
        ref = update_ref(scenario, scenario.case_a)
        case_update_form(client, scenario, item, ref, text="Werkt twee dagen per week")
        for step in scenario.review_steps():
            pages[f"{scenario.protocol_id} {step.ref}"] = page(client, scenario, step.ref)
        answer = review_form(client, scenario, refused, found[refused.id][0], status="open")
        pages[f"{scenario.protocol_id} refused review"] = answer.get_data(as_text=True)
        answer = case_update_form(client, scenario, item, ref, text=f"BSN {BSN}")
        pages[f"{scenario.protocol_id} refused update"] = answer.get_data(as_text=True)
    return pages


def test_every_review_page_holds_each_id_once(review_pages):
    assert len(review_pages) >= 3 * len(PROTOCOLS)
    twice = {name: ids for name, html in review_pages.items() if (ids := duplicate_ids(html))}
    assert not twice, twice


def test_every_review_page_is_valid_html(review_pages):
    checker = vnu_command()
    if checker is None:
        pytest.skip("the Nu HTML Checker needs java and .cache/vnu/vnu.jar: run `make vnu`")
    assert check_pages(review_pages, checker) == {}
