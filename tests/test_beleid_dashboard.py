"""The dashboard of a region (issue 14): the page frame, its period and the section
"Logboekedities", read in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from facilitator.dashboard.queries import dashboard_data
from facilitator.exports import editions, feedback
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.users.models import Role
from tests.reference_docs import empty_docx

BGL = Role.BELEIDSGROEPLID


def _issue(world, number: int, *, groups=(), with_feedback: int = 1):
    projectleider = world.users[Role.PROJECTLEIDER]
    edition = editions.issue_edition(
        region=world.region,
        groups=list(groups),
        period_from=date(2025, number, 1),
        period_to=date(2025, number, 28),
        content=empty_docx(),
        actor=projectleider,
    )
    for body in ("klankbordgroep", "beleidsgroep")[:with_feedback]:
        feedback.record_feedback(
            edition,
            body=body,
            given_on=date(2025, number + 1, 3),
            summary=f"Gezegd over editie {number} door de {body}",
            decisions=f"Besloten na editie {number}" if body == "beleidsgroep" else "",
            actor=projectleider,
        )
    db.session.commit()
    return edition


def test_the_editions_section_lists_each_edition_with_its_feedback(client, auth, world):
    first = _issue(world, 1, with_feedback=2)
    second = _issue(world, 2, groups=[world.group], with_feedback=0)
    auth.login(world.users[BGL].email)
    page = client.get(f"/regios/{world.region.id}/dashboard").get_data(as_text=True)
    assert "Regio Noord" in page.split("</h1>")[0]
    section = page.split('id="editions-heading"', 1)[1]
    # Newest first: the second edition (of the group) before the first (of the whole region).
    assert section.index(f"edition-{second.id}") < section.index(f"edition-{first.id}")
    assert world.group.name in section and "de hele regio" in section
    assert f'href="/logboek/edities/{first.id}/downloaden"' in section
    assert f'href="/logboek/edities/{second.id}/downloaden"' in section
    assert "Gezegd over editie 1 door de klankbordgroep" in section
    assert "Gezegd over editie 1 door de beleidsgroep" in section
    assert "Besloten na editie 1" in section
    assert "Klankbordgroep, " in section and "Beleidsgroep, " in section
    assert "Op deze editie is nog geen feedback vastgelegd." in section  # the second


def test_an_empty_region_shows_the_empty_state(client, auth, world):
    auth.login(world.users[BGL].email)
    page = client.get(f"/regios/{world.region.id}/dashboard").get_data(as_text=True)
    assert "In uw regio is nog geen logboek uitgegeven." in page


def test_the_period_defaults_to_the_current_year_and_can_be_chosen(client, auth, world):
    year = local_today().year
    data = dashboard_data(world.region, local_today())
    assert (data.period_from, data.period_to) == (date(year, 1, 1), date(year, 12, 31))
    # the projectleider's free period; the beleidsgroeplid's year: test_publication_year.py
    auth.login(world.users[Role.PROJECTLEIDER].email)
    url = f"/regios/{world.region.id}/dashboard"
    page = client.get(url).get_data(as_text=True)
    assert f'value="{year}-01-01"' in page and f'value="{year}-12-31"' in page
    chosen = client.get(f"{url}?van=2025-04-01&tot=2025-06-30").get_data(as_text=True)
    assert 'value="2025-04-01"' in chosen and 'value="2025-06-30"' in chosen
    assert "1 april 2025" in chosen


def test_a_wrong_period_is_refused_and_not_echoed(client, auth, world):
    auth.login(world.users[Role.PROJECTLEIDER].email)
    url = f"/regios/{world.region.id}/dashboard"
    backwards = client.get(f"{url}?van=2025-06-30&tot=2025-04-01")
    assert backwards.status_code == 422
    assert "De laatste dag ligt vóór de eerste dag." in backwards.get_data(as_text=True)
    hostile = "<script>\u202e123456782"
    response = client.get(url, query_string={"van": hostile, "tot": "2025-01-01"})
    assert response.status_code == 422
    assert "<script>" not in response.get_data(as_text=True)  # the own input, escaped


def test_hostile_feedback_is_shown_escaped(client, auth, world):
    edition = _issue(world, 1, with_feedback=0)
    feedback.record_feedback(
        edition,
        body="beleidsgroep",
        given_on=date(2025, 2, 3),
        summary='<img src=x onerror="alert(1)"> meer werkgevers',
        decisions="",
        actor=world.users[Role.PROJECTLEIDER],
    )
    db.session.commit()
    auth.login(world.users[BGL].email)
    page = client.get(f"/regios/{world.region.id}/dashboard").get_data(as_text=True)
    assert "&lt;img src=x" in page and "<img src=x" not in page


def test_the_dashboard_reads_a_fixed_number_of_queries(client, auth, world, count_queries):
    auth.login(world.users[BGL].email)
    url = f"/regios/{world.region.id}/dashboard"

    def page_queries() -> int:
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        return len(counted)

    def read_queries() -> int:
        db.session.expire_all()
        assert world.region.name  # the region itself is the caller's
        with count_queries() as counted:
            dashboard_data(world.region, local_today())
        return len(counted)

    _issue(world, 1, groups=[world.group], with_feedback=2)
    one_page, one_read = page_queries(), read_queries()
    for number in range(2, 6):
        _issue(world, number, groups=[world.group], with_feedback=2)
    assert page_queries() == one_page
    # Editions 3, figures 6, signals 1, stories 1.
    assert read_queries() == one_read == 11
    assert len(dashboard_data(world.region, local_today()).editions) == 5
    print(
        f"dashboard: {one_page} queries per page, {one_read} for dashboard_data (1 or 5 editions)"
    )
