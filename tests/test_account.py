"""One's own account: password change and language (SECURITY.md A1, A3)."""

from __future__ import annotations

from facilitator.extensions import db
from facilitator.users.models import Role, User
from tests.factories import PASSWORD
from tests.helpers import AuthActions, post_form

NEW = "een heel andere lange wachtzin"


def test_password_change_keeps_this_session_and_ends_the_others(app, client, auth, world):
    other = app.test_client()
    AuthActions(other).login("deelnemer@noord.example")
    auth.login("deelnemer@noord.example")
    response = post_form(
        client,
        "/account/wachtwoord",
        {"current_password": PASSWORD, "password": NEW, "confirm": NEW},
    )
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    auth.logout()
    assert auth.login("deelnemer@noord.example", NEW).headers["Location"] == "/"


def test_wrong_current_password_changes_nothing(client, auth, world):
    auth.login("deelnemer@noord.example")
    response = post_form(
        client,
        "/account/wachtwoord",
        {"current_password": "fout fout fout fout", "password": NEW, "confirm": NEW},
    )
    assert response.status_code == 200
    assert "huidige wachtwoord" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, world.users[Role.DEELNEMER].id).check_password(PASSWORD)


def test_same_or_weak_new_password_is_refused(client, auth, world):
    auth.login("deelnemer@noord.example")
    for new in (PASSWORD, "wachtwoord123"):
        response = post_form(
            client,
            "/account/wachtwoord",
            {"current_password": PASSWORD, "password": new, "confirm": new},
        )
        assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, world.users[Role.DEELNEMER].id).check_password(PASSWORD)


def test_account_page_shows_role_and_organisation(client, auth, world):
    auth.login("deelnemer@noord.example")
    page = client.get("/account/").get_data(as_text=True)
    assert "Deelnemer" in page
    assert "GGZ Noord" in page
