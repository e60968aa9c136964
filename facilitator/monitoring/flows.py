"""In-, door- and uitstroom: per case the facts that count, then the raw figures per period,
group, organisation and benefit, then what may be shown of them (one suppression over all the
tables at once, since they share their totals).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from facilitator.cases.models import BenefitType, ClosureReason
from facilitator.localtime import local_date
from facilitator.monitoring.periods import Bucket
from facilitator.monitoring.suppression import (
    Bound,
    Line,
    Shown,
    shown_median,
    shown_share,
    suppress,
    table_lines,
)

#: The counts of cases on a line, in the order of its columns.
COUNTS = ("registered", "discussed", "with_regievoerder", "with_open_actions", "closed")
PAID = ClosureReason.BETAALD_WERK
TOTAL = ("total", None)


@dataclass(frozen=True)
class CaseFacts:
    group: tuple[int, str]
    organisation: tuple[int, str]
    benefit: BenefitType
    registered: date
    closed: date | None
    reason: ClosureReason | None
    #: Local days of the held meetings that discussed it, up to the period's end.
    discussed: tuple[date, ...]
    #: The regie assignments: (first day, last day or None while in force).
    regie: tuple[tuple[date, date | None], ...]
    #: The day the first action still open was agreed.
    open_action_from: date | None

    def regie_on(self, day: date) -> bool:
        return any(since <= day and (last is None or last > day) for since, last in self.regie)


def case_facts(case_rows, discussion_rows, regie_rows) -> list[CaseFacts]:
    discussed = defaultdict(list)
    for case_id, at in discussion_rows:
        discussed[case_id].append(local_date(at))
    regie = defaultdict(list)
    for case_id, since, ended_at in regie_rows:
        regie[case_id].append((since, local_date(ended_at) if ended_at else None))
    return [
        CaseFacts(
            group=(group_id, group),
            organisation=(organisation_id, organisation),
            benefit=benefit,
            registered=local_date(created_at),
            closed=local_date(closed_at) if closed_at else None,
            reason=closure_kind if closed_at else None,
            discussed=tuple(sorted(discussed[id_])),
            regie=tuple(regie[id_]),
            open_action_from=local_date(first_open) if first_open else None,
        )
        for id_, group_id, group, organisation_id, organisation, benefit, created_at, closed_at,
        closure_kind, first_open in case_rows
    ]  # fmt: skip


@dataclass(frozen=True)
class FlowLine:
    """One line of figures: for a period, a group, an organisation, a benefit or all."""

    label: str
    #: Instroom: cases registered.
    registered: Shown
    #: Doorstroom: cases discussed at a held meeting; of those, with a regievoerder at the end
    #: of the period, and with an action agreed by then that is still open.
    discussed: Shown
    with_regievoerder: Shown
    with_open_actions: Shown
    #: Uitstroom: cases closed, of which to paid work, and its share (%).
    closed: Shown
    to_paid_work: Shown
    paid_work_share: Shown
    #: Median days from registration to the first discussion, and to closing.
    days_to_discussion: Shown
    days_to_closing: Shown


@dataclass(frozen=True)
class ReasonLine:
    reason: ClosureReason
    per_bucket: tuple[Shown, ...]
    total: Shown

    @property
    def label(self) -> str:
        return self.reason.label


@dataclass(frozen=True)
class _Raw:
    counts: dict[str, int]
    reasons: dict[ClosureReason, int]
    days_to_discussion: list[int]
    days_to_closing: list[int]


def _raw(cases: Sequence[CaseFacts], start: date, end: date) -> _Raw:
    def within(day: date | None) -> bool:
        return day is not None and start <= day <= end

    discussed = [c for c in cases if any(within(day) for day in c.discussed)]
    closed = [c for c in cases if within(c.closed)]
    firsts = [c for c in cases if c.discussed and within(c.discussed[0])]
    return _Raw(
        counts={
            "registered": sum(1 for c in cases if within(c.registered)),
            "discussed": len(discussed),
            "with_regievoerder": sum(1 for c in discussed if c.regie_on(end)),
            "with_open_actions": sum(
                1 for c in discussed if c.open_action_from and c.open_action_from <= end
            ),
            "closed": len(closed),
        },
        reasons={reason: sum(1 for c in closed if c.reason == reason) for reason in ClosureReason},
        days_to_discussion=[(c.discussed[0] - c.registered).days for c in firsts],
        days_to_closing=[(c.closed - c.registered).days for c in closed],
    )


@dataclass(frozen=True)
class ShownFlows:
    per_bucket: tuple[FlowLine, ...]
    total: FlowLine
    per_group: tuple[FlowLine, ...]
    per_organisation: tuple[FlowLine, ...]
    per_benefit: tuple[FlowLine, ...]
    closure_reasons: tuple[ReasonLine, ...]


def shown_flows(cases: list[CaseFacts], periods: tuple[Bucket, ...]) -> ShownFlows:
    """Every flow table as it may be shown."""
    start, end = periods[0].start, periods[-1].end
    members: dict[str, list[tuple[Hashable, str, _Raw]]] = {
        "bucket": [(i, p.label, _raw(cases, p.start, p.end)) for i, p in enumerate(periods)],
        "group": _breakdown(cases, lambda c: c.group, start, end),
        "organisation": _breakdown(cases, lambda c: c.organisation, start, end),
        "benefit": [
            (b, b.label, _raw(found, start, end))
            for b in BenefitType
            if (found := [c for c in cases if c.benefit == b])
        ],
    }
    total = _raw(cases, start, end)
    values, lines, bounds = _cells(members, total)
    shown = suppress(values, lines, bounds)

    def line(dim, member, label, raw: _Raw) -> FlowLine:
        counts = {name: shown[(dim, member, name)] for name in COUNTS}
        paid = shown[(dim, member, PAID)]
        return FlowLine(
            label=label,
            **counts,
            to_paid_work=paid,
            paid_work_share=shown_share(paid, counts["closed"]),
            days_to_discussion=shown_median(raw.days_to_discussion),
            days_to_closing=shown_median(raw.days_to_closing),
        )

    return ShownFlows(
        per_bucket=tuple(line("bucket", m, label, raw) for m, label, raw in members["bucket"]),
        total=line(*TOTAL, _("Total"), total),
        per_group=tuple(line("group", m, label, raw) for m, label, raw in members["group"]),
        per_organisation=tuple(
            line("organisation", m, label, raw) for m, label, raw in members["organisation"]
        ),
        per_benefit=tuple(line("benefit", m, label, raw) for m, label, raw in members["benefit"]),
        closure_reasons=tuple(
            ReasonLine(
                reason,
                tuple(shown[("bucket", i, reason)] for i in range(len(periods))),
                shown[(*TOTAL, reason)],
            )
            for reason in ClosureReason
        ),
    )


def _breakdown(cases, key: Callable, start: date, end: date) -> list:
    """Per member ((id, name) of each case's group or organisation), by name."""
    found: dict[tuple[int, str], list[CaseFacts]] = defaultdict(list)
    for case in cases:
        found[key(case)].append(case)
    return [
        (member[0], member[1], _raw(of_member, start, end))
        for member, of_member in sorted(found.items(), key=lambda item: (item[0][1], item[0][0]))
    ]


def _cells(members: dict[str, list], total: _Raw) -> tuple[dict, list[Line], list[Bound]]:
    """The raw value of every cell shown, the lines whose totals could give one away, and the
    bounds between a count and its part (to paid work among the closed; with a regievoerder or
    open actions among the discussed)."""
    values: dict[Hashable, int] = {}
    bounds: list[Bound] = []
    for dim, found in [*members.items(), ("total", [(None, "", total)])]:
        for member, _label, raw in found:
            for name in COUNTS:
                values[(dim, member, name)] = raw.counts[name]
            bounds += [
                Bound((dim, member, part), (dim, member, whole))
                for part, whole in (
                    (PAID, "closed"),
                    ("with_regievoerder", "discussed"),
                    ("with_open_actions", "discussed"),
                )
            ]
            shown_reasons = ClosureReason if dim in ("bucket", "total") else (PAID,)
            for reason in shown_reasons:
                values[(dim, member, reason)] = raw.reasons[reason]
    lines = []
    for dim, found in members.items():
        keys = [member for member, _label, _raw in found]
        for name in (*COUNTS, PAID):
            # A case discussed in two periods counts in both: over the periods, the total
            # of the distinct cases discussed is no sum.
            additive = dim != "bucket" or name not in COUNTS[1:4]
            lines.append(Line(tuple((dim, m, name) for m in keys), (*TOTAL, name), additive))
    bucket_keys = [member for member, _label, _raw in members["bucket"]]
    lines += table_lines(
        list(ClosureReason),
        bucket_keys,
        cell=lambda reason, i: ("bucket", i, reason),
        row_total=lambda reason: (*TOTAL, reason),
        column_total=lambda i: ("bucket", i, "closed"),
        total=(*TOTAL, "closed"),
    )
    return values, lines, bounds
