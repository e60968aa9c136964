"""Who is at the table (issue 13): the candidate and the employer recorded as present for their
case without a name, shown on the facilitation screen, the meeting page and record and in the
minutes, and the protocol's questions to the candidate shown only while the candidate is
there."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import inspect, select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.meetings import table
from facilitator.meetings.models import AgendaItem, Meeting
from facilitator.meetings.outcomes import meeting_outcomes
from facilitator.users.models import Role
from tests.helpers import post_form
from tests.minutes_helpers import body_text, hold_world_meeting, read_docx

LEADER = "procesbegeleider@noord.example"
#: A question the shipped protocol puts to the candidate in the presentation step.
QUESTION = "Klopt het beeld dat de inbrenger van je schetst? Wat wil je aanvullen?"


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def item_of(world, case=None) -> AgendaItem:
    db.session.expire_all()
    case = case or world.fictional_case
    meeting = db.session.get(Meeting, world.meeting.id)
    return next(i for i in meeting.agenda if i.case_id == case.id)


def presentation_ref(world, case=None) -> str:
    return f"c:{(case or world.fictional_case).id}:presentatie"


def screen_url(world, case=None) -> str:
    return f"/bijeenkomsten/{world.meeting.id}/leiden?stap={presentation_ref(world, case)}"


def presence_url(meeting_id: int, item_id: int) -> str:
    return f"/bijeenkomsten/{meeting_id}/agenda/{item_id}/aan-tafel"


def record(client, world, *, candidate: bool, employer: bool, ref: str = ""):
    data = {"ref": ref}
    if candidate:
        data["candidate_present"] = "y"
    if employer:
        data["employer_present"] = "y"
    item = item_of(world)
    return post_form(
        client, presence_url(world.meeting.id, item.id), data, token_from=screen_url(world)
    )


def test_the_candidate_recorded_present_brings_the_questions_to_the_candidate(client, auth, world):
    auth.login(LEADER)
    before = text_of(client.get(screen_url(world)))
    assert "Aan tafel bij deze casus" in before and "De kandidaat is aanwezig" in before
    assert "Vragen aan de kandidaat" not in before and QUESTION not in before

    response = record(client, world, candidate=True, employer=False, ref=presentation_ref(world))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/bijeenkomsten/{world.meeting.id}/leiden?stap=c:{world.fictional_case.id}:presentatie"
    )
    item = item_of(world)
    assert (item.candidate_present, item.employer_present) == (True, False)
    page = text_of(client.get(screen_url(world)))
    assert "Vragen aan de kandidaat" in page and QUESTION in page
    # Another case of the same meeting: its candidate is not recorded, so no questions to them.
    other = text_of(client.get(screen_url(world, world.consent_case)))
    assert "Vragen aan de kandidaat" not in other

    assert record(client, world, candidate=False, employer=True).status_code == 302
    page = text_of(client.get(screen_url(world)))
    assert QUESTION not in page, "the employer alone is no candidate to ask"


def test_each_change_writes_an_audit_row_saying_which_and_never_who(client, auth, world):
    auth.login(LEADER)
    record(client, world, candidate=True, employer=True)
    [row] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "table_presence_set")
    ).all()
    assert row.case_pseudonym == world.fictional_case.pseudonym
    assert row.object_id == str(item_of(world).id)
    assert row.reason == "kandidaat=1 werkgever=1"


def test_there_is_no_name_for_the_candidate_or_the_employer_anywhere(client, auth, world):
    """Not a column, not a form field: a name posted along is dropped, stored nowhere."""
    columns = {c["name"] for c in inspect(db.engine).get_columns("agenda_items")}
    assert columns == {
        "id",
        "meeting_id",
        "case_id",
        "position",
        "candidate_present",
        "employer_present",
    }
    auth.login(LEADER)
    page = client.get(screen_url(world)).get_data(as_text=True)
    form = page[page.index("aan-tafel") : page.index("</form>", page.index("aan-tafel"))]
    assert not re.search(r'type="text"|<textarea', form)
    item = item_of(world)
    name = "Jan Janssen"
    post_form(
        client,
        presence_url(world.meeting.id, item.id),
        {"candidate_present": "y", "candidate_name": name, "name": name},
        token_from=screen_url(world),
    )
    assert item_of(world).candidate_present
    meeting_page = client.get(f"/bijeenkomsten/{world.meeting.id}").get_data(as_text=True)
    assert name not in meeting_page
    reasons = db.session.scalars(select(AuditEvent.reason)).all()
    assert not any(name in reason for reason in reasons)


def test_the_meeting_page_records_it_too_and_comes_back_to_the_agenda(client, auth, world):
    auth.login(LEADER)
    meeting_url = f"/bijeenkomsten/{world.meeting.id}"
    page = text_of(client.get(meeting_url))
    assert "Kandidaat en werkgever" in page
    item = item_of(world)
    response = post_form(
        client,
        presence_url(world.meeting.id, item.id),
        {"employer_present": "y"},
        token_from=meeting_url,
    )
    assert response.headers["Location"].endswith(f"{meeting_url}#agenda")
    assert "Kandidaat en werkgever: de werkgever" in text_of(client.get(meeting_url))


def test_the_record_and_the_minutes_name_who_sat_at_the_table(app, client, auth, world):
    leader = world.users[Role.PROCESBEGELEIDER]
    table.set_table_presence(
        world.meeting, item_of(world), candidate=True, employer=True, actor=leader
    )
    held = hold_world_meeting(world)
    outcomes = meeting_outcomes(held)
    case = next(c for c in outcomes.cases if c.case_id == world.fictional_case.id)
    assert (case.candidate_present, case.employer_present) == (True, True)
    assert (outcomes.candidates_present, outcomes.employers_present) == (1, 1)

    auth.login(LEADER)
    page = text_of(client.get(f"/bijeenkomsten/{held.id}"))
    assert "Aanwezig bij deze casus: de kandidaat, de werkgever" in page
    response = client.get(f"/bijeenkomsten/{held.id}/verslag.docx")
    assert response.status_code == 200
    text = body_text(read_docx(response.data))
    assert "Aanwezig bij deze casus: de kandidaat, de werkgever" in text
    # Once, at the case it concerns: the other case had nobody without a name at the table.
    assert text.count("Aanwezig bij deze casus") == 1


def test_a_held_meeting_keeps_who_sat_at_the_table(world):
    leader = world.users[Role.PROCESBEGELEIDER]
    held = hold_world_meeting(world)
    item = next(i for i in held.agenda if i.case_id == world.fictional_case.id)
    with pytest.raises(ServiceError):
        table.set_table_presence(held, item, candidate=True, employer=False, actor=leader)


@pytest.mark.parametrize("persona", [Role.DEELNEMER, Role.BEHEERDER])
def test_who_may_not_change_the_agenda_may_not_record_it(client, auth, world, persona):
    auth.login(world.users[persona].email)
    item = item_of(world)
    response = post_form(
        client, presence_url(world.meeting.id, item.id), {"candidate_present": "y"}, token_from="/"
    )
    assert response.status_code == 403
    assert not item_of(world).candidate_present


def test_another_meetings_agenda_item_is_refused_and_logged(client, auth, world):
    auth.login(LEADER)
    foreign = world.other_meeting.agenda[0]
    # Under the user's own meeting: the item belongs to another meeting.
    response = post_form(
        client,
        presence_url(world.meeting.id, foreign.id),
        {"candidate_present": "y"},
        token_from=screen_url(world),
    )
    assert response.status_code == 403
    # Under the other group's meeting: not the user's to change.
    response = post_form(
        client,
        presence_url(world.other_meeting.id, foreign.id),
        {"candidate_present": "y"},
        token_from=screen_url(world),
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert not db.session.get(AgendaItem, foreign.id).candidate_present
    denials = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.DENIED)
    ).all()
    assert len(denials) >= 2
    assert (
        post_form(
            client, presence_url(world.meeting.id, 999999), {}, token_from=screen_url(world)
        ).status_code
        == 404
    )


def test_the_outcomes_read_stays_at_its_number_of_queries_with_people_at_the_table(
    world, count_queries
):
    leader = world.users[Role.PROCESBEGELEIDER]

    def queries() -> int:
        db.session.expire_all()
        meeting = db.session.get(Meeting, world.meeting.id)
        with count_queries() as counted:
            outcomes = meeting_outcomes(meeting)
            _ = [(c.candidate_present, c.employer_present) for c in outcomes.cases]
        return len(counted)

    before = queries()
    for item in db.session.get(Meeting, world.meeting.id).agenda:
        table.set_table_presence(world.meeting, item, candidate=True, employer=True, actor=leader)
    db.session.commit()
    assert queries() == before <= 7
