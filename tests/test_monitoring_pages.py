"""The figures page of a region through HTTP: who may read it, its filter, its tables, charts
and CSV (the same suppressed figures everywhere, no pseudonym anywhere), its fixed number of
queries; the logbook's Monitoring section and the dashboard's summary."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import docx
import pytest
from flask import render_template
from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.extensions import db
from facilitator.monitoring.figures import monitoring_figures
from facilitator.monitoring.outline import figure_tables
from facilitator.users.models import Role
from tests import factories
from tests.monitoring_world import PERIOD, make_monitoring_world

QUERY = {"van": PERIOD[0].isoformat(), "tot": PERIOD[1].isoformat(), "interval": "quarter"}


@pytest.fixture
def monitoring(app):
    return make_monitoring_world()


def _url(monitoring, suffix: str = "", region=None) -> str:
    region = region or monitoring.world.region
    return f"/regios/{region.id}/cijfers{suffix}"


def _login(auth, role: Role) -> None:
    auth.login(f"{role.value}@noord.example")


def _denials() -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).all()


def _pseudonyms(monitoring) -> list[str]:
    world = monitoring.world
    cases = [*monitoring.cases.values(), world.fictional_case, world.consent_case, world.other_case]
    return [case.pseudonym for case in cases]


@pytest.mark.parametrize("role", [Role.PROJECTLEIDER, Role.BELEIDSGROEPLID])
def test_the_projectleider_and_the_beleidsgroep_of_the_region_read_its_figures(
    client, auth, monitoring, role
):
    _login(auth, role)
    # the beleidsgroeplid reads the fixed publication, a year (monitoring/publication.py)
    query = QUERY if role == Role.PROJECTLEIDER else {"jaar": str(PERIOD[0].year)}
    response = client.get(_url(monitoring), query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Cijfers van Regio Noord" in page
    assert "In-, door- en uitstroom per periode" in page
    assert not [p for p in _pseudonyms(monitoring) if p in page]
    for suffix in (".csv", "/stroom.png", "/uitstroom.png", "/bijeenkomsten.png"):
        assert client.get(_url(monitoring, suffix), query_string=query).status_code == 200


@pytest.mark.parametrize("role", [Role.DEELNEMER, Role.PROCESBEGELEIDER, Role.BEHEERDER])
def test_other_roles_are_refused(client, auth, monitoring, role):
    _login(auth, role)
    for suffix in ("", ".csv", "/stroom.png"):
        assert client.get(_url(monitoring, suffix), query_string=QUERY).status_code == 403
    assert {d.check_result for d in _denials()} == {"role"}


@pytest.mark.parametrize("role", [Role.PROJECTLEIDER, Role.BELEIDSGROEPLID])
def test_another_regions_figures_are_refused_and_logged(client, auth, monitoring, role):
    _login(auth, role)
    other = monitoring.world.other_region
    for suffix in ("", ".csv", "/uitstroom.png"):
        response = client.get(_url(monitoring, suffix, region=other), query_string=QUERY)
        assert response.status_code == 403
    denials = _denials()
    assert len(denials) == 3
    assert {(d.check_result, d.object_type, d.object_id) for d in denials} == {
        ("can_read_region_figures", "regions", str(other.id))
    }
    assert client.get("/regios/999999/cijfers").status_code == 404


def test_another_regions_group_in_the_filter_is_refused_and_logged(client, auth, monitoring):
    _login(auth, Role.PROJECTLEIDER)
    foreign = monitoring.world.other_group.id
    response = client.get(_url(monitoring), query_string={**QUERY, "groep": foreign})
    assert response.status_code == 403
    [denial] = _denials()
    assert (denial.check_result, denial.object_type) == ("not_of_this_region", "case_groups")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"van": "2025-06-30", "tot": "2025-01-01"}, "De laatste dag ligt vóór de eerste dag."),
        ({"van": "2019-01-01", "tot": "2025-01-01"}, "Kies een periode van hoogstens drie jaar."),
        ({"van": "", "tot": "2025-01-01"}, "Vul de eerste dag in."),
        ({"van": "gisteren", "tot": "2025-01-01"}, "Vul de eerste dag in."),
        ({"interval": "week"}, "Kies een van de opties."),
        ({"uitkering": "bijstand"}, "Kies een van de opties."),
        ({"groep": "abc"}, "Kies een van de opties."),
        ({"organisatie": "-1"}, "Kies een van de opties."),
    ],
)
def test_a_bad_filter_is_refused_with_its_message_and_changes_nothing(
    client, auth, monitoring, query, message
):
    _login(auth, Role.PROJECTLEIDER)
    before = db.session.scalar(select(db.func.count(AuditEvent.id)))
    for suffix in ("", ".csv"):
        response = client.get(_url(monitoring, suffix), query_string={**QUERY, **query})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "In-, door- en uitstroom per periode" not in page
    errors = [unescape(e) for e in re.findall(r'class="error"[^>]*>([^<]*)<', page)]
    assert errors == [message]
    assert (
        client.get(_url(monitoring, "/stroom.png"), query_string={**QUERY, **query}).status_code
        == 422
    )
    after = db.session.scalar(select(db.func.count(AuditEvent.id)))
    assert after == before


@pytest.mark.parametrize("query", [{}, {"groep": ""}])
def test_without_a_period_the_page_shows_this_year_by_quarter(client, auth, monitoring, query):
    from facilitator.localtime import local_today

    _login(auth, Role.PROJECTLEIDER)  # the beleidsgroeplid's year: test_publication_year.py
    response = client.get(_url(monitoring), query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    year = local_today().year
    assert f'value="{year}-01-01"' in page and f'value="{year}-12-31"' in page
    assert f"K1 {year}" in page and f"K4 {year}" in page


def _page_values(page: str) -> list[str]:
    return [unescape(cell) for cell in re.findall(r"<td>([^<]*)</td>", page)]


def test_the_page_and_the_csv_show_the_same_suppressed_figures(client, auth, monitoring):
    _login(auth, Role.PROJECTLEIDER)
    page = client.get(_url(monitoring), query_string=QUERY).get_data(as_text=True)
    response = client.get(_url(monitoring, ".csv"), query_string=QUERY)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Cache-Control"] == "no-store"
    assert "cijfers-2025-01-01-2025-06-30.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Tabel", "Rij", "Kolom", "Waarde"]
    assert [row[3] for row in rows[1:]] == _page_values(page)
    flow = {
        (row[1], row[2]): row[3] for row in rows if row[0] == "In-, door- en uitstroom per periode"
    }
    assert flow[("K1 2025", "Aangemeld")] == "6"
    assert flow[("K1 2025", "Afgesloten")] == "<5"
    assert flow[("K2 2025", "Afgesloten")] == "x"
    assert flow[("Totaal", "Mediaan dagen tot afsluiten")] == "121"
    assert flow[("K1 2025", "Mediaan dagen tot eerste bespreking")] == "19,5"
    assert not [p for p in _pseudonyms(monitoring) if p in text]
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "monitoring_exported")
    ).one()
    assert exported.object_id == str(monitoring.world.region.id)


def test_each_chart_has_its_table_beside_it_and_an_alt_text_without_pseudonyms(
    client, auth, monitoring
):
    _login(auth, Role.PROJECTLEIDER)
    page = client.get(_url(monitoring), query_string=QUERY).get_data(as_text=True)
    charts = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page)
    assert [re.search(r"/(\w+)\.png", src).group(1) for src, _alt in charts] == [
        "stroom",
        "uitstroom",
        "bijeenkomsten",
    ]
    alts = " ".join(unescape(alt) for _src, alt in charts)
    assert "Aangemeld (K1 2025: 6; K2 2025: 7)" in alts
    assert "Afgesloten (K1 2025: <5; K2 2025: x)" in alts
    assert "Geen vervolg nodig: <5" in alts
    assert not [p for p in _pseudonyms(monitoring) if p in alts]
    for src, _alt in charts:
        image = client.get(unescape(src))
        assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    assert page.count('class="figure-pair"') == 3


def test_the_page_costs_the_same_queries_for_10_or_70_cases(
    client, auth, monitoring, count_queries
):
    _login(auth, Role.PROJECTLEIDER)
    world = monitoring.world
    url = _url(monitoring)
    query = {**QUERY, "tot": "2026-12-31"}
    client.get(url, query_string=query)
    with count_queries() as small:
        assert client.get(url, query_string=query).status_code == 200
    member = world.users[Role.DEELNEMER]
    for _ in range(60):
        factories.make_case(world.group, member)
    meeting = factories.make_meeting(
        world.group, world.users[Role.PROCESBEGELEIDER], [], start=False
    )
    assert meeting.id
    db.session.commit()
    with count_queries() as large:
        assert client.get(url, query_string=query).status_code == 200
    assert len(large) == len(small), large


def test_the_logbook_carries_the_monitoring_section_with_the_same_figures(client, auth, monitoring):
    _login(auth, Role.PROJECTLEIDER)
    page = client.get("/logboek", query_string={"van": QUERY["van"], "tot": QUERY["tot"]})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="monitoring">Monitoring' in html
    with client.application.test_request_context():
        tables = figure_tables(monitoring_figures(monitoring.scope()))
    section = html[html.index('id="monitoring"') : html.index('id="feedback"')]
    expected = [str(v) for item in tables for row in item.table.rows for v in row]
    shown = [unescape(c) for c in re.findall(r"<td>([^<]*)</td>", section)]
    assert shown == expected
    token = client.get("/logboek").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', token).group(1)
    download = client.post(
        "/logboek/download", data={"csrf_token": csrf, "van": QUERY["van"], "tot": QUERY["tot"]}
    )
    document = docx.Document(io.BytesIO(download.data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Monitoring" in headings
    cells = [c.text for t in document.tables for row in t.rows[1:] for c in row.cells]
    flow = [str(v) for v in tables[0].table.rows[0]]
    assert any(cells[i : i + len(flow)] == flow for i in range(len(cells)))
    assert not [p for p in _pseudonyms(monitoring) if p in "".join(cells)]


def test_the_dashboard_partial_renders_the_summary_with_a_link(app, monitoring):
    with app.test_request_context():
        figures = monitoring_figures(monitoring.scope())
        html = render_template("monitoring/_dashboard.html", figures=figures)
    assert "<dd>13</dd>" in html  # registered
    assert "<dd>x</dd>" in html  # closed, withheld
    assert f"/regios/{monitoring.world.region.id}/cijfers?" in html
