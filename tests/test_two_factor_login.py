"""Two-factor login through HTTP (SECURITY.md A3, A5): the code step, replay, recovery codes,
the lockout, who must have it, and enrolment forced before anything else."""

from __future__ import annotations

import time

import pytest

from facilitator.auth.login_steps import PENDING
from facilitator.auth.two_factor import two_factor_required
from facilitator.extensions import db
from facilitator.privacy import services as privacy
from facilitator.users.models import User
from tests import factories
from tests.factories import TOTP_SECRET
from tests.helpers import AuthActions, audit_events, post_form, user_as_stored
from tests.two_factor_steps import (
    code_at,
    code_step,
    enrol_on_account_page,
    password_step,
    recovery_codes_on,
    secret_on,
)

#: The GGZ deelnemer of the world: GGZ Noord is in the scope of an active consent.
IN_SCOPE = "deelnemer@noord.example"
#: A gemeente member: no consent names Gemeente Noord.
OUT_OF_SCOPE = "extra@noord.example"
BEHEERDER = "beheerder@noord.example"
GENERIC_ERROR = "onjuist"


def enrolled(email: str) -> User:
    return factories.enrol_two_factor(user_as_stored(email))


def test_after_the_password_an_enrolled_user_gives_a_code_and_then_is_in(client, world):
    enrolled(OUT_OF_SCOPE)
    response = password_step(client, OUT_OF_SCOPE, next_url="/groepen/")
    assert response.headers["Location"] == "/login/code"
    assert audit_events("login") == [], "the password alone is no login"
    page = client.get("/login/code")
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.get_data(True)
    assert page.headers["Cache-Control"] == "no-store"
    response = code_step(client, code_at(TOTP_SECRET))
    assert response.headers["Location"] == "/groepen/"
    assert client.get("/groepen/").status_code == 200
    assert [e.user_id for e in audit_events("login")] == [world.extra_member.id]


