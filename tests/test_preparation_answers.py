"""Preparation answers (issue 13): the handreiking answered through HTTP before the meeting,
guarded, versioned, shown to the group's members under pseudonym and in the case's
presentation step; never to another group or the beheerder."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.meetings import run
from facilitator.meetings.models import Meeting
from facilitator.preparation.models import PreparationAnswer
from facilitator.preparation.queries import PreparationState, preparation_of
from facilitator.preparation.services import save_answers
from facilitator.privacy.models import PersonalDataConfirmation
from facilitator.users.models import Role
from tests import factories
from tests.helpers import csrf_token, post_form

QUESTIONS = (
    "waar_gaat_het_om",
    "organisaties",
    "waar_loopt_het_vast",
    "vraag_aan_groep",
    "kandidaat_en_werkgever",
)
REQUIRED = QUESTIONS[:4]
VALID_BSN = "111222333"


@pytest.fixture
def planned(world):
    """A planned meeting next week of Noord's group with both its cases on the agenda."""
    meeting = factories.make_meeting(
        world.group,
        world.users[Role.PROCESBEGELEIDER],
        [world.fictional_case, world.consent_case],
        start=False,
        when=utcnow() + timedelta(days=7),
    )
    return meeting


def _url(meeting, case) -> str:
    return f"/bijeenkomsten/{meeting.id}/voorbereiding/{case.id}"


def _form(**answers) -> dict:
    """Every question with its version as the page showed it (0: none yet), and the answers."""
    data = {f"version_{key}": "0" for key in QUESTIONS}
    data.update({f"answer_{key}": text for key, text in answers.items()})
    return data


def _answers(meeting, case) -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(PreparationAnswer).where(
            PreparationAnswer.meeting_id == meeting.id, PreparationAnswer.case_id == case.id
        )
    )
    return {row.question_key: row.text for row in rows}


def _complete() -> dict:
    return {
        "waar_gaat_het_om": "Vrouw van 30 met een Wajong-uitkering die wil werken",
        "organisaties": "GGZ, gemeente en UWV",
        "waar_loopt_het_vast": "Niemand heeft de regie over het traject",
        "vraag_aan_groep": "Wie neemt de regie?",
    }


def test_a_member_answers_and_the_group_reads_it_under_pseudonym(world, planned, client, auth):
    case = world.fictional_case
    auth.login("deelnemer@noord.example")
    page = client.get(_url(planned, case))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Waar gaat de casus over?" in html and case.pseudonym in html
    response = post_form(client, _url(planned, case), _form(**_complete()))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/bijeenkomsten/{planned.id}"
    assert _answers(planned, case) == _complete()
    row = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "preparation_saved")
    ).one()
    assert row.case_pseudonym == case.pseudonym and "Wajong" not in row.reason
    assert preparation_of(planned).of(case.id).state == PreparationState.DONE
    auth.logout()
    for reader in ("extra@noord.example", "projectleider@noord.example"):
        auth.login(reader)
        page = client.get(f"/bijeenkomsten/{planned.id}").get_data(as_text=True)
        assert "Wie neemt de regie?" in page and "Voorbereid" in page
        assert "Nog niet voorbereid" in page  # the other case
        auth.logout()


def test_a_partial_preparation_is_partly_prepared_and_empty_answers_store_nothing(
    world, planned, client, auth
):
    auth.login("deelnemer@noord.example")
    data = _form(vraag_aan_groep="Wie neemt de regie?", organisaties="")
    assert post_form(client, _url(planned, world.fictional_case), data).status_code == 302
    assert _answers(planned, world.fictional_case) == {"vraag_aan_groep": "Wie neemt de regie?"}
    state = preparation_of(planned).of(world.fictional_case.id).state
    assert state == PreparationState.PARTLY


