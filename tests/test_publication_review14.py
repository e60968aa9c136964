"""The review of issue 14 (branch review14: S1, S6, P3, C1), adjusted to the fixed publication:
the beleidsgroeplid reads the figures one calendar year at a time for the whole region, so the
overlapping views the reviewer subtracted are refused (422) rather than shown."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from facilitator.cases.models import BenefitType
from facilitator.localtime import local_today
from facilitator.users.models import Role
from tests.helpers import AuthActions
from tests.monitoring_world import PERIOD, make_monitoring_world

BGL = Role.BELEIDSGROEPLID
FLOW = "In-, door- en uitstroom per periode"
SUFFIXES = ["", ".csv", "/stroom.png"]
REFUSED = "Deze cijfers zijn een vaste publicatie"


@pytest.fixture
def monitoring(app):
    return make_monitoring_world()


def _login(app, user):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


def _url(monitoring, suffix=""):
    return f"/regios/{monitoring.world.region.id}/cijfers{suffix}"


def _csv(response) -> dict[tuple[str, str, str], str]:
    assert response.status_code == 200, response.status_code
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    return {(t, r, c): v for t, r, c, v in rows[1:]}


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize(
    "van,tot",
    [("2025-01-01", "2025-01-10"), ("2025-01-01", "2025-06-30"), ("2025-01-11", "2025-06-30")],
)
def test_S1_the_role_gets_no_free_period_so_no_two_periods_overlap(
    app, monitoring, suffix, van, tot
):
    """The reviewer's 13 - 12 = 1: each of the three periods is now refused for the role."""
    client = _login(app, monitoring.world.users[BGL])
    response = client.get(_url(monitoring, suffix), query_string={"van": van, "tot": tot})
    assert response.status_code == 422
    assert b"Aangemeld" not in response.data and not response.data.startswith(b"\x89PNG")
    if suffix != "/stroom.png":
        assert REFUSED in response.get_data(as_text=True)


def test_S1_the_projectleider_keeps_the_free_period(app, monitoring):
    client = _login(app, monitoring.world.users[Role.PROJECTLEIDER])
    query = {"van": "2025-01-01", "tot": "2025-01-10", "interval": "quarter"}
    cells = _csv(client.get(_url(monitoring, ".csv"), query_string=query))
    assert cells[(FLOW, "Totaal", "Aangemeld")] == "<5"


def test_S1_the_role_reads_the_whole_year_as_published(app, monitoring):
    """The one view of 2025: the same total whichever way the role asks for it."""
    client = _login(app, monitoring.world.users[BGL])
    cells = _csv(client.get(_url(monitoring, ".csv"), query_string={"jaar": "2025"}))
    projectleider = _login(app, monitoring.world.users[Role.PROJECTLEIDER])
    year = {"van": "2025-01-01", "tot": "2025-12-31", "interval": "quarter"}
    assert cells == _csv(projectleider.get(_url(monitoring, ".csv"), query_string=year))


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize(
    "extra",
    [
        {"uitkering": BenefitType.PARTICIPATIEWET.value},
        {"groep": "GROUP"},
        {"organisatie": "ORG"},
        {"interval": "month"},
        {"interval": "quarter"},
        {"groep": ""},
    ],
)
def test_S6_the_role_cannot_cross_the_group_and_benefit_filters(app, monitoring, suffix, extra):
    """Benefit for the region (9) minus benefit and group (5): no filter is taken at all, not
    even an empty one or the publication's own interval (refused, never silently ignored)."""
    ids = {
        "GROUP": str(monitoring.world.group.id),
        "ORG": str(monitoring.world.gemeente.id),
    }
    query = {key: ids.get(value, value) for key, value in extra.items()}
    client = _login(app, monitoring.world.users[BGL])
    response = client.get(_url(monitoring, suffix), query_string={"jaar": "2025", **query})
    assert response.status_code == 422
    assert b"Aangemeld" not in response.data and not response.data.startswith(b"\x89PNG")


def test_S6_the_projectleider_keeps_the_filters(app, monitoring):
    client = _login(app, monitoring.world.users[Role.PROJECTLEIDER])
    query = {
        "van": PERIOD[0].isoformat(),
        "tot": PERIOD[1].isoformat(),
        "interval": "year",
        "uitkering": BenefitType.PARTICIPATIEWET.value,
        "groep": str(monitoring.world.group.id),
    }
    cells = _csv(client.get(_url(monitoring, ".csv"), query_string=query))
    assert cells[(FLOW, "Totaal", "Aangemeld")] == "<5"


def _all_figures_link(page) -> str:
    link = re.search(r'href="([^"]*/cijfers\?[^"]*)"', page.get_data(as_text=True))
    assert link, "no 'All figures' link"
    return unescape(link.group(1))


@pytest.mark.parametrize(
    "van,tot,status",
    [
        ("2021-01-01", "2025-12-31", 422),  # five years: the figures page's limit is three
        ("2023-01-01", "2025-12-31", 200),
        ("2025-02-03", "2025-02-03", 200),
        ("2000-01-01", "2002-12-31", 200),
    ],
)
def test_P3_the_projectleiders_all_figures_link_opens_for_every_period_the_dashboard_accepts(
    client, auth, world, van, tot, status
):
    auth.login(world.users[Role.PROJECTLEIDER].email)
    page = client.get(f"/regios/{world.region.id}/dashboard", query_string={"van": van, "tot": tot})
    assert page.status_code == status
    assert client.get(_all_figures_link(page)).status_code == 200


@pytest.mark.parametrize("query", [{}, {"jaar": "NOW"}, {"jaar": "1999"}, {"van": "2025-01-01"}])
def test_P3_the_roles_all_figures_link_opens_on_the_dashboards_year(client, auth, world, query):
    auth.login(world.users[BGL].email)
    year = str(local_today().year)
    query = {key: year if value == "NOW" else value for key, value in query.items()}
    page = client.get(f"/regios/{world.region.id}/dashboard", query_string=query)
    assert page.status_code == (200 if query in ({}, {"jaar": year}) else 422)
    link = _all_figures_link(page)
    assert link.endswith(f"?jaar={year}")
    assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    "start,end,interval",
    [
        ("9999-01-01", "9999-12-31", "year"),  # the next year does not exist
        ("9999-10-01", "9999-12-31", "quarter"),
        ("0001-01-01", "0001-12-31", "quarter"),  # before the local-time epoch
        ("1999-12-31", "2000-06-30", "month"),
        ("2099-12-01", "2100-01-02", "month"),
    ],
)
def test_C1_the_cli_fails_cleanly_on_a_period_the_web_form_refuses(
    runner, monitoring, tmp_path, start, end, interval
):
    output = tmp_path / "out.csv"
    result = runner.invoke(
        args=["monitoring", "export", "--region", "Regio Noord", "--from", start, "--to", end,
              "--interval", interval, "--output", str(output)]
    )  # fmt: skip
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert "Choose a period from 2000-01-01 to 2100-01-01." in result.output
    assert not output.exists()


def test_C1_the_cli_still_writes_a_period_in_range(runner, monitoring, tmp_path):
    output = tmp_path / "out.csv"
    result = runner.invoke(
        args=["monitoring", "export", "--region", "Regio Noord", "--from", "2000-01-01",
              "--to", "2000-12-31", "--interval", "month", "--output", str(output)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")
