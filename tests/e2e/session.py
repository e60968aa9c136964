"""What every browser test shares: the demo's accounts and a logged-in page."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyotp

from facilitator.demo.seed import DEMO_TOTP_SECRET

#: The demo's procesbegeleider of Casusgroep Lindewaard; every demo account has this password.
LEADER = "procesbegeleider@lindewaard.example"
PASSWORD = "lindewaard-oefenen"
#: Long enough for a slow CI machine, short enough that a broken page fails soon.
TIMEOUT_MS = 10_000
#: The database of each live server (by base URL), filled in by the live_server fixture.
SERVER_DATABASES: dict[str, Path] = {}


def forget_last_code(base_url: str, email: str) -> None:
    """Test shortcut: forget the last accepted two-factor time step of an account.

    Replay protection refuses a second login within one 30-second step, and the browser tests
    log the same demo account in many times. tests/test_two_factor_login.py proves the refusal
    through HTTP; tests/e2e/test_two_factor_in_browser.py logs in without this shortcut.
    """
    with sqlite3.connect(SERVER_DATABASES[base_url]) as connection:
        connection.execute("UPDATE users SET totp_last_step = NULL WHERE email = ?", (email,))
    connection.close()


def demo_code() -> str:
    """The code an authenticator app with the demo secret shows now."""
    return pyotp.TOTP(DEMO_TOTP_SECRET).now()


def log_in(context, base_url: str, email: str = LEADER):
    """A new page of ``context``, logged in as ``email`` (the procesbegeleider by default):
    the password, then the code from the app."""
    forget_last_code(base_url, email)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url or "/login/code" in url)
    if "/login/code" in page.url:
        page.fill("#code", demo_code())
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
    return page
