"""Bad input gets a message and changes nothing; never a server error (SECURITY.md R5)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitator.extensions import db
from facilitator.forms import has_forbidden_characters
from facilitator.regions.models import Region
from tests.helpers import post_form

NASTY = [
    "\x00",
    "naam\x00met nul",
    "\x1b[31mrood\x1b[0m",
    "ｆｕｌｌ ｗｉｄｔｈ",
    "👩🏽‍⚕️ zorg",
    "'; DROP TABLE users; --",
    "<script>alert(1)</script>",
    "x" * 5000,
    "\u202eomgekeerd",
    "  ",
]


@pytest.mark.parametrize("value", NASTY)
def test_region_form_survives_nasty_input(client, auth, world, value):
    auth.login("beheerder@noord.example")
    before = db.session.scalar(select(func.count(Region.id)))
    response = post_form(client, "/beheer/regios/nieuw", {"name": value, "description": value})
    # Acceptable: something left after trimming, no control characters, within the lengths.
    acceptable = bool(value.strip()) and not has_forbidden_characters(value) and len(value) <= 120
    assert response.status_code == (302 if acceptable else 200)
    db.session.expire_all()
    after = db.session.scalar(select(func.count(Region.id)))
    assert after == before + (1 if acceptable else 0), "a refused form must change nothing"


@pytest.mark.parametrize("value", NASTY)
def test_login_form_survives_nasty_input(client, world, value):
    response = post_form(client, "/login", {"email": value, "password": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", NASTY)
def test_user_list_filters_survive_nasty_query_strings(client, auth, world, value):
    auth.login("beheerder@noord.example")
    response = client.get(
        "/beheer/gebruikers/",
        query_string={"zoek": value, "regio": value, "rol": value, "pagina": value},
    )
    assert response.status_code == 200


def test_script_in_a_name_is_escaped(client, auth, world):
    auth.login("beheerder@noord.example")
    post_form(client, "/beheer/regios/nieuw", {"name": "<script>alert(1)</script>"})
    page = client.get("/beheer/regios").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_invalid_utf8_in_a_form_is_answered_without_a_server_error(client, auth, world):
    from tests.helpers import csrf_token

    auth.login("beheerder@noord.example")
    token = csrf_token(client, "/beheer/regios/nieuw")
    body = f"csrf_token={token}&name=%FF%FE%80&description=%C0%AF".encode()
    response = client.post(
        "/beheer/regios/nieuw", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302)
    assert response.status_code < 500
