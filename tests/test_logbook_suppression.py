"""The logbook's counts of cases are suppressed like the monitoring figures (issue 14): on the
page, in the Word file and in the CSVs a count of 1 to 4 cases shows as "<5", a count that a
total would give away as "x", a share over fewer than 5 cases as "—"; 0 and 5 or more as they
are; and where the Casussen section and the Monitoring section show the same figure, the same.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from io import BytesIO

import docx
import pytest
from sqlalchemy import update

from facilitator.cases.models import Case, ClosureReason
from facilitator.exports.logbook import LogbookScope, logbook_data
from facilitator.exports.logbook_docx import build_logbook_docx
from facilitator.extensions import db
from facilitator.localtime import from_local
from facilitator.monitoring.csv_export import build_monitoring_csv
from facilitator.users.models import Role
from tests import factories
from tests.monitoring_world import PERIOD, make_monitoring_world

S, X, N = "<5", "x", "—"
FROM, TO = date(2025, 1, 1), date(2025, 3, 31)


def _counts(counts) -> dict[str, object]:
    return {str(c.label): c.count for c in counts}


def _at(day: date) -> datetime:
    return from_local(day, time(12))


@pytest.fixture
def small_region(app):
    """Regio Noord with 12 cases registered in February 2025 and nothing else in the period:
    3 brought by the extra member (Gemeente Noord), 9 by the deelnemer (GGZ Noord). None
    discussed, none closed (make_world's own cases are registered today, after the period)."""
    world = factories.make_world()
    bringers = [world.extra_member] * 3 + [world.users[Role.DEELNEMER]] * 9
    for n, bringer in enumerate(bringers, start=1):
        case = factories.make_case(world.group, bringer)
        db.session.execute(
            update(Case).where(Case.id == case.id).values(created_at=_at(date(2025, 2, n)))
        )
    db.session.commit()
    return world


def _scope(world) -> LogbookScope:
    return LogbookScope(world.region, (), FROM, TO)


def test_a_cell_of_3_shows_as_less_than_5_and_the_cell_that_would_reveal_it_is_withheld(
    small_region,
):
    # Of 12 cases, Gemeente Noord brought 3: shown "<5"; GGZ Noord's 9 would give the 3 away
    # (12 - 9), so it is withheld too ("x", never "<5"). The total, 12, shows.
    cases = logbook_data(_scope(small_region)).cases
    assert _counts(cases.by_organisation) == {"GGZ Noord": X, "Gemeente Noord": S}
    assert (cases.total, cases.registered) == (12, 12)


def test_zero_and_five_or_more_show_as_they_are(small_region):
    data = logbook_data(_scope(small_region))
    assert (data.cases.discussed, data.cases.closed) == (0, 0)
    assert _counts(data.cases.by_benefit) == {"Participatiewet": 12}
    assert _counts(data.cases.by_privacy_mode) == {"Fictief": 12}
    assert data.cases.by_closure_reason == ()
    assert (data.regie.discussed, data.regie.with_regievoerder, data.regie.share) == (0, 0, N)
    summary = _counts(data.summary)
    assert (summary["Besproken casussen"], summary["Casussen afgesloten"]) == (0, 0)


def test_the_page_shows_the_suppressed_counts(client, auth, small_region):
    auth.login(small_region.users[Role.PROJECTLEIDER].email)
    response = client.get("/logboek", query_string={"van": FROM.isoformat(), "tot": TO.isoformat()})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    cases = page[page.index('id="casussen"') : page.index('id="bevindingen"')]
    assert "<tr><td>GGZ Noord</td><td>x</td></tr>" in cases
    assert "<tr><td>Gemeente Noord</td><td>&lt;5</td></tr>" in cases
    assert "<tr><td>Participatiewet</td><td>12</td></tr>" in cases
    assert "12 casussen zijn in deze periode aangemeld, besproken of afgesloten" in cases
    for raw in ("<td>3</td>", "<td>9</td>"):
        assert raw not in cases


def _tables(file: bytes) -> list[list[list[str]]]:
    document = docx.Document(BytesIO(file))
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in document.tables]


def test_the_word_file_shows_the_suppressed_counts(app, small_region):
    with app.test_request_context():
        file = build_logbook_docx(logbook_data(_scope(small_region))).getvalue()
    [by_organisation] = [t for t in _tables(file) if ["Gemeente Noord", S] in t]
    assert by_organisation == [["Organisatie", "Aantal"], ["GGZ Noord", X], ["Gemeente Noord", S]]
    rows = [row for table in _tables(file) for row in table]
    assert ["Participatiewet", "12"] in rows
    assert ["Besproken casussen met een regievoerder (%)", N] in rows
    assert ["Gemeente Noord", "3"] not in rows and ["GGZ Noord", "9"] not in rows


