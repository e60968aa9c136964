"""Charts for the exports, drawn with matplotlib's object API on the Agg canvas.

Never ``pyplot``: it keeps global state (a current figure, a GUI backend) that has no place in
a server handling requests in threads. Every chart comes with its text alternative, written
from the same data, for the document's image and the page's ``alt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from flask_babel import format_date
from flask_babel import gettext as _
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from facilitator.core.i18n import date_filter
from facilitator.exports.logbook_blocks import GroupBlocks
from facilitator.meetings.models import BUILDING_BLOCKS

#: Colours that stay apart for most kinds of colour blindness (Okabe and Ito).
_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
_MARKERS = ("o", "s", "^", "D", "v", "P")
DPI = 100


@dataclass(frozen=True)
class ChartImage:
    png: bytes
    alt_text: str


def building_blocks_chart(group: GroupBlocks) -> ChartImage:
    """The group's score per building block at each measurement, as a line chart."""
    figure = Figure(figsize=(7.5, 3.6), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    days = [m.day for m in group.measurements]
    for (key, label), colour, marker in zip(BUILDING_BLOCKS, _COLOURS, _MARKERS, strict=True):
        axes.plot(
            days,
            [m.scores[key] for m in group.measurements],
            label=str(label),
            color=colour,
            marker=marker,
            linewidth=1.8,
        )
    axes.set_ylim(0.8, 5.2)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_ylabel(_("Score (1 to 5)"))
    axes.set_xticks(days, [format_date(day, "d MMM yyyy") for day in days], rotation=25, ha="right")
    axes.set_title(drawable(group.group), fontsize=11)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    # Fixed margins (room for the legend on the right): tight_layout would draw it twice.
    figure.subplots_adjust(left=0.11, right=0.66, bottom=0.27, top=0.9)
    return ChartImage(_png(figure), building_blocks_alt_text(group))


def building_blocks_alt_text(group: GroupBlocks) -> str:
    """The chart in words: each building block's first and latest score."""
    changes = "; ".join(
        _("%(block)s from %(first)s to %(latest)s", block=c.label, first=c.first, latest=c.latest)
        for c in group.comparison
    )
    return _(
        "Line chart of the building-block scores of %(group)s at %(count)s measurements, "
        "from %(first)s to %(latest)s: %(changes)s.",
        group=group.group,
        count=len(group.measurements),
        first=date_filter(group.first.day),
        latest=date_filter(group.latest.day),
        changes=changes,
    )


def empty_chart(message: str) -> bytes:
    """A chart's place holding only a message, when there is nothing to draw."""
    figure = Figure(figsize=(7.5, 1.2), dpi=110)
    FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, drawable(message), ha="center", va="center", fontsize=11, color="#555555")
    return _png(figure)


@lru_cache(maxsize=1)
def _font() -> FT2Font:
    return FT2Font(font_manager.findfont(font_manager.FontProperties()))


def drawable(text: str) -> str:
    """The text with each character the chart's font lacks as "?": a group may be named in
    any script, and matplotlib would warn about the glyph and draw an empty box. The text
    alternative and the document keep the name as it is."""
    font = _font()
    return "".join(c if c.isspace() or font.get_char_index(ord(c)) else "?" for c in text)


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    # Light compression: a region-year has a chart per group, and size hardly differs.
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()
