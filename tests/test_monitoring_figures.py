"""The monitoring figures of a hand-made region (tests/monitoring_world.py), every one worked
out by hand and compared exactly, as they may be shown: suppressed."""

from __future__ import annotations

from datetime import date

import pytest

from facilitator.cases.models import BenefitType, ClosureReason
from facilitator.extensions import db
from facilitator.monitoring.figures import FlowLine, MonitoringScope, monitoring_figures
from facilitator.monitoring.periods import buckets
from facilitator.users.models import Role
from tests import factories
from tests.logbook_world import make_logbook_world
from tests.monitoring_world import make_monitoring_world

X, S, N = "x", "<5", "—"


@pytest.fixture
def monitoring(app):
    return make_monitoring_world()


def _row(line: FlowLine) -> tuple:
    return (
        line.label,
        line.registered,
        line.discussed,
        line.with_regievoerder,
        line.with_open_actions,
        line.closed,
        line.to_paid_work,
        line.paid_work_share,
        line.days_to_discussion,
        line.days_to_closing,
    )


def test_each_quarter_and_the_total_are_counted_and_suppressed(monitoring):
    figures = monitoring_figures(monitoring.scope())
    assert [b.label for b in figures.buckets] == ["K1 2025", "K2 2025"]
    # Q1: registered A1-A6; discussed A1-A6 (25 Feb); regie at 31 March A1-A5 (A6's ended on
    # 20 March); open action A1; closed A6 and B6 (2: "<5"); days to first discussion
    # 46, 36, 24, 15, 10, 5 -> 19.5; to closing over only 2 cases: no figure.
    # Q2: registered A7, A8, B1-B5; discussed A1, A2, A7, B1-B5; regie at 30 June A1, A2,
    # B1-B3; open actions A1, B1, B2; closed A1-A5, B1 (6, withheld: with Q1's "<5" it would
    # give it away); to paid work 5 (shown: the "<5" reasons beside it still range, and the
    # withheld closed count is at least 6); days to first discussion 45, 26 x 5 -> 26; to
    # closing 151, 141, 129, 122, 120, 49 -> 125.5.
    assert [_row(line) for line in figures.per_bucket] == [
        ("K1 2025", 6, 6, 5, S, S, 0, N, 19.5, N),
        ("K2 2025", 7, 8, 5, S, X, 5, N, 26.0, 125.5),
    ]
    # The whole half year: 13 registered, 12 distinct cases discussed (A1, A2 twice), regie at
    # the end 8, open actions 3, closed 8 (withheld: its reasons are 5 and three of 1), days
    # to first discussion median of 12 -> 26, to closing 28, 49, 92, 120, 122, ... -> 121.
    assert _row(figures.total) == ("Totaal", 13, 12, 8, S, X, 5, N, 26.0, 121.0)


def test_each_group_organisation_and_benefit_is_counted_and_suppressed(monitoring):
    figures = monitoring_figures(monitoring.scope())
    # Casusgroep Noord (GGZ Noord brings its cases): regie 5 beside Werkgroep's 3 of a total of
    # 8 is withheld; closed 6 beside 2 of a withheld total stays.
    group_a = ("Casusgroep Noord", 8, 7, X, S, 6, S, N, 24.0, 125.5)
    group_b = ("Werkgroep Noord", 5, 5, S, S, S, S, N, 26.0, N)
    assert [_row(line) for line in figures.per_group] == [group_a, group_b]
    assert {_row(line)[1:] for line in figures.per_organisation} == {group_a[1:], group_b[1:]}
    assert {line.label for line in figures.per_organisation} == {"GGZ Noord", "Gemeente Noord"}
    # Participatiewet: A1-A4 and B1-B5. Its 5 to paid work is the total of paid work (the other
    # benefits have none); that total is shown, as the two groups' "<5" still range beside it.
    assert [_row(line) for line in figures.per_benefit] == [
        ("Participatiewet", 9, 9, X, S, 5, 5, 100, 26.0, 129.0),
        ("WW", S, S, S, 0, S, 0, N, N, N),
        ("WIA", S, S, 0, 0, 0, 0, N, N, N),
        ("Onbekend", 0, 0, 0, 0, S, 0, N, N, N),
    ]


def test_the_outflow_per_reason_hides_the_small_reasons_and_what_would_give_them_away(
    monitoring,
):
    figures = monitoring_figures(monitoring.scope())
    reasons = {line.reason: (line.per_bucket, line.total) for line in figures.closure_reasons}
    assert reasons == {
        ClosureReason.BETAALD_WERK: ((0, 5), 5),
        ClosureReason.OPLEIDING_TRAJECT: ((0, S), S),
        ClosureReason.VRIJWILLIGERSWERK_DAGBESTEDING: ((0, 0), 0),
        ClosureReason.GEEN_VERVOLG: ((S, 0), S),
        ClosureReason.TOESTEMMING_INGETROKKEN: ((0, 0), 0),
        ClosureReason.VERHUISD: ((S, 0), S),
        ClosureReason.ANDERS: ((0, 0), 0),
    }


