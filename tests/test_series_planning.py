"""Planning a series through HTTP: the rhythm, a preview of the dates in which any date can be
dropped or moved and its host and notulist changed, then one submit; every refusal plans nothing."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.extensions import db
from facilitator.localtime import from_local, local_date, local_today, to_local
from facilitator.meetings.models import Meeting
from facilitator.series.dates import default_until, first_on_weekday, series_dates
from facilitator.series.models import MeetingSeries, SeriesRhythm
from facilitator.users.models import Role
from tests import factories
from tests.helpers import post_form
from tests.series_helpers import (
    TUESDAY,
    counts,
    first_from,
    preview_rows,
    preview_url,
    rows_form,
    settings,
)

LEADER = "procesbegeleider@noord.example"
BSN = "111222333"


def _plan_url(world) -> str:
    return f"/groepen/{world.group.id}/reeksen/nieuw"


def _preview(client, world, **overrides) -> tuple[str, list[dict]]:
    url = preview_url(world.group.id, **overrides)
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return url, preview_rows(response.get_data(as_text=True))


def _submit(client, world, rows, url, **overrides):
    return post_form(
        client, _plan_url(world), {**settings(**overrides), **rows_form(rows)}, token_from=url
    )


def _year_of_tuesdays() -> list[date]:
    first = first_on_weekday(first_from(), TUESDAY)
    return series_dates(SeriesRhythm.ZESWEKELIJKS, first, until=default_until(first))


def test_the_rhythm_form_opens_with_the_groups_rhythm(client, auth, world):
    auth.login(LEADER)
    html = client.get(_plan_url(world)).get_data(as_text=True)
    assert '<option selected value="zeswekelijks">' in html
    assert 'method="get"' in html


def test_the_preview_shows_a_year_of_dates_with_a_rotation_and_plans_nothing(client, auth, world):
    auth.login(LEADER)
    before = counts()
    _url, rows = _preview(client, world)
    assert [date.fromisoformat(r["day"]) for r in rows] == _year_of_tuesdays()
    assert {r["start"] for r in rows} == {"14:00"}
    gemeente, ggz = str(world.gemeente.id), str(world.ggz.id)
    deelnemer, extra = str(world.users[Role.DEELNEMER].id), str(world.extra_member.id)
    # Gemeente Noord and GGZ Noord host in turn; the next host's member takes the minutes.
    assert [r["host_organisation_id"] for r in rows[:4]] == [gemeente, ggz, gemeente, ggz]
    assert [r["notulist_id"] for r in rows[:4]] == [deelnemer, extra, deelnemer, extra]
    assert counts() == before


def test_a_number_or_an_end_date_limits_the_preview(client, auth, world):
    auth.login(LEADER)
    assert len(_preview(client, world, count="3")[1]) == 3
    until = (first_from() + timedelta(days=50)).isoformat()
    _url, rows = _preview(client, world, rhythm="elke_n_weken", interval_weeks="2", until=until)
    days = [date.fromisoformat(r["day"]) for r in rows]
    assert all(b - a == timedelta(weeks=2) for a, b in itertools.pairwise(days))
    assert days[-1] <= date.fromisoformat(until) and len(days) >= 3


def test_a_public_holiday_is_flagged_in_the_preview(client, auth, world):
    auth.login(LEADER)
    today = local_today()
    christmas = date(today.year if today < date(today.year, 12, 20) else today.year + 1, 12, 25)
    html = client.get(
        preview_url(
            world.group.id,
            rhythm="elke_n_weken",
            interval_weeks="1",
            weekday=str(christmas.weekday()),
            first_date=(christmas - timedelta(days=3)).isoformat(),
            count="2",
        )
    ).get_data(as_text=True)
    assert "feestdag" in html


def test_one_submit_plans_every_kept_date_dropped_moved_and_changed_as_left(client, auth, world):
    auth.login(LEADER)
    url, rows = _preview(client, world)
    moved_to = date.fromisoformat(rows[2]["day"]) + timedelta(days=1)
    rows[1]["drop"] = True
    rows[2].update(day=moved_to.isoformat(), start="10:30")
    rows[0].update(host_organisation_id=str(world.ggz.id), notulist_id=str(world.extra_member.id))

    response = _submit(client, world, rows, url)
    assert response.status_code == 302
    series = db.session.scalars(select(MeetingSeries)).one()
    assert response.headers["Location"] == f"/reeksen/{series.id}"
    meetings = db.session.scalars(select(Meeting).where(Meeting.series_id == series.id)).all()
    assert len(meetings) == len(rows) - 1
    by_day = {local_date(m.scheduled_at): m for m in meetings}
    assert date.fromisoformat(rows[1]["day"]) not in by_day
    assert to_local(by_day[moved_to].scheduled_at).time() == time(10, 30)
    first = by_day[date.fromisoformat(rows[0]["day"])]
    assert (first.host_organisation_id, first.notulist_id) == (world.ggz.id, world.extra_member.id)
    assert {m.location for m in meetings} == {"Stadskantoor, zaal 3"}
    assert {m.protocol_id for m in meetings} == {"casusgroep-samenwerking"}
    assert series.rhythm == SeriesRhythm.ZESWEKELIJKS and series.weekday == TUESDAY
    audited = db.session.scalars(
        select(AuditEvent.object_id).where(AuditEvent.event_type == "meeting_planned")
    ).all()
    assert {str(m.id) for m in meetings} <= set(audited)
    assert db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.event_type == "series_planned", AuditEvent.object_id == str(series.id)
        )
    ).one()


def test_update_preview_keeps_the_changes_and_plans_nothing(client, auth, world):
    auth.login(LEADER)
    before = counts()
    url, rows = _preview(client, world, count="3")
    moved_to = (date.fromisoformat(rows[1]["day"]) + timedelta(days=2)).isoformat()
    rows[1]["day"] = moved_to
    rows[2]["drop"] = True
    response = _submit(client, world, rows, url, refresh="Voorbeeld bijwerken")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'name="rows-1-day" required type="date" value="{moved_to}"' in html
    assert (
        '<input checked id="rows-2-drop"' in html and '<input checked id="rows-1-drop"' not in html
    )
    assert counts() == before


def _first_day(rows) -> date:
    return date.fromisoformat(rows[0]["day"])


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda rows, w: rows[0].update(day=(local_today() - timedelta(days=1)).isoformat()),
            "Deze datum ligt in het verleden.",
        ),
        (
            lambda rows, w: rows[1].update(day=rows[0]["day"]),
            "Een andere datum van deze reeks valt op dezelfde dag.",
        ),
        (lambda rows, w: rows[0].update(notulist_id=str(w.other_user.id)), "Ongeldige keuze"),
        (
            lambda rows, w: rows[0].update(notulist_id=str(w.users[Role.PROJECTLEIDER].id)),
            "Ongeldige keuze",
        ),
        (
            lambda rows, w: rows[0].update(host_organisation_id=str(w.other_org.id)),
            "Ongeldige keuze",
        ),
        (lambda rows, w: rows[0].update(day="2027-02-30"), "Ongeldige datum."),
    ],
)
def test_a_refused_row_refuses_the_whole_submit_and_plans_nothing(
    client, auth, world, change, message
):
    auth.login(LEADER)
    url, rows = _preview(client, world, count="3")
    change(rows, world)
    before = counts()
    response = _submit(client, world, rows, url)
    assert response.status_code == 422
    assert message.lower() in response.get_data(as_text=True).lower()
    assert counts() == before


def test_a_day_the_group_already_meets_is_refused(client, auth, world):
    leader = world.users[Role.PROCESBEGELEIDER]
    first = first_on_weekday(first_from(), TUESDAY)
    factories.make_meeting(world.group, leader, [], start=False, when=from_local(first, time(9)))
    auth.login(LEADER)
    url, rows = _preview(client, world, count="2")
    before = counts()
    response = _submit(client, world, rows, url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "De groep heeft op deze dag al een bijeenkomst." in html
    assert "Er is niets gepland" in html
    assert counts() == before


def test_dropping_every_date_plans_nothing(client, auth, world):
    auth.login(LEADER)
    url, rows = _preview(client, world, count="2")
    for row in rows:
        row["drop"] = True
    response = _submit(client, world, rows, url)
    assert response.status_code == 422
    assert "Houd ten minste één datum over." in response.get_data(as_text=True)
    assert counts()[0] == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("location", f"Bij de cliënt thuis, BSN {BSN}", "BSN"),
        ("location", "Zaal \u202e3 gnizeeraV", "tekens die niet zijn toegestaan"),
        ("location", "x" * 201, "200"),
        ("online_link", "javascript:alert(1)", "Ongeldige URL"),
    ],
)
def test_hostile_text_in_the_place_is_refused_at_both_steps_and_stores_nothing(
    client, auth, world, field, value, message
):
    auth.login(LEADER)
    before = counts()
    step_one = client.get(preview_url(world.group.id, **{field: value, "count": "2"}))
    if field == "location" and "BSN" in value:
        # The guard screens on saving: step 1 shows the dates, the submit is refused.
        assert step_one.status_code == 200
    else:
        assert step_one.status_code == 422
        assert message.lower() in step_one.get_data(as_text=True).lower()
    url, rows = _preview(client, world, count="2")
    response = _submit(client, world, rows, url, **{field: value})
    assert response.status_code == 422
    assert message.lower() in response.get_data(as_text=True).lower()
    assert counts() == before
    assert not db.session.scalars(select(Meeting).where(Meeting.location.contains(BSN))).all()


def test_another_groups_series_and_group_are_refused_and_logged(client, auth, world):
    from tests.series_helpers import plan_world_series

    series = plan_world_series(world, foreign=True)
    auth.login(LEADER)
    refused = [
        client.get(f"/groepen/{world.other_group.id}/reeksen/nieuw"),
        client.get(f"/reeksen/{series.id}"),
        client.get(f"/reeksen/{series.id}/verlengen"),
        post_form(client, f"/reeksen/{series.id}/beeindigen", token_from="/account/"),
        post_form(client, f"/reeksen/{series.id}/verlengen", token_from="/account/"),
    ]
    assert [r.status_code for r in refused] == [403] * 5
    assert client.get("/reeksen/999999").status_code == 404
    db.session.expire_all()
    assert db.session.get(MeetingSeries, series.id).ended_at is None
    denials = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.DENIED)
    ).all()
    assert sum(d.object_type == "meeting_series" for d in denials) == 4


@pytest.mark.parametrize(
    "email, page, extend",
    [
        (LEADER, 200, 200),
        ("projectleider@noord.example", 200, 403),
        ("deelnemer@noord.example", 403, 403),
        ("beheerder@noord.example", 403, 403),
    ],
)
def test_the_procesbegeleider_plans_and_the_projectleider_reads(
    client, auth, world, email, page, extend
):
    from tests.series_helpers import plan_world_series

    series = plan_world_series(world)
    auth.login(email)
    assert client.get(f"/reeksen/{series.id}").status_code == page
    assert client.get(f"/reeksen/{series.id}/verlengen").status_code == extend
    assert client.get(f"/reeksen/{series.id}/beeindigen").status_code == extend
    assert client.get(_plan_url(world)).status_code == extend
    group_page = client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    assert (f'href="{_plan_url(world)}"' in group_page) == (extend == 200)
    assert (f'href="/reeksen/{series.id}"' in group_page) == (page == 200)
    # Every member sees the series' meetings on the group page.
    assert f'href="/bijeenkomsten/{series.meetings[0].id}"' in group_page


def test_the_series_page_reads_a_fixed_number_of_queries(client, auth, world, count_queries):
    from tests.series_helpers import plan_world_series

    small = plan_world_series(world, count=2)
    auth.login(LEADER)

    def queries(series_id: int) -> int:
        client.get(f"/reeksen/{series_id}")
        with count_queries() as counted:
            assert client.get(f"/reeksen/{series_id}").status_code == 200
        return len(counted)

    few = queries(small.id)
    db.session.query(Meeting).filter(Meeting.series_id == small.id).delete()
    db.session.delete(db.session.get(MeetingSeries, small.id))
    db.session.commit()
    large = plan_world_series(world, count=8)
    assert queries(large.id) == few
