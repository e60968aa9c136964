"""Small-count suppression: pseudonymised clients of a small region must not be recognisable
from the figures (issue 14).

The rules, the same on the page, in the CSV, the charts and the logbook:

* A count of cases from 1 to 4 shows as ``"<5"`` (*primary* suppression); 0 and 5 or more show
  as they are.
* Secondary suppression: what is shown must not fix the value of a hidden cell. Every hidden
  cell gets a range (a ``"<5"`` lies between 1 and 4, an ``"x"`` is at least 5), every shown
  cell its value, and the relations between them narrow the ranges until nothing changes:
  each *line* (parts with their total: a row or column of a table with its margin, the same
  total shared by several tables) and each *bound* (a part of a count, such as the cases to
  paid work among those closed). All lines and bounds of a page are propagated together, so
  a row and a column that cross, or two tables sharing a total, are taken into account at
  once. When a hidden cell's range shrinks to one value, another cell of a line or bound it
  is in is hidden too, shown as ``"x"`` (the one that keeps it hidden, the smallest first),
  and the check starts again. An ``"x"`` is a count of 5 or more withheld for this reason: it
  never shows as ``"<5"``, which would be untrue. (Bounds propagation finds what a reader can
  work out line by line, not every solution of the whole system of equations; for the tables
  here that is what subtraction can reach.)
* A share (the percentage to paid work) or a median (days) based on fewer than 5 cases, or on a
  count that is hidden, shows as ``"—"`` (no figure): it would tell a small count.

Counts of meetings and of professionals present are about the professionals, not about
clients: they are shown as they are.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import median

#: Shown instead of a count from 1 to 4.
SMALL = "<5"
#: Shown instead of a count withheld so that a total does not give a small count away.
WITHHELD = "x"
#: Shown instead of a share or median based on fewer than 5 cases.
NO_FIGURE = "—"
THRESHOLD = 5

#: What a figure shows: the number, or one of the three marks above.
Shown = int | float | str


def is_hidden(value: Shown) -> bool:
    """A shown value that stands for a number not shown."""
    return isinstance(value, str)


def shown_count(count: int) -> int | str:
    """A count as it may be shown, before secondary suppression."""
    return SMALL if 0 < count < THRESHOLD else count


@dataclass(frozen=True)
class Line:
    """Parts and the total they make up, as cell keys. ``additive``: the total is the parts'
    sum (else, as with distinct cases over several periods, each part is at most the total and
    the total at most the parts' sum)."""

    parts: tuple[Hashable, ...]
    total: Hashable
    additive: bool = True


@dataclass(frozen=True)
class Bound:
    """A count that is part of another: ``part`` is at most ``whole`` (cases to paid work among
    the cases closed)."""

    part: Hashable
    whole: Hashable


def suppress(
    values: Mapping[Hashable, int],
    lines: Iterable[Line],
    bounds: Iterable[Bound] = (),
    *,
    withheld: Iterable[Hashable] = (),
) -> dict[Hashable, int | str]:
    """Every cell as it may be shown: primary and secondary suppression over all ``lines`` and
    ``bounds`` together. ``withheld``: cells already withheld elsewhere (the same figure in
    another table, as the logbook's counts of cases that the monitoring figures show too),
    withheld here as well and accounted for, so that neither table gives the other's away."""
    relations = _Relations([line for line in lines if line.parts], list(bounds))
    small = {key for key, value in values.items() if 0 < value < THRESHOLD}
    withheld = {key for key in withheld if key in values and key not in small}
    while exposed := relations.exposed(values, small, withheld):
        # The first exposed cell with a shown neighbour to hide (each round hides one more
        # cell, so this ends); a cell whose neighbours are all hidden is freed through another.
        found = ((key, relations.candidates(key, values, small | withheld)) for key in exposed)
        key, candidates = next(((k, c) for k, c in found if c), (None, []))
        if not candidates:
            break
        keeps_hidden = (
            cell
            for cell in candidates[:6]
            if key not in relations.exposed(values, small, withheld | {cell})
        )
        withheld.add(next(keeps_hidden, candidates[0]))
    return {
        key: SMALL if key in small else WITHHELD if key in withheld else value
        for key, value in values.items()
    }


class _Relations:
    """The lines and bounds of a page, and what a reader can work out from them."""

    def __init__(self, lines: list[Line], bounds: list[Bound]):
        self.lines = lines
        self.bounds = bounds

    def exposed(self, values, small: set, withheld: set) -> list[Hashable]:
        """The hidden cells whose value the shown ones fix, in the order of ``values``."""
        low, high = self._ranges(values, small, withheld)
        return [k for k in values if (k in small or k in withheld) and low[k] == high[k]]

    def candidates(self, key: Hashable, values, hidden: set) -> list[Hashable]:
        """The shown non-zero cells related to ``key``, the smallest first (a zero hidden as
        "x" would be untrue)."""
        related: list[Hashable] = []
        for line in self.lines:
            if key in line.parts or key == line.total:
                related += [*line.parts, line.total]
        for bound in self.bounds:
            if key in (bound.part, bound.whole):
                related += [bound.part, bound.whole]
        shown = {cell for cell in related if cell not in hidden and values[cell] > 0}
        return sorted(shown, key=lambda cell: (values[cell], related.index(cell)))

    def _ranges(self, values, small: set, withheld: set) -> tuple[dict, dict]:
        """The lowest and highest value each cell can have, given what is shown."""
        top = max(THRESHOLD, *values.values()) if values else THRESHOLD
        low: dict[Hashable, int] = {}
        high: dict[Hashable, int] = {}
        for key, value in values.items():
            if key in small:
                low[key], high[key] = 1, THRESHOLD - 1
            elif key in withheld:
                low[key], high[key] = THRESHOLD, top
            else:
                low[key] = high[key] = value

        def narrow(key, lowest, highest) -> bool:
            lowest, highest = max(low[key], lowest), min(high[key], highest)
            if (lowest, highest) == (low[key], high[key]):
                return False
            low[key], high[key] = lowest, highest
            return True

        changed = True
        while changed:
            changed = False
            for line in self.lines:
                parts_low = sum(low[p] for p in line.parts)
                parts_high = sum(high[p] for p in line.parts)
                if line.additive:
                    changed |= narrow(line.total, parts_low, parts_high)
                else:
                    changed |= narrow(line.total, max(low[p] for p in line.parts), parts_high)
                for part in line.parts:
                    others_high = parts_high - high[part]
                    highest = high[line.total] - (parts_low - low[part])
                    if not line.additive:
                        highest = high[line.total]
                    changed |= narrow(part, low[line.total] - others_high, highest)
            for bound in self.bounds:
                changed |= narrow(bound.part, low[bound.part], high[bound.whole])
                changed |= narrow(bound.whole, low[bound.part], high[bound.whole])
        return low, high


def shown_share(part: int | str, whole: int | str) -> int | str:
    """``part`` as a whole percentage of ``whole``; no figure when either is hidden or the
    whole is fewer than 5 cases (a share of 1 in 2 tells two small counts)."""
    if is_hidden(part) or is_hidden(whole) or whole < THRESHOLD:
        return NO_FIGURE
    return round(100 * part / whole)


def shown_median(days: Sequence[int]) -> float | str:
    """The median of at least 5 cases' days, else no figure."""
    if len(days) < THRESHOLD:
        return NO_FIGURE
    return float(median(days))


def table_lines(
    rows: Sequence[Hashable], columns: Sequence[Hashable], cell, row_total, column_total, total
) -> list[Line]:
    """The lines of a table with margins: each row with its total, each column with its total,
    and the margins with the grand total (``cell(r, c)`` etc. give the keys)."""
    return [
        *(Line(tuple(cell(r, c) for c in columns), row_total(r)) for r in rows),
        *(Line(tuple(cell(r, c) for r in rows), column_total(c)) for c in columns),
        Line(tuple(row_total(r) for r in rows), total),
        Line(tuple(column_total(c) for c in columns), total),
    ]
