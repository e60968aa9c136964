"""Signals followed up in a real browser (issue 14): the projectleider records the policy
group's decision on a demo signal; the procesbegeleider of the group then finds it on the group's
page and on the page of its next meeting.

Runs against a live gunicorn with the demo data (see conftest): Casusgroep Lindewaard has held
meetings with signals, one of them still "Nieuw", and a planned meeting. Waits are Playwright's
bounded auto-waits.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.session import LEADER, TIMEOUT_MS, log_in

PROJECTLEIDER = "projectleider@lindewaard.example"
GROUP = "Casusgroep Lindewaard"
DECISION = "De beleidsgroep vraagt UWV en gemeente om één gezamenlijke intake per cliënt."
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def test_a_decision_recorded_by_the_projectleider_reaches_the_group_and_its_next_meeting(
    browser, live_server
):
    expect = _expect()
    leader_context = browser.new_context(locale="nl-NL")
    member_context = browser.new_context(locale="nl-NL")
    try:
        page = log_in(leader_context, live_server, PROJECTLEIDER)
        page.goto(f"{live_server}/groepen/")
        page.locator("main a", has_text=GROUP).first.click()
        page.get_by_role("link", name="Alle signalen van de regio").click()
        page.get_by_label("Status").select_option(label="Nieuw")
        page.get_by_label("Groep").select_option(label=GROUP)
        page.get_by_role("button", name="Filteren").click()
        row = page.locator("table.signals-table tbody tr").first
        expect(row).to_contain_text("Nieuw")
        signal = row.get_attribute("data-signal")
        row.locator("a").click()

        page.get_by_label("Status").select_option(label="Besluit genomen")
        page.get_by_label("Besluit van de beleidsgroep").fill(DECISION)
        page.get_by_role("button", name="Opvolging opslaan").click()
        expect(page.locator(".flash-success")).to_have_text("Opvolging opgeslagen.")
        expect(page.locator("ol.history li").last).to_contain_text(DECISION)
        expect(page.locator("ol.history li").last).to_contain_text("Besluit genomen")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.locator("main").screenshot(path=SCREENSHOTS / "signals-follow-up.png")

        member = log_in(member_context, live_server, LEADER)
        member.goto(f"{live_server}/groepen/")
        member.locator("main a", has_text=GROUP).first.click()
        signals = member.locator("#signalen")
        row = signals.locator(f"tr[data-signal='{signal}']")
        expect(row).to_contain_text("Besluit genomen")
        expect(row).to_contain_text(DECISION)
        signals.screenshot(path=SCREENSHOTS / "signals-group-page.png")

        member.locator("ul.meetings li", has_text="Gepland").first.locator("a").click()
        feedback = member.locator("#terugkoppeling-beleidsgroep")
        expect(feedback).to_contain_text("Terugkoppeling van de beleidsgroep")
        expect(feedback.locator(f"tr[data-signal='{signal}']")).to_contain_text(DECISION)
        feedback.screenshot(path=SCREENSHOTS / "signals-next-meeting.png")
    finally:
        leader_context.close()
        member_context.close()
