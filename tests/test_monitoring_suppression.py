"""Small-count suppression (monitoring/suppression.py): a count of 1 to 4 shows as "<5", and
no total, share or median gives a suppressed count away."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.monitoring.suppression import (
    NO_FIGURE,
    SMALL,
    WITHHELD,
    Line,
    is_hidden,
    shown_count,
    shown_median,
    shown_share,
    suppress,
    table_lines,
)


def _line(parts: list[int]) -> tuple[dict, list[Line]]:
    values = {("part", i): v for i, v in enumerate(parts)}
    values["total"] = sum(parts)
    return values, [Line(tuple(("part", i) for i in range(len(parts))), "total")]


def test_a_count_from_1_to_4_shows_as_less_than_5_and_0_and_5_as_they_are():
    assert [shown_count(n) for n in (0, 1, 3, 4, 5, 12)] == [0, SMALL, SMALL, SMALL, 5, 12]


def test_a_cell_of_3_shows_as_less_than_5():
    values, lines = _line([3, 0])
    shown = suppress(values, lines)
    assert shown[("part", 0)] == SMALL
    assert shown["total"] == SMALL  # a total of 3 is small itself


def test_a_total_that_would_reveal_the_cell_of_3_hides_the_next_smallest_cell():
    values, lines = _line([3, 9, 7, 0])
    shown = suppress(values, lines)
    assert shown == {
        ("part", 0): SMALL,
        ("part", 1): 9,
        ("part", 2): WITHHELD,  # the smallest non-zero shown cell, not the zero
        ("part", 3): 0,
        "total": 19,
    }


def test_two_small_cells_that_could_only_be_4_and_4_get_a_third_hidden():
    values, lines = _line([4, 4, 10])  # 18 - 10 = 8 = 4 + 4: both fixed
    shown = suppress(values, lines)
    assert shown[("part", 2)] == WITHHELD


def test_two_small_cells_that_could_only_be_1_and_1_get_a_third_hidden():
    values, lines = _line([1, 1, 6])
    assert suppress(values, lines)[("part", 2)] == WITHHELD


def test_two_small_cells_with_room_between_them_stay_as_they_are():
    values, lines = _line([2, 3, 10])
    shown = suppress(values, lines)
    assert shown == {("part", 0): SMALL, ("part", 1): SMALL, ("part", 2): 10, "total": 15}


def test_a_cell_hidden_for_its_row_is_accounted_for_in_its_column():
    # rows r0, r1; columns c0, c1: r0c0 = 2 forces a second cell in row r0 and in column c0,
    # and those in turn in their own lines.
    cells = {("r0", "c0"): 2, ("r0", "c1"): 8, ("r1", "c0"): 6, ("r1", "c1"): 9}
    values = {**cells}
    for r in ("r0", "r1"):
        values[(r, "T")] = sum(v for (row, _c), v in cells.items() if row == r)
    for c in ("c0", "c1"):
        values[("T", c)] = sum(v for (_r, col), v in cells.items() if col == c)
    values[("T", "T")] = sum(cells.values())
    lines = table_lines(
        ["r0", "r1"],
        ["c0", "c1"],
        cell=lambda r, c: (r, c),
        row_total=lambda r: (r, "T"),
        column_total=lambda c: ("T", c),
        total=("T", "T"),
    )
    shown = suppress(values, lines)
    assert [shown[k] for k in cells] == [SMALL, WITHHELD, WITHHELD, WITHHELD]
    _assert_nothing_given_away(values, lines, shown)


def test_a_withheld_total_is_not_left_as_the_sum_of_its_shown_parts():
    # b (5) is withheld for the first line; in the second it would be the sum of 5 and 0.
    values = {"a": 1, "b": 5, "t": 6, "c": 5, "d": 0}
    shown = suppress(values, [Line(("a", "b"), "t"), Line(("c", "d"), "b")])
    # (and t, since 1 and 5 are the only values "<5" and "x" can take to make 6)
    assert shown == {"a": SMALL, "b": WITHHELD, "t": WITHHELD, "c": WITHHELD, "d": 0}


def test_a_share_or_median_of_fewer_than_5_cases_is_no_figure():
    assert shown_share(2, 4) == NO_FIGURE
    assert shown_share(SMALL, 12) == NO_FIGURE  # would give the small count away
    assert shown_share(3, WITHHELD) == NO_FIGURE
    assert shown_share(0, 7) == 0
    assert shown_share(5, 8) == 62
    assert shown_median([3, 9, 12, 40]) == NO_FIGURE
    assert shown_median([3, 9, 12, 40, 41]) == 12.0
    assert shown_median([3, 9, 12, 40, 41, 50]) == 26.0


# --- properties -------------------------------------------------------------------------------


def _assert_nothing_given_away(values, lines, shown) -> None:
    """For every line with a shown total: no hidden part, or several whose values are not
    fixed by the total (their remainder lies strictly between its least and its most)."""
    for line in lines:
        hidden = [k for k in line.parts if is_hidden(shown[k])]
        if shown[line.total] == WITHHELD and line.additive:
            assert hidden, (line, shown)  # else the total is the sum of its shown parts
        if is_hidden(shown[line.total]):
            continue
        assert len(hidden) != 1, (line, shown)
        if hidden and line.additive:
            remainder = shown[line.total] - sum(shown[k] for k in line.parts if k not in hidden)
            least = sum(1 if shown[k] == SMALL else 5 for k in hidden)
            most = None if WITHHELD in [shown[k] for k in hidden] else 4 * len(hidden)
            assert remainder not in (least, most), (line, shown)


def _recoverable(parts: list[int], shown: dict) -> set[int]:
    """The hidden cells of a line whose value every filling consistent with what is shown
    agrees on (brute force: "<5" is 1 to 4, "x" is 5 or more)."""
    hidden = [i for i in range(len(parts)) if is_hidden(shown[("part", i)])]
    if is_hidden(shown["total"]) or not hidden:
        return set()
    remainder = shown["total"] - sum(parts[i] for i in range(len(parts)) if i not in hidden)
    ranges = [
        range(1, 5) if shown[("part", i)] == SMALL else range(5, remainder + 1) for i in hidden
    ]
    fillings = [f for f in product(*ranges) if sum(f) == remainder]
    return {
        hidden[position]
        for position in range(len(hidden))
        if len({filling[position] for filling in fillings}) == 1
    }


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=5))
def test_no_hidden_count_of_a_line_can_be_recovered_from_its_total(parts):
    values, lines = _line(parts)
    shown = suppress(values, lines)
    for i, value in enumerate(parts):
        assert shown[("part", i)] in ((SMALL,) if 1 <= value <= 4 else (value, WITHHELD))
    _assert_nothing_given_away(values, lines, shown)
    assert _recoverable(parts, shown) == set(), shown


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=15), min_size=3, max_size=3),
        min_size=2,
        max_size=4,
    )
)
def test_in_a_table_with_totals_every_line_hides_none_or_several(rows):
    values = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row)}
    for r, row in enumerate(rows):
        values[(r, "T")] = sum(row)
    for c in range(3):
        values[("T", c)] = sum(row[c] for row in rows)
    values[("T", "T")] = sum(map(sum, rows))
    lines = table_lines(
        range(len(rows)),
        range(3),
        cell=lambda r, c: (r, c),
        row_total=lambda r: (r, "T"),
        column_total=lambda c: ("T", c),
        total=("T", "T"),
    )
    shown = suppress(values, lines)
    assert all(shown[k] == SMALL for k, v in values.items() if 1 <= v <= 4)
    assert all(shown[k] in (v, WITHHELD) for k, v in values.items() if not 1 <= v <= 4)
    _assert_nothing_given_away(values, lines, shown)
