"""Attacks on two-factor login from a hostile review (issue 11): each test once proved a defect,
and now keeps it fixed."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.extensions import db
from tests.helpers import post_form
from tests.test_login_throttle import client_from, failures
from tests.two_factor_steps import password_step


def test_the_address_throttle_cannot_be_evaded_by_moving_within_one_ipv6_prefix(
    app, make_app, world
):
    """Every IPv6 address counts on its own: one home connection (a /64, often a /56) has
    2**64 of them, so an attacker changes address per attempt and is never throttled."""
    instance = make_app(LOGIN_THROTTLE_MAX_FAILURES=3)
    for host in range(1, 11):
        address = {"REMOTE_ADDR": f"2001:db8:1:2::{host:x}"}
        password_step(client_from(instance, address), f"x{host}@noord.example", "geraden 123456")
    refused = password_step(
        client_from(instance, {"REMOTE_ADDR": "2001:db8:1:2::ff"}), "extra@noord.example"
    )
    assert failures("2001:db8:1:2::/64") >= 3
    assert refused.status_code == 200, "ten failures from one /64 and the eleventh still passes"


def test_an_identity_scope_granted_during_a_session_asks_for_two_factor_first(client, auth, world):
    """A5: whoever can see identity data logs in with two factors. enforce_two_factor checks
    only required_without_query (beheerder, audit right, for-all): a user whose organisation
    enters a consent's scope during their session sees the identity on a password alone,
    for up to SESSION_ABSOLUTE_LIFETIME (12 h)."""
    from facilitator.audit.models import AuditEvent, AuditOutcome
    from facilitator.privacy.services import active_consent
    from facilitator.users.models import User

    auth.login("extra@noord.example")  # Gemeente Noord: in no scope yet, no second factor
    user = db.session.scalar(select(User).where(User.email == "extra@noord.example"))
    assert not user.two_factor_enabled
    case = world.consent_case
    active_consent(case).organisations.append(world.gemeente)
    db.session.commit()
    case_id = case.id
    response = post_form(
        client, f"/casussen/{case_id}/identiteit", token_from=f"/casussen/{case_id}"
    )
    assert "Jan Willem Voorbeeldt" not in response.get_data(as_text=True)
    assert response.status_code in (302, 403)
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "identity_viewed")
    ).one()
    assert (denial.outcome, denial.reason) == (AuditOutcome.DENIED, "no two-factor login")


def test_one_code_is_not_accepted_twice_by_two_requests_at_once(app, world):
    """A5 "codes usable once": two workers read the user before either accepts the code; the
    first accepts and commits; the second, holding the row as it read it, must be refused by
    the database, not by its stale copy."""
    from facilitator.auth import totp
    from facilitator.users.models import User
    from tests.factories import TOTP_SECRET, enrol_two_factor
    from tests.two_factor_steps import code_at

    user_id = enrol_two_factor(world.extra_member).id
    db.session.commit()
    code = code_at(TOTP_SECRET)
    db.session.remove()
    with app.app_context():  # worker 2 reads the user first, with no code used yet
        stale = db.session.get(User, user_id)
        assert stale.totp_last_step is None
        first, _ = _accept_in_own_session(app, user_id, code)  # worker 1 accepts, commits
        second, reason = totp.accept_code(stale, code)
        db.session.commit()
    assert (first, second, reason) == (True, False, "code already used")


def _accept_in_own_session(app, user_id: int, code: str) -> tuple[bool, str]:
    from facilitator.auth import totp
    from facilitator.users.models import User

    with app.app_context():
        accepted = totp.accept_code(db.session.get(User, user_id), code)
        db.session.commit()
        db.session.remove()
    return accepted


def test_wrong_current_passwords_on_the_password_page_count_into_the_lockout(client, auth, world):
    """A2: change_own_password checks the current password with no count_failure and no
    audit row (reauthenticate does both). Within the REAUTH window after a login (or with a
    hijacked fresh session) the current password can be guessed without limit or trace."""
    from facilitator.audit.models import AuditEvent, AuditOutcome
    from facilitator.users.models import User

    auth.login("extra@noord.example")
    for attempt in range(5):  # LOGIN_MAX_FAILURES
        answer = post_form(
            client,
            "/account/wachtwoord",
            {
                "current_password": f"geraden wachtwoord {attempt}",
                "password": "een heel nieuw wachtwoord 42",
                "confirm": "een heel nieuw wachtwoord 42",
            },
        )
        if attempt < 4:
            assert "Uw huidige wachtwoord is onjuist." in answer.get_data(as_text=True)
    # The fifth wrong password locks the account and ends the session.
    assert answer.headers["Location"] == "/login"
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "extra@noord.example"))
    failed = db.session.scalars(
        select(AuditEvent.event_type).where(AuditEvent.outcome != AuditOutcome.SUCCESS)
    ).all()
    assert user.locked_until is not None
    assert failed.count("reauth_failed") == 5
    assert client.get("/account/").status_code == 302


def test_taking_over_another_account_asks_the_beheerders_password_again(client, auth, world):
    """The issue: "Ask for the password again before changing the password or two-factor
    settings". Own settings are guarded by recent_password_required; a beheerder's reset of
    someone else's password and second factor is not. A beheerder session left open (up to
    12 h) resets any account's password and 2FA and logs in as that person (enrolling a new
    authenticator) without the beheerder's password ever being asked."""
    from facilitator.users.models import User
    from tests.test_two_factor_account import make_password_old

    target = db.session.scalar(select(User).where(User.email == "deelnemer@noord.example"))
    target_id = target.id
    auth.login("beheerder@noord.example")
    make_password_old(client)
    new = "een tijdelijk wachtwoord van de aanvaller"
    password = post_form(
        client,
        f"/beheer/gebruikers/{target_id}/wachtwoord",
        {"password": new, "confirm": new},
        token_from="/account/",
    )
    second = post_form(
        client, f"/beheer/gebruikers/{target_id}/tweestaps-herstellen", token_from="/account/"
    )
    assert db.session.get(User, target_id).check_password(new) is False
    locations = [r.headers.get("Location", "") for r in (password, second)]
    assert all("wachtwoord-bevestigen" in where for where in locations), locations
