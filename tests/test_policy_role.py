"""The beleidsgroeplid role is stored like every other role, and the database refuses a role that
does not exist (migration 0021_policy_role replaced the CHECK constraint, issue 14)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from facilitator.extensions import db
from facilitator.users.models import Role
from tests import factories


def _set_role(user_id: int, role: str) -> None:
    db.session.execute(
        text("UPDATE users SET role = :role WHERE id = :id"), {"role": role, "id": user_id}
    )
    db.session.flush()


def test_the_database_stores_a_beleidsgroeplid(app):
    with app.app_context():
        world = factories.make_world()
        user = world.users[Role.BELEIDSGROEPLID]
        db.session.expire_all()
        assert db.session.get(type(user), user.id).role is Role.BELEIDSGROEPLID


def test_the_database_refuses_a_role_that_does_not_exist(app):
    with app.app_context():
        world = factories.make_world()
        user = world.users[Role.DEELNEMER]
        with pytest.raises(IntegrityError):
            _set_role(user.id, "bestuurder")
        db.session.rollback()
