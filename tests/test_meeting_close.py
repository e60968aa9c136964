"""A clear close (issue 8): the rail marks every step, closing asks first and links what is
missing, a closed meeting's timer stops. The browser side is in tests/e2e/test_clear_close.py."""

from __future__ import annotations

import re
from html import unescape

from facilitator.extensions import db
from facilitator.meetings import planning, records, run
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.meetings.progress import StepState, meeting_progress
from facilitator.users.models import Role
from tests.factories import make_case, make_meeting
from tests.helpers import post_form

LEADER = "procesbegeleider@noord.example"
BLOCKS = ("kennen", "begrijpen", "waarderen", "vertrouwen", "samenwerken", "doelen_realiseren")


def meeting(meeting_id: int) -> Meeting:
    db.session.expire_all()
    return db.session.get(Meeting, meeting_id)


def _step(m: Meeting, key: str, case=None):
    case_id = case.id if case else None
    return next(
        s for s in run.rail(m) if s.step.key == key and (s.case.id if s.case else None) == case_id
    )


def _fill_required(m: Meeting, leader, deelnemer) -> None:
    planning.set_attendance(m, leader, "aanwezig", actor=leader)
    for item in m.agenda:
        records.assign_regievoerder(m, item.case, deelnemer, actor=leader)
    records.save_building_blocks(
        m, dict.fromkeys(BLOCKS, 4), went_well="", could_be_better="", actor=leader
    )
    db.session.commit()


def test_missing_fields_name_the_step_to_go_to(world):
    m = meeting(world.meeting.id)
    missing = run.missing_required(m)
    refs = {s.ref: s for s in run.rail(m)}
    assert missing, "a fresh meeting has required fields open"
    for field in missing:
        step = refs[field.ref]
        assert field.number == step.number and field.step_title == step.step.title
        assert field.pseudonym == (step.case.pseudonym if step.case else "")
        assert any(f.label == field.label and f.required for f in step.step.fields)
    labels = {(field.ref, field.label) for field in missing}
    assert (_step(m, "opening").ref, "Aanwezigheid") in labels
    regie = _step(m, "regie", world.fictional_case)
    assert regie.ref in {field.ref for field in missing}


