"""The loop back to the casusgroep (issue 14): what the policy group did with a signal shows on
the group's page and at its next meeting (the meeting's page and the facilitation screen), not
at another group's; and the logbook's signals carry their follow-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from facilitator.exports.logbook import LogbookScope, logbook_data, logbook_texts
from facilitator.exports.logbook_outline import Table, outline
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.users.models import Role
from tests.factories import make_meeting
from tests.signal_helpers import (
    DECISION,
    PROJECTLEIDER,
    follow_up,
    held_with_signal,
    planned_after,
)

LEADER = "procesbegeleider@noord.example"
MEMBER = "deelnemer@noord.example"
FEEDBACK = "Terugkoppeling van de beleidsgroep"


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("email", [LEADER, MEMBER, PROJECTLEIDER])
def test_the_group_page_lists_its_signals_with_status_and_decision(client, auth, world, email):
    follow_up(world)
    auth.login(email)
    page = _page(client, f"/groepen/{world.group.id}")
    section = _section(page, "group-signals-heading")
    assert "Signalen en besluiten" in section
    assert world.finding.text in section
    assert "Besluit genomen" in section and DECISION in section
    assert world.consent_case.pseudonym not in section


def test_a_signal_without_follow_up_shows_as_new_on_the_group_page(client, auth, world):
    auth.login(MEMBER)
    page = _page(client, f"/groepen/{world.group.id}")
    section = _section(page, "group-signals-heading")
    assert world.finding.text in section and "Nieuw" in section and "nog niet" in section


def test_the_beheerder_sees_the_group_but_not_its_signals(client, auth, world):
    follow_up(world)
    auth.login("beheerder@noord.example")
    page = _page(client, f"/groepen/{world.group.id}")
    assert "group-signals-heading" not in page
    assert world.finding.text not in page and DECISION not in page


def test_the_next_planned_meeting_hears_back_on_its_page_and_screen(client, auth, world):
    held_with_signal(world)
    next_meeting = planned_after(world)
    follow_up(world)
    auth.login(LEADER)
    page = _page(client, f"/bijeenkomsten/{next_meeting.id}")
    assert FEEDBACK in page and DECISION in page and "Besluit genomen" in page
    screen = _page(client, f"/bijeenkomsten/{next_meeting.id}/leiden")
    block = _section(screen, "signal-feedback-heading")
    assert DECISION in block and world.finding.text in block
    held = _page(client, f"/bijeenkomsten/{world.meeting.id}")
    assert FEEDBACK not in held  # the meeting that raised it is over: it hears nothing back


def test_the_feedback_shows_only_what_was_recorded_since_the_previous_meeting(client, auth, world):
    held_with_signal(world)
    follow_up(world)  # recorded before the next meeting was held
    second = planned_after(world, hours=0)  # held now, after the follow-up was recorded
    from facilitator.meetings import run
    from tests.holding import hold

    run.start_meeting(second, actor=world.users[Role.PROCESBEGELEIDER])
    hold(second, world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    third = planned_after(world, hours=3)
    auth.login(LEADER)
    assert FEEDBACK not in _page(client, f"/bijeenkomsten/{third.id}")
    follow_up(world, status="uitgevoerd", decision="Het overleg is ingesteld")
    page = _page(client, f"/bijeenkomsten/{third.id}")
    assert FEEDBACK in page and "Het overleg is ingesteld" in page and "Uitgevoerd" in page


def test_another_groups_next_meeting_hears_nothing(client, auth, world):
    held_with_signal(world)
    follow_up(world)
    zuid_leader = world.other_group.procesbegeleiders[0]
    other = make_meeting(
        world.other_group,
        zuid_leader,
        [],
        start=False,
        when=world.meeting.scheduled_at + timedelta(days=1),
    )
    auth.login(zuid_leader.email)
    page = _page(client, f"/bijeenkomsten/{other.id}")
    assert FEEDBACK not in page and DECISION not in page
    screen = _page(client, f"/bijeenkomsten/{other.id}/leiden")
    assert DECISION not in screen
    group_page = _page(client, f"/groepen/{world.other_group.id}")
    assert DECISION not in group_page


def test_the_logbook_signals_section_shows_the_follow_up(app, world):
    held_with_signal(world)
    follow_up(world)
    scope = LogbookScope(world.region, (), local_today() - timedelta(days=7), local_today())
    data = logbook_data(scope)
    [signal] = [s for s in data.signals if s.id == world.finding.id]
    assert signal.follow_up.value == "besluit_genomen" and signal.decision == DECISION
    blocks = outline(data)
    tables = [b for b in blocks if isinstance(b, Table) and "Besluit" in map(str, b.headers)]
    assert tables, [getattr(b, "header", None) for b in blocks]
    rows = [row for row in tables[0].rows if row[0] == world.finding.text]
    assert rows and rows[0][-2:] == ("Besluit genomen", DECISION)
    assert DECISION in [t.text for t in logbook_texts(data)]  # screened before every export


def test_the_logbook_reads_the_follow_up_without_an_extra_query(app, world, count_queries):
    held_with_signal(world)
    scope = LogbookScope(world.region, (), local_today() - timedelta(days=7), local_today())

    def queries() -> int:
        db.session.expire_all()
        with count_queries() as counted:
            logbook_data(scope)
        return len(counted)

    before = queries()
    follow_up(world)
    assert queries() == before
