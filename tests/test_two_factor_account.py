"""Two-factor login on the account pages and the beheerder's reset (SECURITY.md A3, A5, L1):
the password asked again, the secret encrypted at rest, recovery codes, the audit rows."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select, text

from facilitator.audit.models import AuditEvent
from facilitator.auth import totp
from facilitator.auth.models import RecoveryCode
from facilitator.auth.sessions import REAUTH_AT
from facilitator.extensions import db
from facilitator.privacy.crypto import DecryptionError
from tests.factories import PASSWORD
from tests.helpers import AuthActions, audit_events, post_form, user_as_stored
from tests.two_factor_steps import (
    code_at,
    code_step,
    enrol_on_account_page,
    password_step,
    recovery_codes_on,
)

OUT_OF_SCOPE = "extra@noord.example"
IN_SCOPE = "deelnemer@noord.example"
BEHEERDER = "beheerder@noord.example"


def make_password_old(client) -> None:
    with client.session_transaction() as session:
        session[REAUTH_AT] = time.time() - 301


def test_enrolment_shows_a_local_qr_code_and_the_key_and_switches_on_with_a_code(
    client, auth, world
):
    auth.login(OUT_OF_SCOPE)
    intro = client.get("/account/tweestaps/").get_data(as_text=True)
    assert "<svg" not in intro, "no secret before the user asks for one"
    post_form(client, "/account/tweestaps/start", token_from="/account/tweestaps/")
    response = client.get("/account/tweestaps/")
    page = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert '<svg width="' in page and "<title>QR-code voor je app</title>" in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    ), "the QR code is drawn here, not fetched"
    assert "<script" not in page and " style=" not in page
    user = user_as_stored(OUT_OF_SCOPE)
    secret = totp.read_secret(user)
    assert totp.grouped(secret) in page
    assert not user.two_factor_enabled
    done = post_form(
        client, "/account/tweestaps/bevestigen", {"code": code_at(secret)}, token_from="/account/"
    )
    codes = recovery_codes_on(done.get_data(as_text=True))
    assert len(codes) == 10
    assert user_as_stored(OUT_OF_SCOPE).two_factor_enabled
    assert "10 ongebruikte herstelcodes" in client.get("/account/tweestaps/").get_data(True)
    assert not any(code in client.get("/account/").get_data(True) for code in codes), "shown once"


def test_a_wrong_code_does_not_switch_it_on(client, auth, world):
    auth.login(OUT_OF_SCOPE)
    post_form(client, "/account/tweestaps/start", token_from="/account/tweestaps/")
    secret = totp.read_secret(user_as_stored(OUT_OF_SCOPE))
    wrong = "000000" if code_at(secret) != "000000" else "111111"
    page = post_form(
        client, "/account/tweestaps/bevestigen", {"code": wrong}, token_from="/account/"
    )
    assert page.status_code == 200 and "niet goed" in page.get_data(as_text=True)
    assert not user_as_stored(OUT_OF_SCOPE).two_factor_enabled
    assert [e.reason for e in audit_events("two_factor_failed")] == ["wrong code"]


def test_the_secret_is_encrypted_at_rest_and_bound_to_its_row(client, auth, world):
    auth.login(OUT_OF_SCOPE)
    secret, _ = enrol_on_account_page(client)
    stored = db.session.execute(
        text("SELECT totp_secret, totp_key_id FROM users WHERE email = :e"), {"e": OUT_OF_SCOPE}
    ).one()
    assert secret.encode() not in bytes(stored.totp_secret)
    assert len(stored.totp_key_id) == 16
    # Copied into another user's row, the ciphertext does not decrypt (AAD names the row).
    other = user_as_stored("procesbegeleider@noord.example")
    other.totp_secret, other.totp_key_id = bytes(stored.totp_secret), stored.totp_key_id
    with pytest.raises(DecryptionError):
        totp.read_secret(other)
    db.session.rollback()


def test_recovery_codes_are_stored_hashed_and_regenerated_after_the_password(client, auth, world):
    auth.login(OUT_OF_SCOPE)
    _, first = enrol_on_account_page(client)
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(code.replace("-", "") in h for code in first for h in hashes)
    make_password_old(client)
    response = post_form(client, "/account/tweestaps/herstelcodes", token_from="/account/")
    assert response.headers["Location"].startswith("/account/wachtwoord-bevestigen")
    assert audit_events("recovery_codes_regenerated") == []
    post_form(client, "/account/wachtwoord-bevestigen", {"password": PASSWORD})
    page = post_form(client, "/account/tweestaps/herstelcodes", token_from="/account/")
    second = recovery_codes_on(page.get_data(as_text=True))
    assert len(second) == 10 and not set(first) & set(second)
    assert len(audit_events("recovery_codes_regenerated")) == 1
    auth.logout()
    password_step(client, OUT_OF_SCOPE)
    assert code_step(client, first[0]).status_code == 200, "old codes no longer work"
    assert code_step(client, second[0]).headers["Location"] == "/"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/account/tweestaps/"),
        ("POST", "/account/tweestaps/start"),
        ("POST", "/account/tweestaps/uitzetten"),
        ("POST", "/account/tweestaps/herstelcodes"),
        ("GET", "/account/wachtwoord"),
        ("POST", "/account/wachtwoord"),
    ],
)
def test_two_factor_settings_and_the_password_need_the_password_again(
    client, auth, world, method, url
):
    auth.login(IN_SCOPE)
    make_password_old(client)
    if method == "GET":
        response = client.get(url)
    else:
        response = post_form(
            client,
            url,
            {"current_password": PASSWORD, "password": "x" * 20, "confirm": "x" * 20},
            token_from="/account/",
        )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/wachtwoord-bevestigen?next={url}"
    user = user_as_stored(IN_SCOPE)
    assert user.two_factor_enabled and user.session_version == 1, "nothing changed"


def test_the_password_asked_again_opens_the_settings_for_a_few_minutes(client, auth, world):
    auth.login(IN_SCOPE)
    make_password_old(client)
    url = "/account/wachtwoord-bevestigen?next=/account/tweestaps/"
    wrong = post_form(client, url, {"password": "niet het goede wachtwoord"})
    assert wrong.status_code == 200 and "niet goed" in wrong.get_data(as_text=True)
    assert [e.reason for e in audit_events("reauth_failed")] == ["wrong password"]
    assert user_as_stored(IN_SCOPE).failed_logins == 1
    right = post_form(client, url, {"password": PASSWORD, "next": "/account/tweestaps/"})
    assert right.headers["Location"] == "/account/tweestaps/"
    assert client.get("/account/tweestaps/").status_code == 200
    outside = post_form(client, url, {"password": PASSWORD, "next": "https://evil.example/"})
    assert outside.headers["Location"] == "/account/tweestaps/"


def test_wrong_passwords_asked_again_lock_the_account_and_end_the_session(client, auth, world):
    auth.login(OUT_OF_SCOPE)
    make_password_old(client)
    for _ in range(5):
        response = post_form(
            client, "/account/wachtwoord-bevestigen", {"password": "verkeerd wachtwoord 1"}
        )
    assert response.headers["Location"] == "/login"
    assert user_as_stored(OUT_OF_SCOPE).locked_until is not None
    assert client.get("/").headers["Location"].startswith("/login")


def test_a_beheerder_resets_a_lost_phone_and_the_user_enrols_again(app, client, auth, world):
    member = app.test_client()
    AuthActions(member).login(IN_SCOPE)
    assert member.get("/").status_code == 200
    target = user_as_stored(IN_SCOPE)
    auth.login(BEHEERDER)
    edit = client.get(f"/beheer/gebruikers/{target.id}/bewerken").get_data(as_text=True)
    reset_url = f"/beheer/gebruikers/{target.id}/tweestaps-herstellen"
    assert f'href="{reset_url}"' in edit
    confirm = client.get(reset_url)
    assert confirm.status_code == 200 and "opnieuw instellen?" in confirm.get_data(as_text=True)
    assert user_as_stored(IN_SCOPE).two_factor_enabled, "the page alone changes nothing"
    response = post_form(client, reset_url)
    assert response.headers["Location"] == f"/beheer/gebruikers/{target.id}/bewerken"
    user = user_as_stored(IN_SCOPE)
    assert user.totp_secret is None and not user.two_factor_enabled
    assert (
        db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    )
    assert member.get("/").headers["Location"].startswith("/login"), "their sessions ended"
    [row] = audit_events("two_factor_reset")
    assert (row.user_id, row.object_id) == (user_as_stored(BEHEERDER).id, str(user.id))
    again = app.test_client()
    assert password_step(again, IN_SCOPE).headers["Location"] == "/login/tweestaps"


def test_only_a_beheerder_resets_two_factor(client, auth, world):
    auth.login("procesbegeleider@noord.example")
    target = user_as_stored(IN_SCOPE)
    url = f"/beheer/gebruikers/{target.id}/tweestaps-herstellen"
    assert client.get(url).status_code == 403
    assert post_form(client, url, token_from="/account/").status_code == 403


def test_audit_rows_of_two_factor_hold_no_secret_and_no_code(app, client, auth, world, caplog):
    caplog.set_level(logging.DEBUG)
    auth.login(OUT_OF_SCOPE)
    secret, codes = enrol_on_account_page(client)
    page = post_form(client, "/account/tweestaps/herstelcodes", token_from="/account/")
    codes += recovery_codes_on(page.get_data(as_text=True))
    auth.logout()
    password_step(client, OUT_OF_SCOPE)
    wrong = "000000" if code_at(secret) != "000000" else "111111"
    code_step(client, wrong)
    code_step(client, codes[-1])
    post_form(client, "/account/tweestaps/uitzetten", token_from="/account/")
    types = {row.event_type for row in db.session.scalars(select(AuditEvent))}
    assert {
        "two_factor_enabled",
        "recovery_codes_regenerated",
        "two_factor_failed",
        "recovery_code_used",
        "two_factor_disabled",
    } <= types
    secrets_seen = [
        secret,
        totp.grouped(secret),
        wrong,
        *codes,
        *(c.replace("-", "") for c in codes),
    ]
    for row in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        values = " ".join(str(getattr(row, c.key)) for c in AuditEvent.__table__.columns)
        assert not any(value in values for value in secrets_seen), row.event_type
    assert not any(value in caplog.text for value in secrets_seen)


def test_in_production_the_session_cookie_is_host_prefixed_and_secure(make_app, world):
    production = make_app(ENV="production")
    assert production.config["SESSION_COOKIE_NAME"] == "__Host-casustafel_session"
    response = production.test_client().get("/login", base_url="https://casustafel.example")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if "casustafel_session" in c]
    assert cookie.startswith("__Host-casustafel_session=")
    attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
    assert "secure" in attributes and "httponly" in attributes and "path=/" in attributes
    assert not any(part.startswith("domain") for part in attributes)


def test_outside_production_the_cookie_keeps_its_plain_name(client):
    response = client.get("/login")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if "casustafel_session" in c]
    assert cookie.startswith("casustafel_session=")


def test_the_command_line_resets_two_factor_and_prints_demo_codes_outside_production(
    runner, make_app, world
):
    from tests.factories import TOTP_SECRET, enrol_two_factor

    enrol_two_factor(user_as_stored(IN_SCOPE))
    printed = runner.invoke(args=["users", "totp-code", IN_SCOPE])
    assert printed.exit_code == 0 and printed.output.strip() in {
        code_at(TOTP_SECRET, step) for step in (0, 1)
    }
    reset = runner.invoke(args=["users", "reset-two-factor", IN_SCOPE])
    assert reset.exit_code == 0, reset.output
    assert not user_as_stored(IN_SCOPE).two_factor_enabled
    [row] = audit_events("two_factor_reset")
    assert row.user_id is None and row.source_address == "cli"
    assert runner.invoke(args=["users", "totp-code", IN_SCOPE]).exit_code == 1
    production = make_app(ENV="production").test_cli_runner()
    refused = production.invoke(args=["users", "totp-code", IN_SCOPE])
    assert refused.exit_code == 1 and "production" in refused.output


def test_every_two_factor_page_is_valid_html_with_unique_ids(app, client, auth, world):
    from tests.html_checker import check_pages, duplicate_ids, vnu_command

    checker = vnu_command()
    if checker is None:
        pytest.skip("the Nu HTML Checker needs java and .cache/vnu/vnu.jar: run `make vnu`")
    pages = {}
    enrolling = app.test_client()
    password_step(enrolling, BEHEERDER)
    pages["login enrolment, start"] = enrolling.get("/login/tweestaps").get_data(True)
    post_form(enrolling, "/login/tweestaps/start", token_from="/login/tweestaps")
    pages["login enrolment, QR"] = enrolling.get("/login/tweestaps").get_data(True)
    auth.login(OUT_OF_SCOPE)
    pages["account enrolment, start"] = client.get("/account/tweestaps/").get_data(True)
    post_form(client, "/account/tweestaps/start", token_from="/account/tweestaps/")
    pages["account enrolment, QR"] = client.get("/account/tweestaps/").get_data(True)
    secret = totp.read_secret(user_as_stored(OUT_OF_SCOPE))
    pages["recovery codes"] = post_form(
        client, "/account/tweestaps/bevestigen", {"code": code_at(secret)}, token_from="/account/"
    ).get_data(True)
    pages["account, two-factor on"] = client.get("/account/tweestaps/").get_data(True)
    pages["account"] = client.get("/account/").get_data(True)
    pages["password again"] = client.get("/account/wachtwoord-bevestigen").get_data(True)
    coding = app.test_client()
    password_step(coding, OUT_OF_SCOPE)
    pages["code step"] = coding.get("/login/code").get_data(True)
    admin = app.test_client()
    AuthActions(admin).login(BEHEERDER)
    reset = f"/beheer/gebruikers/{user_as_stored(OUT_OF_SCOPE).id}/tweestaps-herstellen"
    pages["beheerder reset"] = admin.get(reset).get_data(True)
    assert all("<main" in html for html in pages.values())
    assert {name: duplicate_ids(html) for name, html in pages.items() if duplicate_ids(html)} == {}
    assert check_pages(pages, checker) == {}
