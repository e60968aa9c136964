"""Small-count suppression: pseudonymised clients of a small region must not be recognisable
from the figures (issue 14).

The rules, the same on the page, in the CSV, the charts and the logbook:

* A count of cases from 1 to 4 shows as ``"<5"`` (*primary* suppression); 0 and 5 or more show
  as they are.
* Secondary suppression: a table with totals must not give a suppressed cell away by
  subtraction. For every *line* (parts with a shown total) the hidden parts' values must not be
  fixed by what is shown: a line with a single hidden part, or whose hidden parts can only add
  up to the remainder in one way (all of them 1, or all of them 4), gets its smallest non-zero
  shown part hidden too, shown as ``"x"``; when no part is left, its total. Repeated over every
  line until nothing changes, so a cell hidden for one line is accounted for in the others. A
  withheld total whose parts all show would be their sum: one of them is withheld as well.
  (The lines are checked one by one, not solved together as a system of equations: the tables
  here are small and their lines share only their totals.)
  An ``"x"`` is a count of 5 or more withheld for this reason: it never shows as ``"<5"``,
  which would be untrue.
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
    sum (else, as with distinct cases over several periods, it is at most the sum, and only a
    single hidden part is guarded against)."""

    parts: tuple[Hashable, ...]
    total: Hashable
    additive: bool = True


def suppress(
    values: Mapping[Hashable, int], lines: Iterable[Line], withheld: Iterable[Hashable] = ()
) -> dict[Hashable, int | str]:
    """Every cell as it may be shown: primary and secondary suppression over all ``lines``.
    ``withheld``: cells already withheld elsewhere (the same figure in another table, as the
    logbook's counts of cases that the monitoring figures show too), withheld here as well and
    accounted for in the lines, so that neither table gives the other's cell away."""
    lines = list(lines)
    small = {key for key, value in values.items() if 0 < value < THRESHOLD}
    withheld = {key for key in withheld if key in values and key not in small}
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = small | withheld
            if line.total in small or not _gives_away(line, values, small, withheld):
                continue
            withheld.add(_next_to_hide(line, values, hidden))
            changed = True
    return {
        key: SMALL if key in small else WITHHELD if key in withheld else value
        for key, value in values.items()
    }


def _gives_away(line: Line, values, small: set, withheld: set) -> bool:
    """Whether the shown parts and total fix the value of a hidden part of the line, or the
    shown parts that of a withheld total (which would then give away what it guards)."""
    hidden = [key for key in line.parts if key in small or key in withheld]
    if line.total in withheld:
        return line.additive and not hidden
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    if not line.additive:
        return False
    remainder = values[line.total] - sum(values[k] for k in line.parts if k not in hidden)
    # A hidden "<5" lies between 1 and 4; an "x" is at least 5, with no upper bound.
    lowest = sum(1 if key in small else THRESHOLD for key in hidden)
    highest = None if any(key in withheld for key in hidden) else 4 * len(hidden)
    return remainder in (lowest, highest)


def _next_to_hide(line: Line, values, hidden: set) -> Hashable:
    """The smallest non-zero shown part (the first of equals), else the total."""
    candidates = [
        (values[key], index)
        for index, key in enumerate(line.parts)
        if key not in hidden and values[key] > 0
    ]
    if not candidates:
        return line.total
    return line.parts[min(candidates)[1]]


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
