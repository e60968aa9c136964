"""A series planned in a real browser, without JavaScript of its own: the rhythm, a preview in
which one date is dropped and one moved, "Voorbeeld bijwerken" keeping both, one submit, and
the series ended again after its confirmation page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from tests.e2e.session import TIMEOUT_MS, log_in

GROUP = "Casusgroep Lindewaard"
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def test_the_procesbegeleider_plans_a_series_through_the_preview_and_ends_it(browser, live_server):
    expect = _expect()
    # The demo's own series meets on today's weekday: this one two days later in the week.
    weekday = (date.today().weekday() + 2) % 7
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = log_in(context, live_server)
        page.goto(f"{live_server}/groepen/")
        page.locator("main a", has_text=GROUP).first.click()
        page.get_by_role("link", name="Reeks plannen").click()
        page.wait_for_url(re.compile(r"/groepen/\d+/reeksen/nieuw$"))
        expect(page.locator("#rhythm")).to_have_value("zeswekelijks")  # the group's rhythm

        page.select_option("#rhythm", "maandelijks")
        page.select_option("#weekday", str(weekday))
        page.fill("#first_date", (date.today() + timedelta(days=10)).isoformat())
        page.fill("#start_time", "10:00")
        page.fill("#location", "Werkbedrijf Lindewaard, zaal 1")
        page.select_option("#protocol_id", "casusgroep-samenwerking")
        page.fill("#count", "3")
        page.get_by_role("button", name="Data tonen").click()

        rows = page.locator("table.series-rows tbody tr")
        expect(rows).to_have_count(3)
        hosts = [rows.nth(i).locator("select").first.input_value() for i in range(3)]
        assert len(set(hosts)) == 3 and "0" not in hosts  # three organisations in turn
        moved = date.fromisoformat(page.input_value("#rows-2-day")) + timedelta(days=1)
        page.get_by_label("Bijeenkomst 2 laten vervallen").check()
        page.fill("#rows-2-day", moved.isoformat())
        page.get_by_role("button", name="Voorbeeld bijwerken").click()

        expect(page.get_by_label("Bijeenkomst 2 laten vervallen")).to_be_checked()
        expect(page.locator("#rows-2-day")).to_have_value(moved.isoformat())
        page.screenshot(path=SCREENSHOTS / "series-preview.png", full_page=True)
        page.get_by_role("button", name="Deze bijeenkomsten plannen").click()

        page.wait_for_url(re.compile(r"/reeksen/\d+$"))
        expect(page.locator(".flash")).to_contain_text("2 bijeenkomsten gepland.")
        expect(page.locator("main table tbody tr")).to_have_count(2)
        expect(page.locator("main table tbody")).to_contain_text("10:00")
        page.screenshot(path=SCREENSHOTS / "series-planned.png", full_page=True)

        page.get_by_role("link", name="Reeks beëindigen").click()
        expect(page.locator("main")).to_contain_text("Dit annuleert 2 geplande bijeenkomsten")
        page.get_by_role("button", name="Reeks beëindigen").click()
        page.wait_for_url(re.compile(r"/reeksen/\d+$"))
        expect(page.locator(".flash")).to_contain_text("2 geplande bijeenkomsten geannuleerd")
        expect(page.locator("main h1 .tag")).to_have_text("beëindigd")
    finally:
        context.close()
