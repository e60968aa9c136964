"""The logbook's counts of cases, suppressed by the rules of the monitoring figures (issue 14).

Every count of cases (clients) the logbook shows passes
:func:`facilitator.monitoring.suppression.suppress` here, once for the Casussen section, the
Samenvatting's cases and the Regievoering section together: a count from 1 to 4 shows as
``"<5"``, a count that a shown total would give away as ``"x"``, and the share of discussed
cases with a regievoerder as ``"—"`` when it rests on fewer than 5 cases. The lines guarded are
each breakdown of the cases (privacy mode, bringing organisation, benefit, status now) with
their total, and the closure reasons with the cases closed.

The cells the Monitoring section shows too (cases registered, discussed and closed, and the
cases closed per reason over the whole period) start from what the monitoring figures withheld,
so the two sections of one logbook show the same values and neither gives the other's withheld
cell away.

Not suppressed, as they count professionals' work and not clients: meetings held and
cancelled, people present and meetings attended per organisation, findings, follow-up actions
(also per organisation) and the regie handovers, which the logbook lists one by one by date and
organisation, never by case.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from facilitator.exports.logbook_sections import CasesSection, Count, RegieSection
from facilitator.monitoring.figures import MonitoringFigures
from facilitator.monitoring.suppression import WITHHELD, Line, suppress

#: The breakdowns of all cases the logbook counts, each adding up to ``total``.
BREAKDOWNS = ("by_privacy_mode", "by_organisation", "by_benefit", "by_status")
#: The logbook's counts that the monitoring figures' total line shows under the same name.
SHARED = ("registered", "discussed", "closed")


def suppressed_counts(
    cases: CasesSection, regie: RegieSection, monitoring: MonitoringFigures
) -> tuple[CasesSection, RegieSection]:
    """``cases`` and ``regie`` (raw counts) as they may be shown; no query."""
    values: dict[Hashable, int] = {
        "total": cases.total,
        "with_regievoerder": regie.with_regievoerder,
        **{name: getattr(cases, name) for name in SHARED},
    }
    lines = []
    for name in (*BREAKDOWNS, "by_closure_reason"):
        parts = tuple((name, i) for i in range(len(getattr(cases, name))))
        values.update({(name, i): c.count for i, c in enumerate(getattr(cases, name))})
        total = "closed" if name == "by_closure_reason" else "total"
        added = sum(values[key] for key in parts)
        lines.append(Line(parts, total, additive=added == values[total]))
    values.update({("regie", i): c.count for i, c in enumerate(regie.by_organisation)})
    shown = suppress(values, lines, withheld=_withheld_in_monitoring(cases, monitoring))

    def counts(name: str, found: tuple[Count, ...]) -> tuple[Count, ...]:
        return tuple(Count(c.label, shown[(name, i)]) for i, c in enumerate(found))

    return (
        replace(
            cases,
            total=shown["total"],
            **{name: shown[name] for name in SHARED},
            **{
                name: counts(name, getattr(cases, name))
                for name in (*BREAKDOWNS, "by_closure_reason")
            },
        ),
        replace(
            regie,
            discussed=shown["discussed"],
            with_regievoerder=shown["with_regievoerder"],
            by_organisation=counts("regie", regie.by_organisation),
        ),
    )


def _withheld_in_monitoring(cases: CasesSection, monitoring: MonitoringFigures) -> list:
    """The shared cells that the monitoring figures withheld ("x")."""
    withheld = [name for name in SHARED if getattr(monitoring.total, name) == WITHHELD]
    reasons = {str(line.label): line.total for line in monitoring.closure_reasons}
    withheld += [
        ("by_closure_reason", i)
        for i, c in enumerate(cases.by_closure_reason)
        if reasons.get(str(c.label)) == WITHHELD
    ]
    return withheld
