"""Headers, CSRF and error pages (SECURITY.md A4, A6, A8, A9)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("url", ["/login", "/healthz", "/static/css/app.css", "/bestaat-niet"])
def test_security_headers_on_every_response(client, url):
    with client.get(url) as response:
        headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # only in production, over HTTPS


def test_authenticated_pages_are_not_cached(client, auth, world):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    auth.login("deelnemer@noord.example")
    assert client.get("/account/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, auth, world):
    response = auth.login("deelnemer@noord.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development serves plain HTTP


def test_production_adds_hsts_and_secure_cookies(make_app):
    app = make_app(ENV="production", TESTING=False)
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.debug is False


def test_post_without_csrf_token_is_refused_with_a_dutch_page(client, world):
    response = client.post(
        "/login",
        data={"email": "deelnemer@noord.example", "password": "een lange zin als wachtwoord"},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "<h1>Ongeldig verzoek</h1>" in body
    assert "CSRF" not in body
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_csrf_token_has_no_time_limit(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None


def test_404_page_is_generic_and_dutch(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_oversized_request_gets_413(client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Te groot" in response.get_data(as_text=True)


def test_unexpected_error_shows_a_generic_page_without_details(make_app):
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    from facilitator.auth.access import public

    @public
    def explode():
        raise RuntimeError("geheime details uit de database")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "geheime details" not in body
    assert "Traceback" not in body
    assert "Er is iets misgegaan" in body


def test_403_page_is_generic_and_dutch(client, auth, world):
    auth.login("deelnemer@noord.example")
    response = client.get("/beheer/regios")
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)


def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_does_not(make_app, tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-folder' / 'casustafel.db'}"
    response = make_app(unreachable).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