def test_the_rail_state_is_done_incomplete_or_empty(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    m = meeting(world.meeting.id)
    states = run.progress(m).states
    opening = _step(m, "opening")
    # Opened first (the meeting starts there), attendance still open.
    assert states[opening.ref] == StepState.INCOMPLETE
    signal_step = _step(m, "signalen")  # not opened yet, nothing recorded
    assert states[signal_step.ref] == StepState.EMPTY

    run.save_field(
        m, signal_step.ref, "signalen_beleidsgroep", "Wachtlijst", expected_version=0, actor=leader
    )
    regie = _step(m, "regie", world.fictional_case)
    run.go_to_step(m, regie.ref, actor=leader)  # visited, regievoerder still open
    db.session.commit()
    states = run.progress(meeting(world.meeting.id)).states
    assert states[signal_step.ref] == StepState.DONE
    assert states[regie.ref] == StepState.INCOMPLETE

    m = meeting(world.meeting.id)
    records.assign_regievoerder(m, world.fictional_case, world.users[Role.DEELNEMER], actor=leader)
    db.session.commit()
    assert run.progress(meeting(world.meeting.id)).states[regie.ref] == StepState.DONE


def test_the_rail_state_is_one_query_whatever_the_agenda(world, count_queries):
    leader = world.users[Role.PROCESBEGELEIDER]
    deelnemer = world.users[Role.DEELNEMER]
    cases = [make_case(world.group, deelnemer) for _ in range(4)]
    for size in (1, 5):
        m = make_meeting(world.group, leader, [world.consent_case, *cases][:size])
        steps = run.rail(m)  # the agenda and its cases are loaded for the rail itself
        with count_queries() as counted:
            progress = meeting_progress(m, steps)
        assert len(progress.states) == len(steps)
        assert len(counted) == 1, counted


def test_the_screen_does_not_query_per_step(client, auth, world, count_queries):
    auth.login(LEADER)
    leader = world.users[Role.PROCESBEGELEIDER]
    deelnemer = world.users[Role.DEELNEMER]

    def queries(size: int) -> int:
        m = make_meeting(
            world.group, leader, [make_case(world.group, deelnemer) for _ in range(size)]
        )
        url = f"/bijeenkomsten/{m.id}/leiden"
        client.get(url)  # the session's first request of a meeting warms nothing on purpose
        db.session.expire_all()
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    assert queries(4) == queries(1)


def test_the_screen_marks_every_step_in_the_rail(client, auth, world):
    auth.login(LEADER)
    m = meeting(world.meeting.id)
    page = client.get(f"/bijeenkomsten/{m.id}/leiden").get_data(as_text=True)
    marks = re.findall(r'<li data-state="(done|incomplete|empty)"', page)
    assert len(marks) == len(run.rail(m)) + 3  # every step, and the legend's three
    assert "onvolledig: er staat nog iets verplichts open" in page


def test_close_asks_first_and_links_every_missing_field(client, auth, world):
    auth.login(LEADER)
    m = meeting(world.meeting.id)
    url = f"/bijeenkomsten/{m.id}/afsluiten"
    screen = client.get(f"/bijeenkomsten/{m.id}/leiden").get_data(as_text=True)
    assert f'href="{url}"' in screen  # the screen links to the question, it does not close

    page = unescape(client.get(url).get_data(as_text=True))
    assert "Deze bijeenkomst afronden?" in page
    assert "Wat daarna alleen nog te lezen is" in page
    missing = run.missing_required(m)
    assert f"Nog in te vullen: {len(missing)} velden" in page
    for field in missing:
        assert f'href="/bijeenkomsten/{m.id}/leiden?stap={field.ref}"' in page.replace("%3A", ":")
    assert 'type="submit">Bijeenkomst afronden<' not in page  # nothing to confirm yet

    post_form(client, url, token_from=url)  # a close forced anyway is refused
    assert meeting(m.id).status == MeetingStatus.LOPEND


def test_close_with_nothing_missing_closes_after_the_confirmation(client, auth, world):
    auth.login(LEADER)
    m = meeting(world.meeting.id)
    _fill_required(m, world.users[Role.PROCESBEGELEIDER], world.users[Role.DEELNEMER])
    url = f"/bijeenkomsten/{m.id}/afsluiten"
    page = client.get(url).get_data(as_text=True)
    assert "Alle verplichte velden zijn ingevuld." in page
    assert "Bijeenkomst afronden</button>" in page
    assert meeting(m.id).status == MeetingStatus.LOPEND  # asking changes nothing

    response = post_form(client, url, token_from=url)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/bijeenkomsten/{m.id}"
    assert meeting(m.id).status == MeetingStatus.AFGEROND
    again = client.get(url)
    assert again.status_code == 302 and again.headers["Location"] == f"/bijeenkomsten/{m.id}"


def test_a_closed_meetings_timer_does_not_run(client, auth, world):
    auth.login(LEADER)
    m = meeting(world.meeting.id)
    running = client.get(f"/bijeenkomsten/{m.id}/leiden").get_data(as_text=True)
    assert re.search(r'<p class="timer"[^>]* data-running', running)
    _fill_required(m, world.users[Role.PROCESBEGELEIDER], world.users[Role.DEELNEMER])
    run.close_meeting(meeting(m.id), actor=world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    closed = client.get(f"/bijeenkomsten/{m.id}/leiden").get_data(as_text=True)
    assert re.search(r'<p class="timer"', closed)
    assert not re.search(r'<p class="timer"[^>]* data-running', closed)
    assert "Bijeenkomst afronden" not in closed
