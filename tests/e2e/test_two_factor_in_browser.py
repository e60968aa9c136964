"""Two-factor login in a real browser: a beheerder resets a lost phone, the user must enrol
right after the password (QR code and key on the page), keeps the recovery codes, logs out,
and logs in again with the code from the app.

The behandelaar works for Stichting Kompas GGZ, which an active consent of the demo names: the
account must have two-factor login. The app is played by pyotp with the key the page shows.
No shortcut here: the user's codes are accepted or refused as in production.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp

from tests.e2e.session import PASSWORD, TIMEOUT_MS, log_in

USER = "behandelaar@lindewaard.example"
USER_NAME = "Sven Peters"
BEHEERDER = "beheer@lindewaard.example"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def _password(page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#email", USER)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")


def test_enrol_after_a_reset_then_log_out_and_in_with_a_code(browser, live_server):
    expect = _expect()
    admin_context = browser.new_context(locale="nl-NL")
    user_context = browser.new_context(locale="nl-NL")
    try:
        admin = log_in(admin_context, live_server, BEHEERDER)
        admin.goto(f"{live_server}/beheer/gebruikers/?zoek=behandelaar")
        admin.locator("main a", has_text=USER_NAME).click()
        admin.locator("main a[href$='/tweestaps-herstellen']").click()
        admin.locator("main button.button-danger").click()
        expect(admin.locator("main")).to_contain_text("opnieuw")

        page = user_context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        _password(page, live_server)
        page.wait_for_url(re.compile(r"/login/tweestaps$"))
        page.goto(f"{live_server}/groepen/")  # nothing else opens before enrolment
        page.wait_for_url(re.compile(r"/login\?next="))
        page.goto(f"{live_server}/login/tweestaps")
        page.get_by_role("button", name="Begin met instellen").click()
        expect(page.locator(".qr-code svg")).to_be_visible()
        page.screenshot(path=SCREENSHOTS / "two-factor-enrol.png", full_page=True)
        app = pyotp.TOTP(page.locator(".totp-secret").inner_text().replace(" ", ""))
        page.get_by_label("Code uit de app").fill(app.now())
        page.get_by_role("button", name="Aanzetten").click()
        expect(page.locator("ol.recovery-codes li")).to_have_count(10)
        page.screenshot(path=SCREENSHOTS / "two-factor-recovery-codes.png", full_page=True)
        page.get_by_role("link", name="Ik heb de codes bewaard; doorgaan").click()
        expect(page.locator("header")).to_contain_text(USER_NAME)

        page.locator("header form[action='/logout'] button").click()
        page.wait_for_url(re.compile(r"/login$"))
        _password(page, live_server)
        page.wait_for_url(re.compile(r"/login/code$"))
        page.screenshot(path=SCREENSHOTS / "two-factor-code-step.png", full_page=True)
        # The code used to enrol is spent: the app's next code (30 s on) is within the window.
        page.get_by_label("Code").fill(app.at(time.time() + 30))
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
        expect(page.locator("header")).to_contain_text(USER_NAME)
    finally:
        admin_context.close()
        user_context.close()