@pytest.mark.parametrize(
    "hostile",
    [
        f"BSN {VALID_BSN} van de cliënt",
        "BSN 111.222.333",
        "geboren 7 maart 1984",
        "NL91ABNA0417164300",
    ],
)
def test_personal_data_in_an_answer_is_refused_and_nothing_is_stored(
    world, planned, client, auth, hostile
):
    auth.login("deelnemer@noord.example")
    data = _form(**(_complete() | {"waar_loopt_het_vast": hostile}))
    response = post_form(client, _url(planned, world.fictional_case), data)
    assert response.status_code == 422
    assert _answers(planned, world.fictional_case) == {}
    assert (
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.event_type == "preparation_saved")
        ).all()
        == []
    )


def test_the_identity_of_a_case_in_scope_is_refused(world, planned, client, auth):
    auth.login("deelnemer@noord.example")
    data = _form(waar_gaat_het_om=f"Het gaat om {factories.IDENTITY.full_name}")
    response = post_form(client, _url(planned, world.consent_case), data)
    assert response.status_code == 422 and _answers(planned, world.consent_case) == {}


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u200f"])
def test_characters_that_reorder_the_text_are_refused(world, planned, client, auth, control):
    auth.login("deelnemer@noord.example")
    data = _form(vraag_aan_groep=f"Wie neemt de {control}regie?")
    response = post_form(client, _url(planned, world.fictional_case), data)
    assert response.status_code == 422
    assert _answers(planned, world.fictional_case) == {}


def test_the_guard_itself_refuses_reordering_characters_from_the_service(world, planned):
    from facilitator.exceptions import ServiceError

    with pytest.raises(ServiceError):
        save_answers(
            planned,
            world.fictional_case,
            {"vraag_aan_groep": "Wie \u202eneemt de regie?"},
            actor=world.users[Role.DEELNEMER],
        )


def test_a_phone_number_is_stored_only_once_confirmed_and_the_confirmation_is_kept(
    world, planned, client, auth
):
    auth.login("deelnemer@noord.example")
    url = _url(planned, world.fictional_case)
    data = _form(organisaties="Jobcoach van het Werkbedrijf, bereikbaar op 06-12345678")
    refused = post_form(client, url, data)
    assert refused.status_code == 422
    assert "personal_data_confirmed" in refused.get_data(as_text=True)
    assert _answers(planned, world.fictional_case) == {}
    confirmed = post_form(client, url, data | {"personal_data_confirmed": "y"})
    assert confirmed.status_code == 302
    assert "06-12345678" in _answers(planned, world.fictional_case)["organisaties"]
    kept = db.session.scalars(
        select(PersonalDataConfirmation).where(PersonalDataConfirmation.object_type == "meetings")
    ).one()
    assert kept.field == f"preparation/{world.fictional_case.id}/answer_organisaties"
    assert kept.kinds == "phone"


def test_a_stale_version_is_refused_with_what_changed_and_saving_again_keeps_mine(
    world, planned, client, auth
):
    url = _url(planned, world.fictional_case)
    save_answers(
        planned,
        world.fictional_case,
        {"vraag_aan_groep": "Eerste versie"},
        actor=world.users[Role.DEELNEMER],
    )
    db.session.commit()
    auth.login("extra@noord.example")
    token = csrf_token(client, url)  # the page shows version 1
    save_answers(
        planned,
        world.fictional_case,
        {"vraag_aan_groep": "Tweede versie van iemand anders"},
        actor=world.users[Role.DEELNEMER],
    )
    db.session.commit()
    mine = _form(vraag_aan_groep="Mijn versie") | {"version_vraag_aan_groep": "1"}
    conflict = client.post(url, data={"csrf_token": token, **mine})
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert "Tweede versie van iemand anders" in html and "Mijn versie" in html
    assert _answers(planned, world.fictional_case)["vraag_aan_groep"] == (
        "Tweede versie van iemand anders"
    )
    # The form now carries the current version: saving again is the decision to keep mine.
    assert re.search(r'name="version_vraag_aan_groep" type="hidden" value="2"', html)
    again = client.post(url, data={"csrf_token": token, **mine, "version_vraag_aan_groep": "2"})
    assert again.status_code == 302
    assert _answers(planned, world.fictional_case)["vraag_aan_groep"] == "Mijn versie"


