"""The steps of a two-factor login as a user takes them, for the tests of two-factor login.

Unlike tests/helpers.py AuthActions, nothing here touches the database: every step is an HTTP
request, so replay protection and the lockout act exactly as for a user.
"""

from __future__ import annotations

import html
import re
import time

import pyotp

from tests.factories import PASSWORD
from tests.helpers import post_form

_SECRET = re.compile(r'<code class="totp-secret">([A-Z2-7 ]+)</code>')
_RECOVERY = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def password_step(client, email: str, password: str = PASSWORD, next_url: str = ""):
    data = {"email": email, "password": password}
    if next_url:
        data["next"] = next_url
    return post_form(client, "/login", data)


def code_step(client, code: str):
    return post_form(client, "/login/code", {"code": code})


def code_at(secret: str, steps_from_now: int = 0) -> str:
    """The code an app shows now, or that many 30-second steps later (or earlier)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_from_now)


def secret_on(page_html: str) -> str:
    """The key the enrolment page shows for typing by hand, as a user would type it."""
    match = _SECRET.search(page_html)
    assert match, "the enrolment page shows no key"
    return match.group(1).replace(" ", "")


def recovery_codes_on(page_html: str) -> list[str]:
    return _RECOVERY.findall(html.unescape(page_html))


def enrol_on_account_page(client) -> tuple[str, list[str]]:
    """Set up two-factor login from the account pages (logged in, password recent); return
    the secret and the recovery codes the pages showed."""
    post_form(client, "/account/tweestaps/start", token_from="/account/tweestaps/")
    secret = secret_on(client.get("/account/tweestaps/").get_data(as_text=True))
    page = post_form(
        client,
        "/account/tweestaps/bevestigen",
        {"code": code_at(secret)},
        token_from="/account/tweestaps/",
    )
    assert page.status_code == 200
    return secret, recovery_codes_on(page.get_data(as_text=True))
