"""A series after it was planned: extended in the same rhythm, ended, and each of its meetings
moved or cancelled on its own without touching the others."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.localtime import local_date
from facilitator.meetings import planning, run
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.series.models import MeetingSeries
from facilitator.users.models import Role
from tests.helpers import post_form
from tests.series_helpers import TUESDAY, counts, plan_world_series, preview_rows, rows_form

LEADER = "procesbegeleider@noord.example"


def _meetings(series_id: int) -> list[Meeting]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.series_id == series_id).order_by(Meeting.scheduled_at)
        )
    )


def _snapshot(meetings: list[Meeting]) -> dict[int, tuple]:
    return {m.id: (m.scheduled_at, m.status, m.location) for m in meetings}


def test_extending_shows_the_next_dates_in_the_same_rhythm_and_continues_the_rotation(
    client, auth, world
):
    series = plan_world_series(world, count=3)
    before = _meetings(series.id)
    last = local_date(before[-1].scheduled_at)
    auth.login(LEADER)
    url = f"/reeksen/{series.id}/verlengen?count=2"
    html = client.get(url).get_data(as_text=True)
    rows = preview_rows(html)
    assert [date.fromisoformat(r["day"]) for r in rows] == [
        last + timedelta(weeks=6),
        last + timedelta(weeks=12),
    ]
    # Three meetings hosted Gemeente, GGZ, Gemeente: GGZ hosts next.
    assert [r["host_organisation_id"] for r in rows] == [str(world.ggz.id), str(world.gemeente.id)]
    assert counts()[1] == 2 + 3  # the preview planned nothing

    rows[1]["drop"] = True
    response = post_form(client, f"/reeksen/{series.id}/verlengen", rows_form(rows), token_from=url)
    assert response.status_code == 302
    after = _meetings(series.id)
    assert len(after) == 4
    assert local_date(after[-1].scheduled_at) == last + timedelta(weeks=6)
    assert local_date(after[-1].scheduled_at).weekday() == TUESDAY
    assert _snapshot(after[:3]) == _snapshot(before)


def test_an_extension_with_a_refused_row_plans_nothing(client, auth, world):
    series = plan_world_series(world, count=2)
    auth.login(LEADER)
    url = f"/reeksen/{series.id}/verlengen?count=2"
    rows = preview_rows(client.get(url).get_data(as_text=True))
    rows[1]["day"] = local_date(_meetings(series.id)[0].scheduled_at).isoformat()
    before = counts()
    response = post_form(client, f"/reeksen/{series.id}/verlengen", rows_form(rows), token_from=url)
    assert response.status_code == 422
    assert "De groep heeft op deze dag al een bijeenkomst." in response.get_data(as_text=True)
    assert counts() == before


def test_ending_cancels_only_the_planned_meetings_ahead_without_an_agenda(client, auth, world):
    series = plan_world_series(world, count=4)
    leader = world.users[Role.PROCESBEGELEIDER]
    meetings = _meetings(series.id)
    running, with_agenda = meetings[0], meetings[1]
    run.start_meeting(running, actor=leader)
    planning.add_to_agenda(with_agenda, world.fictional_case, actor=leader)
    db.session.commit()
    auth.login(LEADER)

    page = client.get(f"/reeksen/{series.id}/beeindigen").get_data(as_text=True)
    assert "Dit annuleert 2 geplande bijeenkomsten" in page
    response = post_form(client, f"/reeksen/{series.id}/beeindigen")
    assert response.status_code == 302
    after = {m.id: m.status for m in _meetings(series.id)}
    assert after == {
        running.id: MeetingStatus.LOPEND,
        with_agenda.id: MeetingStatus.GEPLAND,
        meetings[2].id: MeetingStatus.GEANNULEERD,
        meetings[3].id: MeetingStatus.GEANNULEERD,
    }
    assert db.session.get(MeetingSeries, series.id).ended_at is not None
    # An ended series is not extended, nor ended twice.
    assert "Deze reeks is beëindigd" in client.get(f"/reeksen/{series.id}/verlengen").get_data(
        as_text=True
    )
    before = counts()
    post_form(client, f"/reeksen/{series.id}/verlengen", {}, token_from=f"/reeksen/{series.id}")
    assert counts() == before


def test_moving_one_meeting_of_a_series_leaves_the_others_alone(client, auth, world):
    series = plan_world_series(world, count=3)
    meetings = _meetings(series.id)
    moved = meetings[1]
    others = _snapshot([meetings[0], meetings[2]])
    new_day = local_date(moved.scheduled_at) + timedelta(days=2)
    auth.login(LEADER)
    response = post_form(
        client,
        f"/bijeenkomsten/{moved.id}/bewerken",
        {
            "date": new_day.isoformat(),
            "time": "09:15",
            "duration_minutes": "90",
            "location": "Werkbedrijf, zaal 1",
            "online_link": "",
            "host_organisation_id": str(world.ggz.id),
            "notulist_id": str(world.extra_member.id),
        },
    )
    assert response.status_code == 302
    after = _meetings(series.id)
    assert local_date(after[1].scheduled_at) == new_day and after[1].series_id == series.id
    assert _snapshot([after[0], after[2]]) == others


def test_cancelling_one_meeting_of_a_series_leaves_the_others_and_the_series(client, auth, world):
    series = plan_world_series(world, count=3)
    meetings = _meetings(series.id)
    auth.login(LEADER)
    url = f"/bijeenkomsten/{meetings[0].id}/annuleren"
    assert post_form(client, url, token_from=f"/bijeenkomsten/{meetings[0].id}").status_code == 302
    statuses = [m.status for m in _meetings(series.id)]
    assert statuses == [MeetingStatus.GEANNULEERD, MeetingStatus.GEPLAND, MeetingStatus.GEPLAND]
    assert db.session.get(MeetingSeries, series.id).ended_at is None
    page = client.get(f"/reeksen/{series.id}").get_data(as_text=True)
    assert "Geannuleerd" in page and "Reeks verlengen" in page
