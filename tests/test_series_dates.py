"""The dates of a series and the rotation of host and notulist, as pure functions."""

from __future__ import annotations

from datetime import date

from facilitator.series.dates import (
    MAX_DATES,
    default_until,
    dutch_holidays,
    first_on_weekday,
    is_holiday,
    series_dates,
)
from facilitator.series.models import SeriesRhythm
from facilitator.series.rotation import Candidate, Turn, next_start, propose_rotation


def test_monthly_keeps_the_second_tuesday_of_every_month():
    first = date(2027, 1, 12)  # the second Tuesday of January 2027
    days = series_dates(SeriesRhythm.MAANDELIJKS, first, count=5)
    assert days == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
        date(2027, 5, 11),
    ]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)


def test_a_fifth_weekday_becomes_the_last_one_in_a_month_without_a_fifth():
    first = date(2027, 3, 30)  # the fifth Tuesday of March; April 2027 has four
    assert series_dates(SeriesRhythm.MAANDELIJKS, first, count=2) == [
        date(2027, 3, 30),
        date(2027, 4, 27),
    ]


def test_quarterly_keeps_the_weekday_of_the_month_every_three_months_across_the_year():
    first = date(2026, 11, 3)  # the first Tuesday of November
    assert series_dates(SeriesRhythm.PER_KWARTAAL, first, count=3) == [
        date(2026, 11, 3),
        date(2027, 2, 2),
        date(2027, 5, 4),
    ]


def test_six_weekly_and_every_n_weeks_step_whole_weeks():
    first = date(2027, 1, 5)
    assert series_dates(SeriesRhythm.ZESWEKELIJKS, first, count=3) == [
        date(2027, 1, 5),
        date(2027, 2, 16),
        date(2027, 3, 30),
    ]
    assert series_dates(SeriesRhythm.ELKE_N_WEKEN, first, interval_weeks=3, count=3) == [
        date(2027, 1, 5),
        date(2027, 1, 26),
        date(2027, 2, 16),
    ]


def test_a_year_by_default_up_to_a_date_or_after_a_day_to_extend():
    first = date(2027, 1, 5)
    year = series_dates(SeriesRhythm.ZESWEKELIJKS, first, until=default_until(first))
    assert len(year) == 9 and year[-1] == date(2027, 12, 7)
    assert default_until(date(2028, 2, 29)) == date(2029, 2, 28)
    assert series_dates(SeriesRhythm.MAANDELIJKS, first, until=date(2027, 3, 1)) == [
        date(2027, 1, 5),
        date(2027, 2, 2),
    ]
    assert series_dates(SeriesRhythm.ZESWEKELIJKS, first, after=date(2027, 2, 16), count=2) == [
        date(2027, 3, 30),
        date(2027, 5, 11),
    ]
    assert len(series_dates(SeriesRhythm.ELKE_N_WEKEN, first, interval_weeks=1)) == MAX_DATES


def test_the_first_meeting_is_on_the_weekday_on_or_after_the_date():
    assert first_on_weekday(date(2027, 1, 6), 1) == date(2027, 1, 12)
    assert first_on_weekday(date(2027, 1, 5), 1) == date(2027, 1, 5)


def test_dutch_public_holidays_are_flagged():
    assert date(2025, 4, 26) in dutch_holidays(2025)  # Koningsdag on the Saturday
    assert is_holiday(date(2026, 4, 6))  # Tweede Paasdag
    assert is_holiday(date(2026, 5, 14))  # Hemelvaartsdag
    assert is_holiday(date(2026, 5, 25))  # Tweede Pinksterdag
    assert is_holiday(date(2026, 12, 25))
    assert not is_holiday(date(2026, 5, 12))


ORGS = [Candidate(1, (10, 11)), Candidate(2, (20,)), Candidate(3, (30,))]


def test_the_organisations_host_in_turn_and_the_next_host_takes_the_minutes():
    turns = propose_rotation(5, ORGS)
    assert [t.host_organisation_id for t in turns] == [1, 2, 3, 1, 2]
    # The notulist comes from the next host; organisation 1's members take turns.
    assert [t.notulist_id for t in turns] == [20, 30, 10, 20, 30]
    assert propose_rotation(4, ORGS)[-1] == Turn(1, 20)
    assert [t.notulist_id for t in propose_rotation(6, ORGS)][2::3] == [10, 11]


def test_a_rotation_continues_after_the_last_host_and_copes_with_no_members():
    assert next_start(ORGS, 2) == 2
    assert propose_rotation(2, ORGS, start=next_start(ORGS, 3))[0].host_organisation_id == 1
    assert next_start(ORGS, 99) == 0
    assert propose_rotation(2, []) == [Turn(None, None), Turn(None, None)]
    assert propose_rotation(2, [Candidate(1, ())]) == [Turn(1, None), Turn(1, None)]
