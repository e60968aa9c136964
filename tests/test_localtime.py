"""Local time: due, overdue and "within N days" mean one thing, on the Dutch calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from facilitator.localtime import (
    Due,
    due_state,
    from_local,
    is_overdue,
    local_date,
    to_local,
    within_days,
)


def test_a_late_evening_in_summer_is_already_the_next_day_in_the_netherlands():
    # 22:30 UTC on 30 June is 00:30 on 1 July in Amsterdam (CEST, UTC+2).
    moment = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    assert local_date(moment) == date(2026, 7, 1)
    assert to_local(moment).hour == 0


def test_wall_clock_times_follow_summer_and_winter_time():
    assert from_local(date(2026, 1, 15), time(14, 0)) == datetime(2026, 1, 15, 13, 0, tzinfo=UTC)
    assert from_local(date(2026, 7, 15), time(14, 0)) == datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


def test_a_naive_timestamp_is_refused():
    with pytest.raises(ValueError):
        to_local(datetime(2026, 1, 1, 12, 0))


def test_due_overdue_and_within_days_on_one_calendar():
    today = date(2026, 11, 30)
    assert not is_overdue(today, today)
    assert is_overdue(date(2026, 11, 29), today)
    assert within_days(today, 3, today)
    assert within_days(date(2026, 12, 3), 3, today)
    assert not within_days(date(2026, 12, 4), 3, today)
    assert not within_days(date(2026, 11, 29), 3, today)
    assert due_state(date(2026, 11, 29), today) is Due.OVERDUE
    assert due_state(date(2026, 12, 2), today) is Due.DUE_SOON
    assert due_state(date(2026, 12, 31), today) is Due.LATER