def test_another_groups_member_is_refused_and_the_refusal_logged(world, planned, client, auth):
    auth.login("deelnemer@zuid.example")
    assert client.get(_url(planned, world.fictional_case)).status_code == 403
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.DENIED)
    ).all()
    assert any(row.object_type == "meetings" for row in denied)
    page = client.get(f"/bijeenkomsten/{planned.id}")
    assert world.fictional_case.pseudonym not in page.get_data(as_text=True)


def test_a_case_of_another_group_or_not_on_the_agenda_is_refused_logged(
    world, planned, client, auth
):
    auth.login("deelnemer@noord.example")
    assert client.get(_url(planned, world.other_case)).status_code == 403
    assert client.get(f"/bijeenkomsten/{planned.id}/voorbereiding/999999").status_code == 404
    off_agenda = factories.make_case(world.group, world.users[Role.DEELNEMER])
    assert client.get(_url(planned, off_agenda)).status_code == 403
    data = _form(vraag_aan_groep="Ingeslopen")
    token = csrf_token(client, _url(planned, world.fictional_case))
    response = client.post(_url(planned, off_agenda), data={"csrf_token": token, **data})
    assert response.status_code == 403 and _answers(planned, off_agenda) == {}
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.DENIED)
    ).all()
    assert len(denied) >= 3


def test_the_beheerder_never_sees_the_preparation(world, planned, client, auth):
    save_answers(
        planned,
        world.fictional_case,
        {"vraag_aan_groep": "Wie neemt de regie?"},
        actor=world.users[Role.DEELNEMER],
    )
    db.session.commit()
    auth.login("beheerder@noord.example")
    assert client.get(_url(planned, world.fictional_case)).status_code == 403
    page = client.get(f"/bijeenkomsten/{planned.id}").get_data(as_text=True)
    assert "Wie neemt de regie?" not in page and world.fictional_case.pseudonym not in page


def test_the_projectleider_reads_but_does_not_answer(world, planned, client, auth):
    auth.login("projectleider@noord.example")
    page = client.get(_url(planned, world.fictional_case))
    assert page.status_code == 200 and "<textarea" not in page.get_data(as_text=True)
    token = csrf_token(client, f"/bijeenkomsten/{planned.id}")
    data = {"csrf_token": token, **_form(vraag_aan_groep="Van de projectleider")}
    assert client.post(_url(planned, world.fictional_case), data=data).status_code == 403
    assert _answers(planned, world.fictional_case) == {}


def test_once_the_meeting_runs_the_answers_are_read_only(world, client, auth):
    auth.login("deelnemer@noord.example")
    url = _url(world.meeting, world.fictional_case)  # the world's meeting is in progress
    page = client.get(url)
    assert page.status_code == 200 and "<textarea" not in page.get_data(as_text=True)
    token = csrf_token(client, "/acties")
    data = {"csrf_token": token, **_form(vraag_aan_groep="Te laat")}
    assert client.post(url, data=data).status_code == 403


