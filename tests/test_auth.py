"""Login, lockout, sessions and redirects (SECURITY.md A2, A3; issue: accounts and access)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.auth.sessions import LAST_SEEN, LOGIN_AT
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.users.models import Role, User
from tests.factories import PASSWORD
from tests.helpers import AuthActions, post_form

GENERIC_ERROR = "onjuist"


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def events(event_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.event_type == event_type)
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def test_login_page_is_dutch_and_anonymous_pages_redirect_to_it(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert 'lang="nl"' in page.get_data(as_text=True)
    assert "Inloggen" in page.get_data(as_text=True)
    response = client.get("/beheer/gebruikers/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_with_right_password_opens_home(client, auth, world):
    response = auth.login("deelnemer@noord.example")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert world.users[Role.DEELNEMER].name in home.get_data(as_text=True)
    assert len(events("login")) == 1


def test_email_is_case_insensitive_at_login(client, auth, world):
    assert auth.login("  DeelNemer@NOORD.example ").headers["Location"] == "/"


def test_wrong_password_and_unknown_account_get_the_same_message(client, auth, world):
    wrong = auth.login("deelnemer@noord.example", "niet het goede wachtwoord").get_data(True)
    unknown = auth.login("niemand@noord.example", "niet het goede wachtwoord").get_data(True)
    assert GENERIC_ERROR in wrong
    strip = lambda html: html.replace('value="deelnemer@noord.example"', "").replace(  # noqa: E731
        'value="niemand@noord.example"', ""
    )
    assert _without_token(strip(wrong)) == _without_token(strip(unknown))
    assert {e.reason for e in events("login_failed")} == {"wrong password", "unknown account"}


def _without_token(html: str) -> str:
    import re

    return re.sub(r'value="[^"]*\.[^"]*"', "", html)


def test_five_failures_lock_the_account_even_with_the_right_password(client, auth, world):
    user = world.users[Role.DEELNEMER]
    for _ in range(5):
        auth.login(user.email, "verkeerd wachtwoord 123")
    assert fresh(user).locked_until is not None
    response = auth.login(user.email)
    assert response.status_code == 200
    assert GENERIC_ERROR in response.get_data(as_text=True)
    assert len(events("lockout")) == 1


def test_lockout_is_kept_in_the_database_and_holds_for_another_process(app, world, make_app):
    user = world.users[Role.DEELNEMER]
    first = AuthActions(app.test_client())
    for _ in range(5):
        first.login(user.email, "verkeerd wachtwoord 123")
    other_process = make_app()
    second = AuthActions(other_process.test_client())
    response = second.login(user.email)
    assert response.status_code == 200, "a second app instance must see the lockout"


def test_lockout_ends_after_fifteen_minutes(client, auth, world):
    user = world.users[Role.DEELNEMER]
    for _ in range(5):
        auth.login(user.email, "verkeerd wachtwoord 123")
    locked = fresh(user)
    assert locked.locked_until - utcnow() <= timedelta(minutes=15)
    assert locked.locked_until - utcnow() > timedelta(minutes=14)
    locked.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert auth.login(user.email).headers["Location"] == "/"


def test_inactive_account_cannot_log_in(client, auth, world):
    user = fresh(world.users[Role.DEELNEMER])
    user.active = False
    db.session.commit()
    response = auth.login(user.email)
    assert response.status_code == 200
    assert GENERIC_ERROR in response.get_data(as_text=True)


def test_login_starts_a_new_session(client, auth, world):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("deelnemer@noord.example")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].endswith(":1")


def test_logout_ends_every_session_of_the_user(app, auth, client, world):
    other_device = app.test_client()
    AuthActions(other_device).login("deelnemer@noord.example")
    auth.login("deelnemer@noord.example")
    assert other_device.get("/").status_code == 200
    response = auth.logout()
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    assert other_device.get("/").status_code == 302, "the other device's session must end too"


def test_logout_is_not_possible_with_get(client, auth, world):
    auth.login("deelnemer@noord.example")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_deactivation_ends_the_users_sessions(app, client, auth, world):
    target = app.test_client()
    AuthActions(target).login("deelnemer@noord.example")
    auth.login("beheerder@noord.example")
    user_id = world.users[Role.DEELNEMER].id
    url = f"/beheer/gebruikers/{user_id}/deactiveren"
    assert post_form(client, url).status_code == 302
    assert target.get("/").status_code == 302


@pytest.mark.parametrize("key, age", [(LAST_SEEN, 31 * 60), (LOGIN_AT, 12 * 3600 + 1)])
def test_idle_and_absolute_timeouts_end_the_session(client, auth, world, key, age):
    auth.login("deelnemer@noord.example")
    with client.session_transaction() as session:
        session[key] = time.time() - age
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/account/").status_code == 302


def test_activity_keeps_the_session_alive(client, auth, world):
    auth.login("deelnemer@noord.example")
    with client.session_transaction() as session:
        session[LAST_SEEN] = time.time() - 29 * 60
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session[LAST_SEEN] < 5


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/account/", "/account/"),
        ("/beheer/gebruikers/?rol=deelnemer", "/beheer/gebruikers/?rol=deelnemer"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
    ],
)
def test_login_redirects_only_to_local_paths(client, auth, world, next_url, expected):
    response = auth.login("beheerder@noord.example", next_url=next_url)
    assert response.headers["Location"] == expected


def test_admin_set_password_must_be_replaced_at_first_login(client, auth, world):
    user = fresh(world.users[Role.DEELNEMER])
    user.must_change_password = True
    db.session.commit()
    auth.login(user.email)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/wachtwoord"
    new = "mijn eigen nieuwe wachtzin"
    done = post_form(
        client,
        "/account/wachtwoord",
        {"current_password": PASSWORD, "password": new, "confirm": new},
    )
    assert done.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert fresh(user).must_change_password is False


def test_tampered_login_id_is_not_accepted(client, auth, world):
    auth.login("deelnemer@noord.example")
    admin_id = world.users[Role.BEHEERDER].id
    with client.session_transaction() as session:
        session["_user_id"] = f"{admin_id}:999"
    assert client.get("/").status_code == 302


def test_logout_clears_what_the_browser_kept_for_this_site(client, auth, world):
    """Unsaved meeting text kept in the tab's storage goes with the session."""
    auth.login("procesbegeleider@noord.example")
    response = auth.logout()
    assert response.headers["Clear-Site-Data"] == '"storage"'


def test_the_facilitation_screen_keeps_unsaved_text_per_user(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    html = client.get(f"/bijeenkomsten/{world.meeting.id}/leiden").get_data(as_text=True)
    leader = world.users[Role.PROCESBEGELEIDER]
    assert f'data-user="{leader.id}"' in html
