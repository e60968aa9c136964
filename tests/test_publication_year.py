"""The beleidsgroeplid's figures as a fixed publication (monitoring/publication.py): a year
select from the region's first case to the current year, the whole region by quarter, on the
figures page, its CSV and charts, and on the dashboard."""

from __future__ import annotations

import re

import pytest

from facilitator.localtime import local_today
from facilitator.users.models import Role
from tests.helpers import AuthActions
from tests.monitoring_world import make_monitoring_world

BGL = Role.BELEIDSGROEPLID


@pytest.fixture
def monitoring(app):
    return make_monitoring_world()


@pytest.fixture
def reader(app, monitoring):
    client = app.test_client()
    AuthActions(client).login(monitoring.world.users[BGL].email)
    return client


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option[^>]*value="([^"]*)"', select.group(0))


def test_the_page_offers_the_years_from_the_first_case_to_now_and_only_the_year(reader, monitoring):
    this_year = local_today().year
    response = reader.get(f"/regios/{monitoring.world.region.id}/cijfers")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _options(html, "jaar") == [str(y) for y in range(this_year, 2023, -1)]  # B6: 1 Nov 2024
    for name in ("groep", "organisatie", "uitkering", "interval", "van", "tot"):
        assert f'name="{name}"' not in html
    assert "vaste publicatie" in html
    # the per-group, per-organisation and per-benefit tables are still there
    for title in ("Per groep", "Per inbrengende organisatie", "Per uitkering"):
        assert title in html, title
    # the CSV and the charts carry the year and nothing else
    assert f"cijfers.csv?jaar={this_year}" in html
    assert f"cijfers/stroom.png?jaar={this_year}" in html


@pytest.mark.parametrize("suffix", ["", ".csv", "/stroom.png"])
@pytest.mark.parametrize(
    "year,status", [("2025", 200), ("2024", 200), ("2023", 422), ("2025x", 422), ("", 422)]
)
def test_only_a_listed_year_is_shown(reader, monitoring, suffix, year, status):
    url = f"/regios/{monitoring.world.region.id}/cijfers{suffix}"
    response = reader.get(url, query_string={"jaar": year})
    assert response.status_code == status


@pytest.mark.parametrize("suffix", ["", ".csv", "/stroom.png"])
def test_the_year_twice_is_refused(reader, monitoring, suffix):
    url = f"/regios/{monitoring.world.region.id}/cijfers{suffix}?jaar=2025&jaar=2025"
    assert reader.get(url).status_code == 422


def test_the_refusal_shows_nothing_but_the_message(reader, monitoring):
    url = f"/regios/{monitoring.world.region.id}/cijfers"
    response = reader.get(url, query_string={"jaar": "2025", "van": "2025-01-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kies alleen een jaar." in html
    assert "Download CSV" not in html and "CSV downloaden" not in html
    assert "<table" not in html


def test_the_csv_of_a_year_holds_the_quarters_of_that_year(reader, monitoring):
    url = f"/regios/{monitoring.world.region.id}/cijfers.csv"
    text = reader.get(url, query_string={"jaar": "2025"}).data.decode("utf-8-sig")
    assert "K1 2025" in text and "K4 2025" in text
    assert "2024" not in text and "2026" not in text


def test_the_dashboard_offers_the_year_and_its_figures_follow_it(reader, monitoring):
    url = f"/regios/{monitoring.world.region.id}/dashboard"
    response = reader.get(url, query_string={"jaar": "2025"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="van"' not in html and 'name="tot"' not in html
    assert _options(html, "jaar")[-1] == "2024"
    assert "cijfers?jaar=2025" in html
    assert "1 jan 2025" in html or "1 januari 2025" in html


@pytest.mark.parametrize(
    "query", [{"van": "2025-01-01", "tot": "2025-12-31"}, {"jaar": "2025", "interval": "year"}]
)
def test_the_dashboard_refuses_the_roles_free_period(reader, monitoring, query):
    url = f"/regios/{monitoring.world.region.id}/dashboard"
    response = reader.get(url, query_string=query)
    assert response.status_code == 422
    assert "Kies alleen een jaar." in response.get_data(as_text=True)


def test_a_region_without_cases_offers_the_current_year(app, world):
    from facilitator.monitoring.publication import publication_years

    today = local_today()
    assert publication_years(world.region.id + 1000, today) == [today.year]
    assert publication_years(world.region.id, today) == [today.year]  # its cases: from today