def test_between_password_and_code_nothing_else_opens(client, world):
    enrolled(OUT_OF_SCOPE)
    password_step(client, OUT_OF_SCOPE)
    for url in ("/", "/account/", "/groepen/", "/account/tweestaps/", "/login/tweestaps"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url
    assert post_form(client, "/logout", token_from="/login/code").status_code == 302
    assert client.get("/").headers["Location"].startswith("/login")


def test_the_code_step_expires(client, world):
    enrolled(OUT_OF_SCOPE)
    password_step(client, OUT_OF_SCOPE)
    with client.session_transaction() as session:
        session[PENDING] = {**session[PENDING], "at": time.time() - 301}
    response = client.get("/login/code")
    assert response.headers["Location"] == "/login"
    with client.session_transaction() as session:
        assert PENDING not in session


def test_a_wrong_code_is_refused_audited_and_counts_into_the_lockout(client, world):
    enrolled(OUT_OF_SCOPE)
    password_step(client, OUT_OF_SCOPE)
    wrong = "000000" if code_at(TOTP_SECRET) != "000000" else "111111"
    page = code_step(client, wrong)
    assert page.status_code == 200
    assert "niet goed" in page.get_data(as_text=True)
    assert user_as_stored(OUT_OF_SCOPE).failed_logins == 1
    assert [e.reason for e in audit_events("two_factor_failed")] == ["wrong code"]
    for _ in range(4):
        response = code_step(client, wrong)
    assert response.headers["Location"] == "/login", "locked: back to the start"
    assert user_as_stored(OUT_OF_SCOPE).locked_until is not None
    assert len(audit_events("lockout")) == 1
    # Locked: the right password and code open nothing.
    response = password_step(client, OUT_OF_SCOPE)
    assert response.status_code == 200 and GENERIC_ERROR in response.get_data(as_text=True)


def test_a_right_password_does_not_reset_the_failures_of_the_code_step(client, world):
    enrolled(OUT_OF_SCOPE)
    wrong = "000000" if code_at(TOTP_SECRET) != "000000" else "111111"
    for _ in range(2):
        password_step(client, OUT_OF_SCOPE)
        code_step(client, wrong)
        code_step(client, wrong)
    assert user_as_stored(OUT_OF_SCOPE).locked_until is None
    password_step(client, OUT_OF_SCOPE)
    code_step(client, wrong)
    assert user_as_stored(OUT_OF_SCOPE).locked_until is not None, (
        "five wrong codes over three logins"
    )


def test_a_code_is_accepted_once_replay_refused(app, world):
    enrolled(OUT_OF_SCOPE)
    first, second = app.test_client(), app.test_client()
    code = code_at(TOTP_SECRET)
    password_step(first, OUT_OF_SCOPE)
    assert code_step(first, code).headers["Location"] == "/"
    # The same code, seen over a shoulder or caught on the wire, opens no second session.
    password_step(second, OUT_OF_SCOPE)
    refused = code_step(second, code)
    assert refused.status_code == 200
    assert second.get("/").headers["Location"].startswith("/login")
    assert [e.reason for e in audit_events("two_factor_failed")] == ["code already used"]
    # Nor does the code of the step before; the next step's code does.
    assert code_step(second, code_at(TOTP_SECRET, -1)).status_code == 200
    assert code_step(second, code_at(TOTP_SECRET, +1)).headers["Location"] == "/"


def test_codes_outside_the_window_of_one_step_are_refused(client, world):
    enrolled(OUT_OF_SCOPE)
    password_step(client, OUT_OF_SCOPE)
    assert code_step(client, code_at(TOTP_SECRET, -3)).status_code == 200
    assert code_step(client, code_at(TOTP_SECRET, +3)).status_code == 200
    assert code_step(client, code_at(TOTP_SECRET)).headers["Location"] == "/"


def test_a_recovery_code_logs_in_once_and_the_count_goes_down(app, client, auth, world):
    auth.login(OUT_OF_SCOPE)
    _, codes = enrol_on_account_page(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    account = client.get("/account/").get_data(as_text=True)
    assert "10 ongebruikte herstelcodes" in account
    auth.logout()
    password_step(client, OUT_OF_SCOPE)
    # Typed the way people copy it: capitals, a space instead of the hyphen.
    assert code_step(client, codes[3].upper().replace("-", " ")).headers["Location"] == "/"
    assert [e.reason for e in audit_events("recovery_code_used")] == ["9 recovery codes left"]
    assert "9 ongebruikte herstelcodes" in client.get("/account/").get_data(as_text=True)
    again = app.test_client()
    password_step(again, OUT_OF_SCOPE)
    assert code_step(again, codes[3]).status_code == 200, "a recovery code works once"
    assert again.get("/").headers["Location"].startswith("/login")


def test_few_recovery_codes_left_brings_a_warning(app, client, auth, world):
    auth.login(OUT_OF_SCOPE)
    _, codes = enrol_on_account_page(client)
    for code in codes[:7]:
        device = app.test_client()
        password_step(device, OUT_OF_SCOPE)
        assert code_step(device, code).headers["Location"] == "/"
    page = device.get("/account/").get_data(as_text=True)
    assert "3 ongebruikte herstelcodes" in page
    assert "maak nieuwe herstelcodes" in page.lower()


# --- who must have it ------------------------------------------------------------------------


def test_who_must_have_two_factor_login(app, world, monkeypatch):
    assert two_factor_required(user_as_stored(BEHEERDER))
    assert two_factor_required(user_as_stored(IN_SCOPE)), (
        "GGZ Noord is in an active consent's scope"
    )
    assert not two_factor_required(user_as_stored(OUT_OF_SCOPE))
    assert not two_factor_required(user_as_stored("procesbegeleider@noord.example"))
    auditor = user_as_stored(OUT_OF_SCOPE)
    auditor.can_read_audit = True
    db.session.commit()
    assert two_factor_required(user_as_stored(OUT_OF_SCOPE))
    privacy.withdraw_consent(world.consent_case, actor=None)
    db.session.commit()
    assert not two_factor_required(user_as_stored(IN_SCOPE)), (
        "no active consent names GGZ Noord now"
    )
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_FOR_ALL", True)
    assert two_factor_required(user_as_stored("pb@zuid.example"))


@pytest.mark.parametrize("email", [BEHEERDER, IN_SCOPE])
def test_who_must_have_it_enrols_right_after_the_password_and_reaches_nothing_else(
    client, world, email
):
    response = password_step(client, email, next_url="/groepen/")
    assert response.headers["Location"] == "/login/tweestaps"
    intro = client.get("/login/tweestaps")
    assert intro.status_code == 200 and intro.headers["Cache-Control"] == "no-store"
    for url in ("/", "/account/", "/groepen/", "/beheer/gebruikers/", "/login/code"):
        assert client.get(url).headers["Location"].startswith("/login"), url
    post_form(client, "/login/tweestaps/start", token_from="/login/tweestaps")
    page = client.get("/login/tweestaps").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page and "style=" not in page
    secret = secret_on(page)
    assert user_as_stored(email).totp_enabled_at is None, "not on before a code confirms it"
    assert client.get("/").headers["Location"].startswith("/login")
    wrong = post_form(
        client, "/login/tweestaps/bevestigen", {"code": "123 456"}, token_from="/login/tweestaps"
    )
    assert wrong.status_code == 200 and user_as_stored(email).totp_enabled_at is None
    done = post_form(
        client,
        "/login/tweestaps/bevestigen",
        {"code": code_at(secret)},
        token_from="/login/tweestaps",
    )
    assert done.status_code == 200
    assert len(recovery_codes_on(done.get_data(as_text=True))) == 10
    assert 'href="/groepen/"' in done.get_data(as_text=True)
    assert user_as_stored(email).totp_enabled_at is not None
    assert client.get("/groepen/").status_code == 200
    assert len(audit_events("two_factor_enabled")) == 1 and len(audit_events("login")) == 1


def test_required_for_all_sends_everyone_to_enrolment(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_FOR_ALL", True)
    assert password_step(client, OUT_OF_SCOPE).headers["Location"] == "/login/tweestaps"


def test_a_user_not_required_and_not_enrolled_logs_in_with_the_password(client, world):
    assert password_step(client, OUT_OF_SCOPE).headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_right_granted_during_a_session_shuts_everything_but_enrolment(client, auth, world):
    auth.login(OUT_OF_SCOPE)
    assert client.get("/groepen/").status_code == 200
    user = user_as_stored(OUT_OF_SCOPE)
    user.can_read_audit = True
    db.session.commit()
    for url in ("/", "/groepen/", "/account/", f"/groepen/{world.group.id}"):
        response = client.get(url)
        assert response.headers["Location"] == "/account/tweestaps/", url
    assert client.get("/account/tweestaps/").status_code == 200
    language = post_form(
        client, "/taal", {"language": "en", "next": "/"}, token_from="/account/tweestaps/"
    )
    assert language.status_code == 302
    enrol_on_account_page(client)
    assert client.get("/groepen/").status_code == 200


def test_a_required_user_cannot_switch_it_off(client, auth, world):
    auth.login(IN_SCOPE)
    response = post_form(client, "/account/tweestaps/uitzetten", token_from="/account/tweestaps/")
    assert response.headers["Location"] == "/account/tweestaps/"
    assert user_as_stored(IN_SCOPE).two_factor_enabled
    assert audit_events("two_factor_disabled") == []


def test_a_user_not_required_can_switch_it_off(client, auth, world):
    auth.login(OUT_OF_SCOPE)
    enrol_on_account_page(client)
    response = post_form(client, "/account/tweestaps/uitzetten", token_from="/account/tweestaps/")
    assert response.headers["Location"] == "/account/"
    user = user_as_stored(OUT_OF_SCOPE)
    assert not user.two_factor_enabled and user.totp_secret is None
    assert len(audit_events("two_factor_disabled")) == 1
    auth.logout()
    assert password_step(client, OUT_OF_SCOPE).headers["Location"] == "/"


def test_the_helper_logs_in_the_way_a_user_does(app, auth, world):
    """tests/helpers.py enrols who must have it and posts a real code; nothing is skipped."""
    response = auth.login(BEHEERDER)
    assert response.headers["Location"] == "/"
    assert user_as_stored(BEHEERDER).totp_last_step is not None
    again = AuthActions(app.test_client()).login(BEHEERDER)
    assert again.headers["Location"] == "/", "a second login within the same step"
