"""The figures page's charts, drawn on the server with matplotlib's object API (never pyplot,
see :mod:`facilitator.exports.charts`), each with its text alternative from the same figures.

A suppressed count is never drawn as its value: a ``<5`` is a hatched, unfilled bar up to 5
(all the reader may know: below 5), an ``x`` no bar at all, only its mark.
"""

from __future__ import annotations

from flask_babel import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from facilitator.exports.charts import DPI, ChartImage, _png, drawable
from facilitator.monitoring.figures import MonitoringFigures
from facilitator.monitoring.suppression import SMALL, THRESHOLD, is_hidden

_COLOURS = ("#0072B2", "#E69F00", "#009E73")
CHARTS = ("stroom", "uitstroom", "bijeenkomsten")


def chart(figures: MonitoringFigures, name: str) -> ChartImage:
    """The chart ``name`` (one of ``CHARTS``)."""
    if name == "stroom":
        return flow_chart(figures)
    if name == "uitstroom":
        return reasons_chart(figures)
    return meetings_chart(figures)


def alt_text(figures: MonitoringFigures, name: str) -> str:
    return {"stroom": _flow_alt, "uitstroom": _reasons_alt, "bijeenkomsten": _meetings_alt}[name](
        figures
    )


def _series(figures: MonitoringFigures) -> list[tuple[str, list]]:
    lines = figures.per_bucket
    return [
        (_("Registered"), [line.registered for line in lines]),
        (_("Discussed"), [line.discussed for line in lines]),
        (_("Closed"), [line.closed for line in lines]),
    ]


def flow_chart(figures: MonitoringFigures) -> ChartImage:
    """Per period, bars for the cases registered, discussed and closed."""
    labels = [b.label for b in figures.buckets]
    series = _series(figures)
    figure, axes = _figure()
    width = 0.8 / len(series)
    for number, ((name, values), colour) in enumerate(zip(series, _COLOURS, strict=True)):
        offsets = [i + (number - 1) * width for i in range(len(labels))]
        _bars(axes, offsets, values, width, colour, name)
    axes.set_xticks(range(len(labels)), [drawable(label) for label in labels])
    axes.set_ylabel(_("Cases"))
    axes.legend(fontsize=8, frameon=False)
    return ChartImage(_png(figure), _flow_alt(figures))


def reasons_chart(figures: MonitoringFigures) -> ChartImage:
    """The cases closed over the whole period, per reason for closing."""
    lines = figures.closure_reasons
    figure, axes = _figure(height=3.8)
    positions = list(range(len(lines)))
    _bars(axes, positions, [line.total for line in lines], 0.6, _COLOURS[2], None, horizontal=True)
    axes.set_yticks(positions, [drawable(line.label) for line in lines], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel(_("Cases closed"))
    figure.subplots_adjust(left=0.42, right=0.96, bottom=0.15, top=0.95)
    return ChartImage(_png(figure), _reasons_alt(figures))


def meetings_chart(figures: MonitoringFigures) -> ChartImage:
    """Meetings held per period (about the professionals: never suppressed)."""
    labels = [b.label for b in figures.buckets]
    figure, axes = _figure()
    axes.bar(range(len(labels)), figures.meetings_held, 0.6, color=_COLOURS[0])
    axes.set_xticks(range(len(labels)), [drawable(label) for label in labels])
    axes.set_ylabel(_("Meetings held"))
    return ChartImage(_png(figure), _meetings_alt(figures))


def _figure(height: float = 3.4):
    figure = Figure(figsize=(7.5, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.grid(axis="y", alpha=0.3)
    figure.subplots_adjust(left=0.1, right=0.97, bottom=0.18, top=0.93)
    return figure, axes


def _bars(axes, positions, values, width, colour, label, horizontal=False) -> None:
    """Shown counts as filled bars; a ``<5`` hatched up to 5, an ``x`` as its mark only."""
    draw = axes.barh if horizontal else axes.bar
    shown = [0 if is_hidden(v) else v for v in values]
    draw(positions, shown, width, color=colour, label=label)
    small = [p for p, v in zip(positions, values, strict=True) if v == SMALL]
    if small:
        draw(small, [THRESHOLD] * len(small), width, fill=False, hatch="///", edgecolor=colour)
    for position, value in zip(positions, values, strict=True):
        if is_hidden(value):
            xy = (THRESHOLD, position) if horizontal else (position, THRESHOLD)
            axes.annotate(value, xy, ha="left" if horizontal else "center", fontsize=8)


def _listing(labels, values) -> str:
    return "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))


def _flow_alt(figures: MonitoringFigures) -> str:
    labels = [b.label for b in figures.buckets]
    parts = [f"{name} ({_listing(labels, values)})" for name, values in _series(figures)]
    return _(
        "Bar chart of the cases per period, counts from 1 to 4 shown as %(small)s: %(series)s.",
        small=SMALL,
        series=". ".join(parts),
    )


def _reasons_alt(figures: MonitoringFigures) -> str:
    lines = figures.closure_reasons
    return _(
        "Bar chart of the cases closed per reason for closing: %(reasons)s.",
        reasons=_listing([line.label for line in lines], [line.total for line in lines]),
    )


def _meetings_alt(figures: MonitoringFigures) -> str:
    return _(
        "Bar chart of the meetings held per period: %(meetings)s.",
        meetings=_listing([b.label for b in figures.buckets], figures.meetings_held),
    )
