"""Registering a case in a real browser: the identity and consent part follows the kind of case.

Without JavaScript the part is always there (tests/test_registration_and_import.py checks the
HTML); here the script hides it for a fictitious or anonymous case, keeps what was typed in it
for when "Met toestemming" is chosen again, and sends none of it with another kind. Screenshots
go to tests/e2e/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.session import log_in

MEMBER = "ipscoach@lindewaard.example"  # GGZ Rivierduin, a member of Casusgroep Lindewaard
GROUP = "Casusgroep Lindewaard"
OWN_ORGANISATION = "GGZ Rivierduin"
TIMEOUT_MS = 10_000
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def open_registration(browser, base_url: str):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1100, "height": 900})
    page = log_in(context, base_url, MEMBER)
    page.goto(f"{base_url}/groepen/")
    page.locator("main a", has_text=GROUP).first.click()
    page.wait_for_url(re.compile(r"/groepen/\d+$"))
    page.locator("main a", has_text="Casus aanmelden").first.click()
    page.wait_for_url(re.compile(r"/casussen/nieuw$"))
    return context, page


def test_the_consent_part_shows_only_for_a_case_with_consent_and_keeps_what_was_typed(
    live_server, browser
):
    expect = _expect()
    SCREENSHOTS.mkdir(exist_ok=True)
    context, page = open_registration(browser, live_server)
    try:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        part = page.locator("#identity-and-consent")
        name = page.locator("#full_name")

        # The form opens on "Fictief": the part is hidden and switched off.
        expect(page.locator("input[name=mode][value=fictief]")).to_be_checked()
        expect(part).to_be_hidden()
        expect(name).to_be_disabled()
        page.screenshot(path=str(SCREENSHOTS / "registration-fictitious.png"), full_page=True)

        # "Met toestemming": the part appears, with the own organisation ticked in the consent.
        page.check("input[name=mode][value=toestemming]")
        expect(part).to_be_visible()
        expect(name).to_be_enabled()
        own = page.locator("#identity-and-consent label", has_text=OWN_ORGANISATION)
        expect(page.locator(f"#{own.get_attribute('for')}")).to_be_checked()
        name.fill("Noor Toggelaar")
        page.fill("#birth_date", "1992-04-18")
        page.screenshot(path=str(SCREENSHOTS / "registration-with-consent.png"), full_page=True)

        # "Anoniem" hides it again; back to "Met toestemming", what was typed is still there.
        page.check("input[name=mode][value=anoniem]")
        expect(part).to_be_hidden()
        page.check("input[name=mode][value=toestemming]")
        expect(part).to_be_visible()
        expect(name).to_have_value("Noor Toggelaar")
        expect(page.locator("#birth_date")).to_have_value("1992-04-18")

        # Registered as anonymous, the hidden identity is not sent: no "leave this empty".
        page.check("input[name=mode][value=anoniem]")
        page.fill("#description", "Cliënt zoekt werk in de techniek; de reistijd is lastig.")
        # Required selects start at "Kies …": nothing is chosen for the member.
        expect(page.locator("#benefit")).to_have_value("")
        page.select_option("#benefit", "participatiewet")
        page.select_option("#ggz_treatment", "ja")
        for criterion in page.locator("input[name=criteria]").all():
            criterion.check()
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/casussen/\d+$"))
        expect(page.locator(".flash-success")).to_contain_text("Casus aangemeld")
        expect(page.locator("main dl.facts")).to_contain_text("Anoniem")
        assert "Noor Toggelaar" not in page.content()
        assert errors == []
    finally:
        context.close()