def test_meetings_held_per_quarter_and_attendance_per_organisation(monitoring):
    figures = monitoring_figures(monitoring.scope())
    assert figures.meetings_held == (1, 2)  # the cancelled one and July's do not count
    assert figures.meetings_total == 3
    assert {(a.organisation, a.present, a.meetings) for a in figures.attendance} == {
        ("Gemeente Noord", 3, 3),
        ("GGZ Noord", 2, 2),
    }


def test_by_month_the_counts_fall_in_their_months(monitoring):
    figures = monitoring_figures(monitoring.scope("month"))
    assert len(figures.buckets) == 6
    registered = [line.registered for line in figures.per_bucket]
    # January A1, A2; February A3-A6; April A7, A8; May B1-B5.
    assert registered == [S, S, 0, S, 5, 0]
    assert figures.meetings_held == (0, 1, 0, 0, 2, 0)


def test_by_year_one_bucket_equals_the_total(monitoring):
    figures = monitoring_figures(monitoring.scope("year"))
    assert [b.label for b in figures.buckets] == ["2025"]
    assert _row(figures.per_bucket[0])[1:] == _row(figures.total)[1:]


def test_a_group_organisation_or_benefit_narrows_every_figure(monitoring):
    group_only = monitoring_figures(
        MonitoringScope(
            monitoring.world.region, (monitoring.second_group,), date(2025, 1, 1), date(2025, 6, 30)
        )
    )
    assert _row(group_only.total)[1:] == (5, 5, S, S, S, S, N, 26.0, N)
    assert group_only.group_names == ("Werkgroep Noord",)
    assert group_only.meetings_held == (0, 1)
    ggz = monitoring_figures(monitoring.scope(organisation_id=monitoring.world.ggz.id))
    assert ggz.organisation_name == "GGZ Noord"
    assert _row(ggz.total)[1:4] == (8, 7, 5)
    wia = monitoring_figures(monitoring.scope(benefit=BenefitType.WIA))
    assert _row(wia.total)[1:] == (S, S, 0, 0, 0, 0, N, N, N)


def test_no_pseudonym_is_anywhere_in_the_figures(monitoring):
    figures = monitoring_figures(monitoring.scope())
    text = repr(figures)
    pseudonyms = [case.pseudonym for case in monitoring.cases.values()]
    pseudonyms += [
        monitoring.world.fictional_case.pseudonym,
        monitoring.world.consent_case.pseudonym,
    ]
    assert not [p for p in pseudonyms if p in text]


def test_the_figures_cost_the_same_queries_for_10_or_70_cases(monitoring, count_queries):
    world = monitoring.world
    member = world.users[Role.DEELNEMER]
    scope = monitoring.scope()
    db.session.commit()
    with count_queries() as small:
        monitoring_figures(scope)
    for _ in range(60):
        factories.make_case(world.group, member)
    scope = MonitoringScope(world.region, (), date(2025, 1, 1), date.today())
    db.session.commit()
    with count_queries() as large:
        monitoring_figures(scope)
    # The case rows, the discussions, the regie, meetings, attendance, building blocks (and
    # the region, expired by the commit).
    assert len(large) == len(small) <= 7, large


def test_building_blocks_show_as_zero_measurement_and_final_evaluation(app):
    logbook = make_logbook_world()
    scope = logbook.scope()
    figures = monitoring_figures(
        MonitoringScope(scope.region, (), scope.period_from, scope.period_to)
    )
    (group,) = figures.building_blocks
    assert group.group == "Casusgroep Noord"
    assert [(e.label, e.average) for e in group.evaluations] == [
        ("Nulmeting", 3.0),
        ("Eindevaluatie", 4.0),
    ]
    assert all(not m.went_well for m in group.blocks.measurements)  # no meeting content


@pytest.mark.parametrize(
    ("start", "end", "interval", "expected"),
    [
        (date(2025, 2, 15), date(2025, 7, 3), "quarter",
         [(date(2025, 2, 15), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30)),
          (date(2025, 7, 1), date(2025, 7, 3))]),
        (date(2025, 12, 5), date(2026, 1, 10), "month",
         [(date(2025, 12, 5), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 1, 10))]),
        (date(2024, 6, 1), date(2025, 2, 1), "year",
         [(date(2024, 6, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 2, 1))]),
    ],
)  # fmt: skip
def test_the_periods_are_cut_to_the_chosen_days(app, start, end, interval, expected):
    with app.test_request_context():
        assert [(b.start, b.end) for b in buckets(start, end, interval)] == expected
