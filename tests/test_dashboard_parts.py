"""The dashboard brings the parts of issue 14 together for the projectleider and the
beleidsgroeplid: the figures in brief, the signals with their follow-up, the approved stories,
beside the logbook editions; without a pseudonym, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.cases.models import Case
from facilitator.dashboard.queries import dashboard_data
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.users.models import Role
from tests.factories import make_case, make_meeting
from tests.holding import hold
from tests.signal_helpers import DECISION, add_signals, follow_up, held_with_signal
from tests.test_stories_reports import story

BGL = Role.BELEIDSGROEPLID


def _pseudonyms() -> list[str]:
    return list(db.session.scalars(select(Case.pseudonym)))


def test_the_dashboard_shows_figures_signals_and_approved_stories(client, auth, world):
    held_with_signal(world)
    follow_up(world)
    story(world, "Terug bij de bakker", case=world.fictional_case)
    story(world, "Nog niet goedgekeurd", state="ingediend", case=world.fictional_case)
    for email in (world.users[BGL].email, world.users[Role.PROJECTLEIDER].email):
        auth.login(email)
        page = client.get(f"/regios/{world.region.id}/dashboard").get_data(as_text=True)
        figures = page.split('id="figures-brief-heading"', 1)[1].split("</section>", 1)[0]
        assert "Aangemeld" in figures and f"/regios/{world.region.id}/cijfers?" in figures
        signals = page.split('id="dashboard-signals-heading"', 1)[1].split("</section>", 1)[0]
        assert world.finding.text in signals and DECISION in signals
        assert "Besluit genomen" in signals
        stories = page.split('id="stories-heading"', 1)[1].split("</section>", 1)[0]
        assert "Terug bij de bakker" in stories and "Nog niet goedgekeurd" not in stories
        assert not [p for p in _pseudonyms() if p in page]
        auth.logout()


def test_the_other_regions_parts_stay_out(client, auth, world):
    held_with_signal(world)
    # the dashboard shows signals of held meetings only (review14 D4): hold the other one too
    hold(world.other_meeting, world.other_group.procesbegeleiders[0])
    db.session.commit()
    follow_up(world)
    story(world, "Verhaal uit Zuid", group=world.other_group)
    data = dashboard_data(world.region, local_today())
    assert [line.text for line in data.signals] == [world.finding.text]
    assert not data.stories
    other = dashboard_data(world.other_region, local_today())
    assert [s.title for s in other.stories] == ["Verhaal uit Zuid"]
    assert {line.group for line in other.signals} == {world.other_group.name}


def test_the_dashboard_reads_a_fixed_number_of_queries_however_much_there_is(
    client, auth, world, count_queries
):
    auth.login(world.users[BGL].email)
    url = f"/regios/{world.region.id}/dashboard"

    def counts() -> tuple[int, int]:
        db.session.expire_all()
        with count_queries() as page:
            assert client.get(url).status_code == 200
        db.session.expire_all()
        assert world.region.name
        with count_queries() as read:
            dashboard_data(world.region, local_today())
        return len(page), len(read)

    held_with_signal(world)
    story(world, "Eerste verhaal")
    few = counts()
    leader = world.users[Role.PROCESBEGELEIDER]
    cases = [make_case(world.group, world.users[Role.DEELNEMER]) for _ in range(6)]
    more = make_meeting(world.group, leader, cases)
    add_signals(world, more, 8)
    hold(more, leader)  # the dashboard shows signals of held meetings only (review14 D4)
    db.session.commit()
    for number in range(6):
        story(world, f"Verhaal {number}")
    assert len(dashboard_data(world.region, local_today()).signals) == 9
    assert counts() == few
