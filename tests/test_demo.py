"""The demo region (issue: demo and production)."""

from __future__ import annotations

from sqlalchemy import func, select

from facilitator.demo.seed import DEFAULT_PASSWORD, DEMO_REGION, DEMO_USERS
from facilitator.extensions import db
from facilitator.regions.models import Domain, Organisation, Region
from facilitator.users.models import Role, User
from tests.helpers import AuthActions


def test_seed_demo_creates_a_region_with_both_domains_and_every_role(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    region = db.session.scalar(select(Region).where(Region.name == DEMO_REGION))
    orgs = db.session.scalars(select(Organisation).where(Organisation.region_id == region.id)).all()
    assert len(orgs) >= 8
    assert {Domain.ZORG, Domain.WERK_INKOMEN} <= {org.domain for org in orgs}
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    for login in DEMO_USERS:
        assert login.email in result.output


def test_demo_logins_work_with_the_default_password(runner, app):
    runner.invoke(args=["seed-demo"])
    client = app.test_client()
    response = AuthActions(client).login(DEMO_USERS[0].email, DEFAULT_PASSWORD)
    assert response.headers["Location"] == "/"


def test_seed_demo_is_idempotent_and_password_resets_the_demo_accounts(runner, app):
    runner.invoke(args=["seed-demo"])
    users_before = db.session.scalar(select(func.count(User.id)))
    training = "training van vandaag"
    result = runner.invoke(args=["seed-demo", "--password", training])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(User.id))) == users_before
    client = app.test_client()
    assert AuthActions(client).login(DEMO_USERS[2].email, training).headers["Location"] == "/"


def test_if_empty_leaves_a_database_with_accounts_alone(runner, world):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(Region).where(Region.name == DEMO_REGION)) is None


def test_seed_demo_is_refused_in_production(make_app):
    app = make_app(ENV="production")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "production" in result.output
