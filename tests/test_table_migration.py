"""Migration 0019_table moves the feedback on logbook editions from three fixed bodies to the
bodies each region keeps, and back again (issue 13), on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from datetime import date

import flask_migrate
import pytest
from sqlalchemy import inspect, text

from facilitator.exports import editions, feedback
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.meetings import table
from facilitator.users.models import Role
from tests import factories
from tests.conftest import reset_schema

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
DEFAULTS = ["Klankbordgroep", "Beleidsgroep", "Projectgroep", "Focusgroep ervaringsdeskundigen"]


def rows(sql: str, **params) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(sql), params)]


def _edition(region, leader):
    return editions.issue_edition(
        region=region,
        groups=[],
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        content=b"PK",
        actor=leader,
    )


def _say(edition, body, leader) -> int:
    entry = feedback.record_feedback(
        edition,
        body=body,
        given_on=date(2026, 4, 9),
        summary=f"Feedback van de {body}",
        decisions="",
        actor=leader,
    )
    return entry.id


def _round_trip(app) -> None:
    reset_schema(app)
    with app.app_context():
        flask_migrate.upgrade()
        world = factories.make_world()
        leader = world.users[Role.PROJECTLEIDER]
        noord, zuid = _edition(world.region, leader), _edition(world.other_region, None)
        focus = _say(noord, "Focusgroep ervaringsdeskundigen", leader)
        project = _say(noord, "Projectgroep", leader)
        policy = _say(zuid, "Beleidsgroep", leader)
        groups.update_group(world.group, leader_title="gespreksleider", actor=None)
        item = world.meeting.agenda[0]
        table.set_table_presence(world.meeting, item, candidate=True, employer=True, actor=None)
        db.session.commit()
        ids = {"noord": noord.id, "region": world.region.id, "zuid": world.other_region.id}
        user_id = leader.id
        db.session.remove()

        flask_migrate.downgrade(revision="0018_case_calls")
        assert "feedback_bodies" not in inspect(db.engine).get_table_names()
        # The projectgroep was no body of the old shape: it goes back as the klankbordgroep.
        assert rows("SELECT id, body FROM logbook_feedback ORDER BY id") == [
            (focus, "focusgroep"),
            (project, "klankbordgroep"),
            (policy, "beleidsgroep"),
        ]
        # What a database of the old shape holds: feedback of the beleidsgroep in Noord.
        db.session.execute(
            text(
                "INSERT INTO logbook_feedback (edition_id, body, given_on, summary, decisions,"
                " recorded_by_id, recorded_at) VALUES (:edition, 'beleidsgroep', :day,"
                " 'Oud', '', :user, :at)"
            ),
            {
                "edition": ids["noord"],
                "day": date(2026, 4, 20),
                "user": user_id,
                "at": "2026-04-20 10:00:00",
            },
        )
        db.session.commit()
        old = rows("SELECT max(id) FROM logbook_feedback")[0][0]
        db.session.remove()

        flask_migrate.upgrade()
        assert rows(
            "SELECT f.id, b.name, b.region_id FROM logbook_feedback f"
            " JOIN feedback_bodies b ON b.id = f.body_id ORDER BY f.id"
        ) == [
            (focus, "Focusgroep ervaringsdeskundigen", ids["region"]),
            (project, "Klankbordgroep", ids["region"]),
            (policy, "Beleidsgroep", ids["zuid"]),
            (old, "Beleidsgroep", ids["region"]),
        ]
        for region_id in (ids["region"], ids["zuid"]):
            assert [
                name
                for (name,) in rows(
                    "SELECT name FROM feedback_bodies WHERE region_id = :r ORDER BY position",
                    r=region_id,
                )
            ] == DEFAULTS
        # What the old shape could not hold starts at its default again.
        assert set(rows("SELECT leader_title, leader_independent FROM case_groups")) == {
            ("procesbegeleider", False)
        }
        assert set(rows("SELECT candidate_present, employer_present FROM agenda_items")) == {
            (False, False)
        }
        db.session.remove()


def test_the_feedback_bodies_migrate_down_and_up_on_sqlite(tmp_path, make_app):
    _round_trip(make_app(f"sqlite:///{tmp_path / 'table.db'}"))


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set: no PostgreSQL server")
def test_the_feedback_bodies_migrate_down_and_up_on_postgresql(make_app):
    _round_trip(make_app(POSTGRES_URL))
