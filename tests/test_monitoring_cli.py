"""``facilitator monitoring export``: the figures as CSV, suppressed as on the page."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.extensions import db
from facilitator.monitoring.csv_export import build_monitoring_csv
from facilitator.monitoring.figures import monitoring_figures
from tests.monitoring_world import make_monitoring_world


@pytest.fixture
def monitoring(app):
    return make_monitoring_world()


def _command(output, *extra, region="Regio Noord", start="2025-01-01", end="2025-06-30"):
    return ["monitoring", "export", "--region", region, "--from", start, "--to", end,
            "--output", str(output), *extra]  # fmt: skip


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_command_writes_the_suppressed_figures_as_dutch_excel_csv(
    app, runner, monitoring, tmp_path
):
    output = tmp_path / "cijfers.csv"
    result = runner.invoke(args=_command(output))
    assert result.exit_code == 0, result.output
    content = output.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and b"\r\n" in content
    rows = _rows(content)
    assert rows[0] == ["Tabel", "Rij", "Kolom", "Waarde"]
    flow = {(r[1], r[2]): r[3] for r in rows if r[0] == "In-, door- en uitstroom per periode"}
    assert flow[("K2 2025", "Aangemeld")] == "7"
    assert flow[("K1 2025", "Met open acties")] == "<5"
    assert flow[("Totaal", "Afgesloten")] == "x"
    with app.test_request_context():
        expected = build_monitoring_csv(monitoring_figures(monitoring.scope())).getvalue()
    assert content == expected  # the page's CSV, byte for byte
    pseudonyms = [case.pseudonym for case in monitoring.cases.values()]
    assert not [p for p in pseudonyms if p.encode() in content]
    [row] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "monitoring_exported")
    ).all()
    assert row.user_id is None and "2025-01-01 to 2025-06-30" in row.reason


def test_the_command_takes_a_group_and_an_interval(runner, monitoring, tmp_path):
    output = tmp_path / "cijfers.csv"
    result = runner.invoke(
        args=_command(output, "--group", "Werkgroep Noord", "--interval", "month")
    )
    assert result.exit_code == 0, result.output
    rows = _rows(output.read_bytes())
    periods = {r[1] for r in rows if r[0] == "In-, door- en uitstroom per periode"}
    assert periods == {"jan 2025", "feb 2025", "mrt 2025", "apr 2025", "mei 2025", "jun 2025",
                       "Totaal"}  # fmt: skip
    groups = {r[1] for r in rows if r[0] == "Per groep"}
    assert groups == {"Werkgroep Noord", "Totaal"}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"region": "Regio West"}, "No region named 'Regio West'."),
        ({"start": "2025-13-01"}, "Invalid value for '--from'"),
        ({"end": "30-06-2025"}, "Invalid value for '--to'"),
        ({"start": "2025-06-30", "end": "2025-01-01"}, "--to lies before --from."),
        ({"start": "2020-01-01"}, "Choose a period of at most three years."),
    ],
)
def test_the_command_refuses_a_bad_region_or_period_and_writes_nothing(
    runner, monitoring, tmp_path, arguments, message
):
    output = tmp_path / "cijfers.csv"
    result = runner.invoke(args=_command(output, **arguments))
    assert result.exit_code != 0
    assert message in result.output
    assert not output.exists()
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "monitoring_exported")
    ).all()


def test_the_command_refuses_a_group_of_another_region(runner, monitoring, tmp_path):
    result = runner.invoke(args=_command(tmp_path / "x.csv", "--group", "Casusgroep Zuid"))
    assert result.exit_code != 0
    assert "No group named 'Casusgroep Zuid' in Regio Noord." in result.output