def test_the_logbook_csvs_carry_no_count_of_cases_and_the_monitoring_csv_suppresses(
    client, auth, small_region
):
    """The logbook's two CSVs list findings and actions one per row: no count of cases to
    suppress. The counts of cases leave as CSV through the monitoring export, suppressed."""
    auth.login(small_region.users[Role.PROJECTLEIDER].email)
    period = {"van": FROM.isoformat(), "tot": TO.isoformat()}
    for kind in ("bevindingen", "acties"):
        response = client.get(f"/logboek/{kind}.csv", query_string=period)
        assert response.status_code == 200
        header = response.data.decode("utf-8-sig").split("\r\n")[0]
        assert not re.search(r"aantal|casussen", header, re.IGNORECASE)
    with client.application.test_request_context():
        monitoring = logbook_data(_scope(small_region)).monitoring
        lines = build_monitoring_csv(monitoring).getvalue().decode("utf-8-sig").split("\r\n")
    organisation_rows = [line for line in lines if "Gemeente Noord" in line and ";<5" in line]
    assert organisation_rows
    assert not any(line.endswith(";3") for line in lines if "Gemeente Noord" in line)


def test_the_logbook_and_the_monitoring_figures_show_the_same_values_where_they_overlap(app):
    """In the hand-made region of tests/monitoring_world.py, 1 January to 30 June 2025: 14
    cases touched (13 registered, B6 earlier and closed), 12 discussed, 8 closed (A6 moved, B6
    no follow-up, A5 education, five to paid work). The monitoring figures withhold the 8
    closed (its reasons 5, 1, 1, 1 would otherwise tell) and show the 5 to paid work, beside
    which the three "<5" still range; the logbook shows the same."""
    built = make_monitoring_world()
    with app.test_request_context():
        data = logbook_data(LogbookScope(built.world.region, (), *PERIOD))
    cases, total = data.cases, data.monitoring.total
    assert (cases.registered, cases.discussed, cases.closed) == (13, 12, X)
    assert (total.registered, total.discussed, total.closed) == (13, 12, X)
    assert _counts(cases.by_closure_reason) == {
        str(ClosureReason.BETAALD_WERK.label): 5,
        str(ClosureReason.OPLEIDING_TRAJECT.label): S,
        str(ClosureReason.GEEN_VERVOLG.label): S,
        str(ClosureReason.VERHUISD.label): S,
    }
    monitored = {str(line.label): line.total for line in data.monitoring.closure_reasons}
    for label, count in _counts(cases.by_closure_reason).items():
        assert monitored[label] == count
    # Per organisation: GGZ Noord brought A1-A8, Gemeente Noord B1-B6; per benefit 9
    # Participatiewet, 2 WW, 2 WIA, 1 unknown: three small ones that can add up to 5 in more
    # than one way, so 9 shows.
    assert _counts(cases.by_organisation) == {"GGZ Noord": 8, "Gemeente Noord": 6}
    assert _counts(cases.by_benefit) == {"Participatiewet": 9, "WW": S, "WIA": S, "Onbekend": S}
    # Regie: A1-A6 and B1-B3 had a regievoerder in the period: 9 of 12, 75%; held now by GGZ
    # Noord's deelnemer for A1-A5 and B1-B3.
    assert (data.regie.with_regievoerder, data.regie.share) == (9, 75)
    assert _counts(data.regie.by_organisation) == {"GGZ Noord": 8}
    summary = _counts(data.summary)
    assert (summary["Besproken casussen"], summary["Casussen afgesloten"]) == (12, X)


def test_a_share_over_fewer_than_5_cases_shows_no_figure(app):
    """tests/logbook_world.py: 3 discussed cases, all 3 with a regievoerder."""
    from tests.logbook_world import make_logbook_world

    built = make_logbook_world()
    with app.test_request_context():
        data = logbook_data(built.scope())
    assert (data.regie.discussed, data.regie.with_regievoerder, data.regie.share) == (S, S, N)
    assert _counts(data.summary)["Besproken casussen met een regievoerder (%)"] == N


def test_a_cell_withheld_elsewhere_is_withheld_here_and_guarded_in_its_line():
    """suppress(withheld=...): the closed cases withheld by the monitoring figures stay
    withheld in the logbook, and a line whose parts all show then withholds one of them, as
    they would add up to it."""
    from facilitator.monitoring.suppression import Line, suppress

    values = {"paid": 6, "moved": 7, "closed": 13}
    lines = [Line(("paid", "moved"), "closed")]
    assert suppress(values, lines) == values
    assert suppress(values, lines, withheld=["closed"]) == {"paid": X, "moved": 7, "closed": X}