def test_the_answers_show_in_the_presentation_step_of_the_running_meeting(
    world, planned, client, auth
):
    case = world.fictional_case
    save_answers(planned, case, _complete(), actor=world.users[Role.DEELNEMER])
    leader = world.users[Role.PROCESBEGELEIDER]
    db.session.commit()
    run.start_meeting(db.session.get(Meeting, planned.id), actor=leader)
    db.session.commit()
    auth.login("procesbegeleider@noord.example")
    presenting = client.get(f"/bijeenkomsten/{planned.id}/leiden?stap=c:{case.id}:presentatie")
    html = presenting.get_data(as_text=True)
    assert presenting.status_code == 200
    assert "Niemand heeft de regie over het traject" in html and "Voorbereid" in html
    later = client.get(f"/bijeenkomsten/{planned.id}/leiden?stap=c:{case.id}:verhelderen")
    assert "Niemand heeft de regie over het traject" not in later.get_data(as_text=True)
    # The projector shows them too, in that step only.
    post_form(
        client,
        f"/bijeenkomsten/{planned.id}/stap",
        {"ref": f"c:{case.id}:presentatie"},
        token_from=f"/bijeenkomsten/{planned.id}/leiden",
    )
    state = client.get(f"/bijeenkomsten/{planned.id}/presentatie.json").get_json()
    assert {"question": "Wie neemt de regie?", "answer": "Wie neemt de regie?"} not in state[
        "preparation"
    ]
    assert any(p["answer"] == "Wie neemt de regie?" for p in state["preparation"])
    # With the candidate at the table the projector keeps the answers to itself; the leader's
    # screen still shows them.
    item = next(i for i in planned.agenda if i.case_id == case.id)
    item.candidate_present = True
    db.session.commit()
    state = client.get(f"/bijeenkomsten/{planned.id}/presentatie.json").get_json()
    assert state["preparation"] == []
    presenting = client.get(f"/bijeenkomsten/{planned.id}/leiden?stap=c:{case.id}:presentatie")
    assert "Niemand heeft de regie over het traject" in presenting.get_data(as_text=True)
    item.candidate_present = False
    db.session.commit()
    post_form(
        client,
        f"/bijeenkomsten/{planned.id}/stap",
        {"ref": f"c:{case.id}:verhelderen"},
        token_from=f"/bijeenkomsten/{planned.id}/leiden",
    )
    state = client.get(f"/bijeenkomsten/{planned.id}/presentatie.json").get_json()
    assert state["preparation"] == []


def test_the_questions_of_a_meeting_come_from_its_own_copy_of_the_protocol(
    world, planned, client, auth
):
    source = planned.protocol_source.replace(
        "Wat vraag je van de groep?", "Welke vraag leg je de groep voor (versie van toen)?"
    )
    planned.protocol_source = source
    db.session.commit()
    auth.login("deelnemer@noord.example")
    html = client.get(_url(planned, world.fictional_case)).get_data(as_text=True)
    assert "Welke vraag leg je de groep voor (versie van toen)?" in html
    assert "Wat vraag je van de groep?" not in html


def test_preparation_of_reads_in_a_fixed_number_of_queries(world, planned, count_queries):
    deelnemer = world.users[Role.DEELNEMER]
    meeting_id = planned.id

    def read() -> int:
        db.session.expire_all()
        meeting = db.session.get(Meeting, meeting_id)
        meeting.protocol  # noqa: B018 (the snapshot, parsed once per text, no query)
        with count_queries() as counted:
            preparation = preparation_of(meeting)
            for prepared in preparation.cases:
                [(q.question, a.text, a.updated_by) for q, a in prepared.answered]
        return len(counted)

    few = read()
    save_answers(planned, world.fictional_case, _complete(), actor=deelnemer)
    save_answers(planned, world.consent_case, _complete(), actor=world.extra_member)
    db.session.commit()
    for _ in range(3):
        extra = factories.make_case(world.group, deelnemer)
        from facilitator.meetings import planning

        planning.add_to_agenda(
            db.session.get(Meeting, meeting_id), extra, actor=world.users[Role.PROCESBEGELEIDER]
        )
        db.session.commit()
    assert read() == few == 3


def test_the_demo_prepares_the_agenda_of_each_groups_next_meeting(runner, app):
    from facilitator.meetings.models import MeetingStatus

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    planned = db.session.scalars(
        select(Meeting)
        .where(Meeting.status == MeetingStatus.GEPLAND)
        .order_by(Meeting.scheduled_at)
    ).all()
    next_of_each_group = {}
    for meeting in planned:  # the series planned later have no agenda yet
        next_of_each_group.setdefault(meeting.group_id, meeting)
    assert len(next_of_each_group) == 2
    for meeting in next_of_each_group.values():
        states = [c.state for c in preparation_of(meeting).cases]
        assert states[0] == PreparationState.DONE
        if len(states) > 1:
            assert states[1] == PreparationState.PARTLY
        assert all(s == PreparationState.NOT_STARTED for s in states[2:])
