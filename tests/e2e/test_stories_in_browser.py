"""Stories in a real browser (issue 14): a member of Casusgroep Lindewaard writes a klantverhaal
from the group page, submits it, and the procesbegeleider approves it on the story's page; the
group's list then shows it approved.

Runs against a live gunicorn with the demo data (see conftest): the demo already holds an
approved story, one waiting and a draft. Waits are Playwright's bounded auto-waits.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.session import LEADER, TIMEOUT_MS, log_in

MEMBER = "klantmanager@lindewaard.example"
GROUP = "Casusgroep Lindewaard"
TITLE = "Eerst een stageplek, nu een contract"
TEXT = (
    "Een vrouw met een lange ziektegeschiedenis begon via de casusgroep met een stage van "
    "acht uur per week. Na vier maanden kreeg zij een contract voor zestien uur."
)
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def test_a_member_writes_and_submits_a_story_and_the_procesbegeleider_approves_it(
    browser, live_server
):
    expect = _expect()
    member_context = browser.new_context(locale="nl-NL")
    leader_context = browser.new_context(locale="nl-NL")
    try:
        page = log_in(member_context, live_server, MEMBER)
        page.goto(f"{live_server}/groepen/")
        page.locator("main a", has_text=GROUP).first.click()
        page.get_by_role("link", name="Verhalen", exact=True).click()
        expect(page.locator("h1")).to_have_text("Verhalen")
        page.get_by_role("link", name="Verhaal schrijven").click()
        page.get_by_label("Klantverhaal").check()
        page.get_by_label("Titel").fill(TITLE)
        page.locator("textarea#text").fill(TEXT)
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator(".flash-success")).to_contain_text("opgeslagen als concept")
        story_url = page.url
        assert re.search(r"/verhalen/\d+$", story_url)
        page.get_by_role("button", name="Indienen ter goedkeuring").click()
        expect(page.locator(".flash-success")).to_have_text("Verhaal ingediend ter goedkeuring.")
        expect(page.locator("dl.facts")).to_contain_text("Wacht op goedkeuring")
        expect(page.get_by_role("button", name="Goedkeuren")).to_have_count(0)

        leader = log_in(leader_context, live_server, LEADER)
        leader.goto(story_url)
        expect(leader.locator(".story-text")).to_have_text(TEXT)
        leader.get_by_role("button", name="Goedkeuren").click()
        expect(leader.locator(".flash-success")).to_have_text("Verhaal goedgekeurd.")
        expect(leader.locator("dl.facts")).to_contain_text("Goedgekeurd door")
        leader.locator("main").screenshot(path=SCREENSHOTS / "story-approved.png")

        leader.get_by_role("link", name=re.compile("Verhalen van")).click()
        row = leader.locator("tr", has_text=TITLE)
        expect(row).to_contain_text("Goedgekeurd")
        leader.locator("main").screenshot(path=SCREENSHOTS / "stories-list.png")
    finally:
        member_context.close()
        leader_context.close()
