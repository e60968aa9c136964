"""The figures page at national scale: 35 regions with three years of meetings.

Usage: ``make bench`` (or ``.venv/bin/python benchmarks/monitoring.py [--repeat N]
[--database-url URL]``). Builds a fresh SQLite database in a temporary instance folder, or uses
``--database-url`` / ``DATABASE_URL`` (an empty database: PostgreSQL for the real thing), and
writes 35 regions of 4 groups and 300 cases each, with a meeting a month per group over three
years (about 10,000 cases, 5,000 meetings, 25,000 agenda items) straight through the tables.
Then times, N times (default 20), ``monitoring_figures`` alone for one region over the three
years by quarter, and the figures page for it through the Flask test client, logged in as the
region's projectleider (and one of its charts). Prints the median and p95 of each and ends with
one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REGIONS, GROUPS, ORGANISATIONS, CASES, YEARS = 35, 4, 8, 300, 3
PASSWORD = "benchmark-wachtwoord"  # noqa: S105  (a throwaway account in a throwaway database)
EMAIL = "projectleider@benchmark.example"
#: Rows get ids from here on: below it, the sequences hand out ids to what the services add.
FIRST_ID = 1000


def _at(day: date, hour: int = 14) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def populate(start: date) -> int:
    """Every region's rows, inserted in bulk; returns the first region's id."""
    from sqlalchemy import insert

    from facilitator.actions.models import ActionItem, ActionStatus
    from facilitator.cases.models import (
        BenefitType,
        Case,
        CaseStatus,
        ClosureReason,
        PrivacyMode,
        RegievoerderAssignment,
        YesNoUnknown,
    )
    from facilitator.extensions import db
    from facilitator.groups.models import CaseGroup, Rhythm
    from facilitator.meetings.models import (
        AgendaItem,
        Attendance,
        AttendanceStatus,
        BuildingBlockScore,
        Meeting,
        MeetingStatus,
    )
    from facilitator.regions.models import Domain, Organisation, OrganisationKind, Region
    from facilitator.users.models import Role, User

    rng = random.Random(35)  # noqa: S311  (repeatable data, no secret)
    rows: dict[type, list[dict]] = {model: [] for model in (
        Region, Organisation, User, CaseGroup, Case, Meeting, AgendaItem, Attendance,
        RegievoerderAssignment, ActionItem, BuildingBlockScore,
    )}  # fmt: skip
    ids = iter(range(FIRST_ID, 10**9))
    months = 12 * YEARS
    for r in range(REGIONS):
        region = next(ids)
        rows[Region].append({"id": region, "name": f"Regio {r + 1:02d}"})
        organisations = [next(ids) for _ in range(ORGANISATIONS)]
        kinds = list(OrganisationKind)
        for n, org in enumerate(organisations):
            rows[Organisation].append({
                "id": org, "region_id": region, "name": f"Organisatie {r + 1}-{n + 1}",
                "kind": kinds[n % len(kinds)], "domain": Domain.OVERIG,
            })  # fmt: skip
        users = [next(ids) for _ in organisations]
        for n, (user, org) in enumerate(zip(users, organisations, strict=True)):
            rows[User].append({
                "id": user, "name": f"Professional {r + 1}-{n + 1}",
                "email": f"p{r + 1}-{n + 1}@benchmark.example", "organisation_id": org,
                "role": Role.DEELNEMER, "password_hash": "!",
            })  # fmt: skip
        groups = [next(ids) for _ in range(GROUPS)]
        for n, group in enumerate(groups):
            rows[CaseGroup].append({
                "id": group, "region_id": region, "name": f"Casusgroep {r + 1}-{n + 1}",
                "rhythm": Rhythm.MAANDELIJKS,
            })  # fmt: skip
        cases = []
        for n in range(CASES):
            case, g, who = next(ids), n % GROUPS, n % ORGANISATIONS
            registered = start + timedelta(days=rng.randrange(YEARS * 365 - 30))
            closed = registered + timedelta(days=rng.randrange(40, 400)) if n % 3 else None
            closed = closed if closed and closed < start + timedelta(days=YEARS * 365) else None
            cases.append((case, groups[g], registered, closed))
            rows[Case].append({
                "id": case, "pseudonym": f"B{r:02d}-{n:04d}", "group_id": groups[g],
                "organisation_id": organisations[who], "brought_by_id": users[who],
                "privacy_mode": PrivacyMode.FICTIEF,
                "benefit": list(BenefitType)[n % len(BenefitType)],
                "ggz_treatment": YesNoUnknown.ONBEKEND,
                "status": CaseStatus.AFGESLOTEN if closed else CaseStatus.BESPROKEN,
                "closure_kind": list(ClosureReason)[n % len(ClosureReason)] if closed else None,
                "closed_at": _at(closed) if closed else None, "created_at": _at(registered),
            })  # fmt: skip
            if n % 10 < 7:
                rows[RegievoerderAssignment].append({
                    "id": next(ids), "case_id": case, "user_id": users[who],
                    "organisation_id": organisations[who],
                    "since": registered + timedelta(days=30),
                    "ended_at": _at(closed) if closed else None,
                })  # fmt: skip
        for g, group in enumerate(groups):
            own = [c for c in cases if c[1] == group]
            for month in range(months):
                day = start + timedelta(days=30 * month + 7 * g + 10)
                meeting = next(ids)
                rows[Meeting].append({
                    "id": meeting, "group_id": group, "scheduled_at": _at(day),
                    "duration_minutes": 120, "protocol_id": "casusgroep-samenwerking",
                    "protocol_version": "1", "protocol_hash": "-", "protocol_source": "-",
                    "status": MeetingStatus.AFGEROND if month % 11 else MeetingStatus.GEANNULEERD,
                })  # fmt: skip
                open_cases = [c for c in own if c[2] < day and (c[3] is None or c[3] > day)]
                for position, case in enumerate(rng.sample(open_cases, min(5, len(open_cases)))):
                    rows[AgendaItem].append({
                        "id": next(ids), "meeting_id": meeting, "case_id": case[0],
                        "position": position,
                    })  # fmt: skip
                    if position < 2:
                        rows[ActionItem].append({
                            "id": next(ids), "group_id": group, "meeting_id": meeting,
                            "case_id": case[0], "description": "Werkgever benaderen",
                            "owner_user_id": users[position],
                            "organisation_id": organisations[position],
                            "due_on": day + timedelta(days=21),
                            "status": list(ActionStatus)[(month + position) % len(ActionStatus)],
                            "created_by_id": users[0], "created_at": _at(day),
                        })  # fmt: skip
                for who in range(6):
                    rows[Attendance].append({
                        "id": next(ids), "meeting_id": meeting, "user_id": users[who],
                        "organisation_id": organisations[who],
                        "status": AttendanceStatus.AANWEZIG,
                    })  # fmt: skip
                rows[BuildingBlockScore].append({
                    "meeting_id": meeting, "recorded_by_id": users[0],
                    **{key: rng.randint(2, 5) for key in (
                        "kennen", "begrijpen", "waarderen", "vertrouwen", "samenwerken",
                        "doelen_realiseren",
                    )},
                })  # fmt: skip
    for model, found in rows.items():
        for chunk in range(0, len(found), 5000):
            db.session.execute(insert(model), found[chunk : chunk + 5000])
    db.session.commit()
    print("  " + ", ".join(f"{len(found):,} {m.__tablename__}" for m, found in rows.items()))
    return FIRST_ID


def _projectleider(region_id: int) -> None:
    from facilitator.extensions import db
    from facilitator.regions.models import Organisation
    from facilitator.users import services as users
    from facilitator.users.models import Role

    organisation = db.session.query(Organisation).filter_by(region_id=region_id).first()
    users.create_user(
        name="Projectleider Benchmark", email=EMAIL, organisation=organisation,
        role=Role.PROJECTLEIDER, password=PASSWORD, must_change_password=False, actor=None,
    )  # fmt: skip
    db.session.commit()


def _log_in(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code


def _timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def _summary(label: str, times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    print(f"  {label:<28} median {1000 * median:7.1f} ms   p95 {1000 * p95:7.1f} ms")
    return {f"{label}_median_ms": round(1000 * median, 1), f"{label}_p95_ms": round(1000 * p95, 1)}


def run(repeat: int) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import event

    from facilitator import create_app
    from facilitator.extensions import db
    from facilitator.localtime import local_today
    from facilitator.monitoring.figures import MonitoringScope, monitoring_figures
    from facilitator.regions.models import Region

    end = local_today()
    start = end - timedelta(days=YEARS * 365 - 1)
    app = create_app()
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        region_id = populate(start)
        _projectleider(region_id)
        print(f"  built in {time.perf_counter() - started:.1f} s")
        engine = db.engine.url.get_backend_name()
    query = {"van": start.isoformat(), "tot": end.isoformat(), "interval": "quarter"}
    url = f"/regios/{region_id}/cijfers"
    client = app.test_client()
    _log_in(client)
    queries: list[int] = []

    def page() -> None:
        assert client.get(url, query_string=query).status_code == 200

    def chart() -> None:
        assert client.get(f"{url}/stroom.png", query_string=query).status_code == 200

    with app.test_request_context():
        region = db.session.get(Region, region_id)
        scope = MonitoringScope(region, (), start, end, "quarter")
        figures = monitoring_figures(scope)
        print(
            f"  region {region.name}: {len(figures.buckets)} quarters, {figures.total.registered}"
            f" cases registered, {figures.meetings_total} meetings held"
        )
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        monitoring_figures(scope)
        figure_queries = len(queries)

        def read() -> None:
            db.session.expire_all()
            monitoring_figures(scope)

        alone = _timed(read, repeat)
    page()  # warm: templates compiled, fonts loaded
    pages = _timed(page, repeat)
    charts = _timed(chart, max(3, repeat // 4))
    print(f"figures page at national scale on {engine} ({REGIONS} regions, {YEARS} years), "
          f"{repeat} runs; monitoring_figures reads {figure_queries} queries:")  # fmt: skip
    summary = {"engine": engine}
    summary |= _summary("monitoring_figures", alone)
    summary |= _summary("figures_page", pages)
    summary |= _summary("figures_chart", charts)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        os.environ["FACILITATOR_INSTANCE_PATH"] = instance
        if arguments.database_url:
            os.environ["DATABASE_URL"] = arguments.database_url
        summary = run(arguments.repeat)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
