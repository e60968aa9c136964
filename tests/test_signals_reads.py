"""The reads of signals (issue 14): the dashboard's ``region_signals`` and its partial carry
no case and no pseudonym; every page that lists signals reads them in a fixed number of
queries, whatever their number."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from flask import render_template

from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings.models import Meeting
from facilitator.signals.queries import SignalLine, region_signals
from facilitator.users.models import Role
from tests.factories import make_meeting
from tests.signal_helpers import (
    DECISION,
    PROJECTLEIDER,
    add_signals,
    follow_up,
    held_with_signal,
    planned_after,
)


def _pseudonyms(world) -> set[str]:
    return {world.fictional_case.pseudonym, world.consent_case.pseudonym}


def test_region_signals_carry_no_case_and_no_pseudonym(app, world):
    follow_up(world)
    lines = region_signals(world.region.id)
    assert [line.finding_id for line in lines] == [world.finding.id]
    names = {field.name for field in dataclasses.fields(SignalLine)}
    assert not {name for name in names if "case" in name or "pseudonym" in name}
    [line] = lines
    assert line.group == world.group.name and line.decision == DECISION
    assert line.status.value == "besluit_genomen" and str(line.status_label) == "Besluit genomen"
    assert line.decided_on == local_today()
    assert line.recorded_by == world.users[Role.PROJECTLEIDER].name
    assert not _pseudonyms(world) & {str(value) for value in dataclasses.astuple(line)}
    with __import__("pytest").raises(dataclasses.FrozenInstanceError):
        line.decision = "anders"


def test_region_signals_keep_to_the_region_and_the_period(app, world):
    assert region_signals(world.other_region.id)[0].group == world.other_group.name
    today = local_today()
    assert region_signals(world.region.id, period_from=today, period_to=today)
    assert not region_signals(world.region.id, period_to=today - timedelta(days=1))
    assert not region_signals(world.region.id, period_from=today + timedelta(days=1))


def test_region_signals_read_in_a_fixed_number_of_queries(app, world, count_queries):
    region_id = world.region.id

    def queries() -> int:
        db.session.expire_all()
        with count_queries() as counted:
            assert region_signals(region_id)
        return len(counted)

    add_signals(world, world.meeting, 1)
    two = queries()
    add_signals(world, world.meeting, 8, text="Meer")
    assert len(region_signals(world.region.id)) == 10
    assert queries() == two == 1


def test_the_dashboard_partial_renders_counts_and_lines_given_only_the_signals(app, world):
    follow_up(world)
    add_signals(world, world.meeting, 2)
    with app.test_request_context():
        html = render_template("signals/_dashboard.html", signals=region_signals(world.region.id))
        empty = render_template("signals/_dashboard.html", signals=())
    assert DECISION in html and world.finding.text in html
    assert '<th scope="row">Besluit genomen</th><td>3</td>' in html
    assert '<th scope="row">Nieuw</th><td>0</td>' in html
    assert not any(p in html for p in _pseudonyms(world))
    assert "Geen signalen voor de beleidsgroep in deze periode." in empty


def _page_queries(client, count_queries, url: str) -> int:
    db.session.expire_all()
    with count_queries() as counted:
        assert client.get(url).status_code == 200, url
    return len(counted)


def test_every_signal_page_reads_a_fixed_number_of_queries(client, auth, world, count_queries):
    """2 signals against 10, each followed up twice: the same number of queries per page."""
    held_with_signal(world)
    follow_up(world)
    follow_up(world, status="uitgevoerd", decision="Gedaan")
    running = make_meeting(world.group, world.users[Role.PROCESBEGELEIDER], [world.fictional_case])
    add_signals(world, running, 1)
    planned = planned_after(world)
    urls = {
        PROJECTLEIDER: (
            f"/regios/{world.region.id}/signalen",
            f"/groepen/{world.group.id}",
            f"/signalen/{world.finding.id}",
            f"/bijeenkomsten/{planned.id}",
        ),
        "procesbegeleider@noord.example": (
            f"/groepen/{world.group.id}",
            f"/bijeenkomsten/{planned.id}",
            f"/bijeenkomsten/{planned.id}/leiden",
        ),
    }
    before = {}
    for email, pages in urls.items():
        auth.logout() if before else None
        auth.login(email)
        before |= {(email, url): _page_queries(client, count_queries, url) for url in pages}
    add_signals(world, db.session.get(Meeting, running.id), 8, text="Meer")
    for _number in range(8):
        follow_up(world, status="geagendeerd", decision="")
    after = {}
    for email, pages in urls.items():
        auth.logout()
        auth.login(email)
        after |= {(email, url): _page_queries(client, count_queries, url) for url in pages}
        assert "Meer 7" in client.get(pages[0]).get_data(as_text=True)
    assert after == before
