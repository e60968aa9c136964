"""Login attempts throttled per source address (SECURITY.md A2), across processes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from facilitator.audit.models import AuditEvent
from facilitator.auth.models import LoginFailure
from facilitator.database import utcnow
from facilitator.extensions import db
from tests.factories import TOTP_SECRET, enrol_two_factor
from tests.two_factor_steps import code_at, code_step, password_step

GENERIC_ERROR = "onjuist"
MEMBER = "extra@noord.example"
ATTACKER = {"REMOTE_ADDR": "203.0.113.7"}
NEIGHBOUR = {"REMOTE_ADDR": "198.51.100.4"}


def client_from(app, environ: dict):
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def failures(address: str) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count(LoginFailure.id)).where(LoginFailure.address == address)
    )


def throttled_rows() -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.event_type == "login_throttled")
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def test_failures_from_one_address_in_two_processes_shut_that_address_out(app, make_app, world):
    first = make_app(LOGIN_THROTTLE_MAX_FAILURES=3)
    second = make_app(LOGIN_THROTTLE_MAX_FAILURES=3)
    # One wrong password at each of three accounts: no account reaches its own lockout.
    password_step(client_from(first, ATTACKER), "deelnemer@noord.example", "geraden wachtwoord 1")
    password_step(client_from(second, ATTACKER), "niemand@noord.example", "geraden wachtwoord 1")
    password_step(client_from(first, ATTACKER), "pb@zuid.example", "geraden wachtwoord 1")
    assert failures(ATTACKER["REMOTE_ADDR"]) == 3
    # Now even the right password of a fourth account is refused, in either process, with
    # the message every failed login gets.
    for instance in (first, second):
        refused = password_step(client_from(instance, ATTACKER), MEMBER)
        assert refused.status_code == 200
        assert GENERIC_ERROR in refused.get_data(as_text=True)
    assert len(throttled_rows()) == 2
    assert {row.source_address for row in throttled_rows()} == {ATTACKER["REMOTE_ADDR"]}
    assert "geraden" not in " ".join(row.reason for row in throttled_rows())
    # Another address is not affected.
    assert password_step(client_from(second, NEIGHBOUR), MEMBER).headers["Location"] == "/"


def test_a_throttled_address_is_refused_at_the_code_step_too(app, make_app, world):
    enrol_two_factor(world.extra_member)
    instance = make_app(LOGIN_THROTTLE_MAX_FAILURES=2)
    client = client_from(instance, ATTACKER)
    assert password_step(client, MEMBER).headers["Location"] == "/login/code"
    wrong = "000000" if code_at(TOTP_SECRET) != "000000" else "111111"
    code_step(client, wrong)
    code_step(client, wrong)
    assert failures(ATTACKER["REMOTE_ADDR"]) == 2
    assert code_step(client, code_at(TOTP_SECRET)).status_code == 200, "throttled"
    assert len(throttled_rows()) == 1


def test_the_address_opens_again_once_its_failures_leave_the_window(app, make_app, world):
    instance = make_app(LOGIN_THROTTLE_MAX_FAILURES=2)
    for _ in range(2):
        password_step(client_from(instance, ATTACKER), MEMBER, "verkeerd wachtwoord 1")
    assert password_step(client_from(instance, ATTACKER), MEMBER).status_code == 200
    for row in db.session.scalars(select(LoginFailure)):
        row.occurred_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert password_step(client_from(instance, ATTACKER), MEMBER).headers["Location"] == "/"


def test_old_failures_are_removed_as_new_ones_arrive(app, client, world):
    db.session.add(LoginFailure(address="192.0.2.1", occurred_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    password_step(client, MEMBER, "verkeerd wachtwoord 1")
    db.session.expire_all()
    assert [row.address for row in db.session.scalars(select(LoginFailure))] == ["127.0.0.1"]
