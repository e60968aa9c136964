"""The dashboard of a region at national scale: its read and its page, median and p95.

Usage: ``make bench`` (or ``.venv/bin/python benchmarks/dashboard.py [--repeat N]``). Builds a
fresh SQLite database in a temporary instance folder (or uses ``DATABASE_URL``, which must be an
empty database) with the region-year of ``large_region.py`` and 35 regions (the Dutch
arbeidsmarktregio's), each with three years of monthly logbook editions and two feedback
entries on each, written straight through the models. Then times, N times (default 50), the
read ``dashboard_data`` and the whole page (the request of a beleidsgroeplid through the app,
access rule and policy included) of the large region, counting the queries. Ends with one JSON
line: ``dashboard_page_median``, ``dashboard_page_p95`` (seconds) and ``dashboard_queries``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

REGIONS = 35
EDITIONS_PER_REGION = 36
#: The page of a region should answer well within a second, whatever the country holds.
AIM_P95_SECONDS = 0.25


def _nation(large) -> object:
    """34 more regions beside the large one, each region with its editions and feedback, and
    a beleidsgroeplid of the large region."""
    from facilitator.exports.models import FeedbackBody, LogbookEdition, LogbookFeedback
    from facilitator.extensions import db
    from facilitator.regions.models import Organisation, OrganisationKind, Region
    from facilitator.users.models import Role, User

    regions = [large] + [Region(name=f"Regio {n:02d}") for n in range(1, REGIONS)]
    db.session.add_all(regions)
    db.session.flush()
    member = None
    for region in regions:
        organisation = Organisation(
            region=region,
            name=f"Gemeente van {region.name}",
            kind=OrganisationKind.GEMEENTE,
            domain=OrganisationKind.GEMEENTE.usual_domain,
        )
        user = User(
            name=f"Beleid {region.name}",
            email=f"beleid.{region.id}@bench.example",
            organisation=organisation,
            role=Role.BELEIDSGROEPLID,
            password_hash="!",  # noqa: S106  (no password: the session is made by hand)
        )
        db.session.add_all([organisation, user])
        member = member or user
        body = FeedbackBody(region=region, name=f"Beleidsgroep {region.id}")
        db.session.add(body)
        db.session.flush()
        for number in range(EDITIONS_PER_REGION):
            year, month = 2023 + number // 12, number % 12 + 1
            edition = LogbookEdition(
                region_id=region.id,
                period_from=date(year, month, 1),
                period_to=date(year, month, 28),
                content=b"PK",
                sha256="0" * 64,
            )
            db.session.add(edition)
            db.session.flush()
            db.session.add_all(
                LogbookFeedback(
                    edition_id=edition.id,
                    body_id=body.id,
                    given_on=date(year, month, 28),
                    summary=f"Wat de beleidsgroep zei over {month}-{year}, deel {part}.",
                    decisions="Wat werd besloten." if part else "",
                    recorded_by_id=user.id,
                )
                for part in range(2)
            )
    db.session.commit()
    return member


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def run(repeat: int) -> dict:
    from flask_migrate import upgrade
    from large_region import populate

    from facilitator import create_app
    from facilitator.auth.sessions import LAST_SEEN, LOGIN_AT, REAUTH_AT
    from facilitator.dashboard.queries import dashboard_data
    from facilitator.extensions import db
    from facilitator.localtime import local_today
    from facilitator.users.models import User

    app = create_app()
    with app.app_context():
        upgrade()
        member_id = _nation(populate()).id
        engine_url = db.engine.url.render_as_string(hide_password=True)
    queries: list[int] = []
    reads, pages, counts = [], [], []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        region_id = db.session.get(User, member_id).organisation.region_id
        url = f"/regios/{region_id}/dashboard"
        client = app.test_client()
        for _ in range(repeat):
            db.session.expire_all()
            region = db.session.get(User, member_id).organisation.region
            data, read = timed(dashboard_data, region, local_today())
            reads.append(read)
            with client.session_transaction() as session:  # logged in, as after the login
                now = time.time()
                session["_user_id"] = db.session.get(User, member_id).get_id()
                session["_fresh"] = True
                session.update({LOGIN_AT: now, LAST_SEEN: now, REAUTH_AT: now})
            queries.clear()
            response, page = timed(client.get, url)
            assert response.status_code == 200, response.status_code
            pages.append(page)
            counts.append(len(queries))
        editions = len(data.editions)
    print(
        f"dashboard of a region on {engine_url.split(':')[0]} ({REGIONS} regions, "
        f"{editions} editions in the region), {repeat} runs:"
    )
    print(f"  read   median {statistics.median(reads):.4f} s, p95 {p95(reads):.4f} s")
    print(
        f"  page   median {statistics.median(pages):.4f} s, p95 {p95(pages):.4f} s "
        f"(aim p95 < {AIM_P95_SECONDS} s), {max(counts)} queries"
    )
    return {
        "dashboard_page_median": round(statistics.median(pages), 4),
        "dashboard_page_p95": round(p95(pages), 4),
        "dashboard_queries": max(counts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        os.environ["FACILITATOR_INSTANCE_PATH"] = instance
        summary = run(arguments.repeat)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
