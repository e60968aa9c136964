"""Migration 0006_actions moves the data of existing rows (issue 9): actions get their group and
an owner, regie assignments their start date and one in force per case; and back again."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import flask_migrate
import pytest
from sqlalchemy import text

from facilitator.actions import services as actions
from facilitator.cases import regie
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.regions import contacts
from facilitator.users.models import Role
from tests import factories
from tests.conftest import reset_schema

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")


def rows(sql: str, **params) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(sql), params)]


def _new_world_on_head():
    """The factories' world, and what only the new tables can hold."""
    world = factories.make_world()
    leader = world.users[Role.PROCESBEGELEIDER]
    adviser = contacts.create_contact(
        world.gemeente, name="Werkgeversadviseur", email="wsp@noord.example", actor=None
    )
    board = actions.create_action(
        world.group,
        description="Op het bord",
        owner=adviser,
        due_on=local_today() + timedelta(days=3),
        actor=leader,
    )
    actions.change_status(world.action, "in_uitvoering", note="Loopt", actor=leader)
    regie.assign_regievoerder(world.consent_case, adviser, actor=leader)
    regie.assign_regievoerder(world.fictional_case, world.extra_member, actor=leader)
    db.session.commit()
    return world, board.id


def _round_trip(app) -> None:
    reset_schema(app)
    with app.app_context():
        flask_migrate.upgrade()
        world, board_id = _new_world_on_head()
        ids = {
            "group": world.group.id,
            "meeting": world.meeting.id,
            "action": world.action.id,
            "leader": world.users[Role.PROCESBEGELEIDER].id,
            "fictional": world.fictional_case.id,
            "consent": world.consent_case.id,
            "member": world.extra_member.id,
            "gemeente": world.gemeente.id,
            "owner": world.users[Role.DEELNEMER].id,
        }
        db.session.remove()

        flask_migrate.downgrade(revision="0005_one_door")
        assert rows("SELECT id FROM action_items WHERE id = :id", id=board_id) == []
        assert rows("SELECT status FROM action_items WHERE id = :id", id=ids["action"]) == [
            ("open",)
        ]
        # The contact's regie cannot be held by the old table; the user's stays.
        assert rows("SELECT case_id FROM regievoerder_assignments") == [(ids["fictional"],)]
        # What a database of the old shape may hold: an action without an owner, and two
        # assignments in force for one case (recorded late in the evening, Amsterdam time).
        late = datetime(2026, 3, 1, 23, 30)  # UTC: 2 March in Amsterdam
        db.session.execute(
            text(
                "INSERT INTO action_items (meeting_id, case_id, step_ref, description, owner_id,"
                " organisation_id, due_on, status, created_by_id, created_at) VALUES (:meeting,"
                " NULL, 'm:opening', 'Zonder eigenaar', NULL, :gemeente, :due, 'open', :leader,"
                " :late)"
            ),
            {**ids, "due": date(2026, 3, 20), "late": late},
        )
        for started in (late, late + timedelta(days=2)):
            db.session.execute(
                text(
                    "INSERT INTO regievoerder_assignments (case_id, user_id, organisation_id,"
                    " meeting_id, started_at, ended_at) VALUES (:consent, :member, :gemeente,"
                    " NULL, :started, NULL)"
                ),
                {**ids, "started": started},
            )
        db.session.commit()
        db.session.remove()

        flask_migrate.upgrade()
        actions_now = rows(
            "SELECT description, group_id, owner_user_id, owner_contact_id, meeting_id"
            " FROM action_items ORDER BY id"
        )
        assert actions_now == [
            ("Driegesprek plannen", ids["group"], ids["owner"], None, ids["meeting"]),
            ("Driegesprek plannen", *actions_now[1][1:]),  # the other group's
            ("Zonder eigenaar", ids["group"], ids["leader"], None, ids["meeting"]),
        ]
        regie_now = rows(
            "SELECT case_id, since, ended_at IS NULL FROM regievoerder_assignments"
            " WHERE case_id = :consent ORDER BY created_at",
            **ids,
        )
        assert [(case_id, _day(since), in_force) for case_id, since, in_force in regie_now] == [
            (ids["consent"], date(2026, 3, 2), False),
            (ids["consent"], date(2026, 3, 4), True),
        ]
        db.session.remove()


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def test_the_actions_migration_moves_the_data_both_ways_on_sqlite(tmp_path, make_app):
    _round_trip(make_app(f"sqlite:///{tmp_path / 'actions.db'}"))


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_POSTGRES_URL is not set: no PostgreSQL server")
def test_the_actions_migration_moves_the_data_both_ways_on_postgresql(make_app):
    _round_trip(make_app(POSTGRES_URL))


def test_a_timestamp_late_in_the_evening_is_the_next_day_in_amsterdam():
    """The premise of the 'since' dates above."""
    from facilitator.localtime import local_date

    assert local_date(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == date(2026, 3, 2)
