"""Attendance in a real browser: every member in one submit, from the meeting page and from
the facilitation step (issue 8).

Debian's Chromium against a live gunicorn with the demo data (see conftest). "Casusgroep
Lindewaard" has six members: its procesbegeleider and five deelnemers. Its planned demo
meeting has no attendance yet. The tests count what the procesbegeleider does: clicks and
choices in a select, and page loads (the main frame's ``load`` events).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.session import TIMEOUT_MS, log_in

GROUP = "Casusgroep Lindewaard"
MEMBERS = 6
#: Written by the tests, looked at by people; the folder is ignored by git.
SCREENSHOTS = Path(__file__).parent / "screenshots"

#: Every id that occurs more than once on the page.
DUPLICATE_IDS = """() => {
    const seen = {};
    document.querySelectorAll('[id]').forEach(el => { seen[el.id] = (seen[el.id] || 0) + 1; });
    return Object.keys(seen).filter(id => seen[id] > 1);
}"""
#: Every form control of the attendance form without a label that names it.
UNLABELLED = """() => Array.from(document.querySelectorAll(
    '#attendance select, #attendance input:not([type=hidden])'))
    .filter(el => !el.labels.length || !el.labels[0].textContent.trim())
    .map(el => el.id)"""


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def open_planned_meeting(page, base_url: str) -> None:
    page.goto(f"{base_url}/groepen/")
    page.locator("main a", has_text=GROUP).first.click()
    page.wait_for_url(re.compile(r"/groepen/\d+$"))
    planned = page.locator("ul.meetings li", has=page.locator(".tag", has_text="Gepland"))
    planned.first.locator("a").click()
    page.wait_for_url(re.compile(r"/bijeenkomsten/\d+$"))


class PageLoads:
    """Count the page loads of the main frame from now on."""

    def __init__(self, page) -> None:
        self.count = 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.count += 1


def status_of(page, name: str):
    row = page.locator("#attendance tbody tr", has=page.locator("td", has_text=name))
    return row.locator("select")


def test_every_member_is_recorded_in_one_submit(browser, live_server):
    expect = _expect()
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = log_in(context, live_server)
        open_planned_meeting(page, live_server)
        selects = page.locator("#attendance table select")
        expect(selects).to_have_count(MEMBERS)
        for index in range(MEMBERS):
            expect(selects.nth(index)).to_have_value("")  # nothing recorded: nobody is marked
        assert page.evaluate(DUPLICATE_IDS) == []
        assert page.evaluate(UNLABELLED) == []
        SCREENSHOTS.mkdir(exist_ok=True)
        page.locator("#attendance").screenshot(path=SCREENSHOTS / "attendance-form.png")

        loads = PageLoads(page)
        clicks = 0
        # The ervaringsdeskundige sent apologies: one choice; everyone else is at the table.
        status_of(page, "Ria Schouten").select_option("afgemeld")
        clicks += 1
        page.get_by_role("button", name="Iedereen aanwezig").click()
        clicks += 1
        expect(page.locator(".flash")).to_have_text("Aanwezigheid opgeslagen: 6 wijzigingen.")
        # The flash is there once the page is parsed; its load event may come a moment later.
        page.wait_for_load_state("load")

        assert (clicks, loads.count) == (2, 1)
        values = [selects.nth(i).input_value() for i in range(MEMBERS)]
        assert sorted(values) == ["aanwezig"] * (MEMBERS - 1) + ["afgemeld"]
        expect(status_of(page, "Ria Schouten")).to_have_value("afgemeld")
        # Once recorded, a member is never "not recorded yet" again.
        expect(page.locator("#attendance table option[value='']")).to_have_count(0)
        page.locator("#attendance").screenshot(path=SCREENSHOTS / "attendance-saved.png")

        # A guest joins: listed under the members, with a way to correct or remove them.
        page.locator("details.add-guest summary").click()
        page.fill("#guest_name", "Mira Werkgever")
        page.fill("#guest_role", "HR-adviseur")
        page.get_by_role("button", name="Gast toevoegen").click()
        guest = page.locator("#attendance tbody tr", has_text="Mira Werkgever")
        expect(guest.get_by_role("link", name="Bewerken Mira Werkgever")).to_be_visible()
        expect(guest.get_by_role("link", name="Verwijderen Mira Werkgever")).to_be_visible()
        assert page.evaluate(DUPLICATE_IDS) == []
        page.locator("#attendance").screenshot(path=SCREENSHOTS / "attendance-with-guest.png")
    finally:
        context.close()


def test_attendance_from_the_facilitation_step_returns_to_the_step(browser, live_server):
    expect = _expect()
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = log_in(context, live_server)
        open_planned_meeting(page, live_server)
        page.get_by_role("button", name="Bijeenkomst starten").click()
        page.wait_for_url(re.compile(r"/leiden"))
        title = page.locator("h1#step-title").inner_text()
        record = page.get_by_role("link", name="Aanwezigheid vastleggen")
        expect(record).to_be_visible()

        loads = PageLoads(page)
        record.click()
        page.wait_for_url(re.compile(r"/bijeenkomsten/\d+\?stap=[^#]+#attendance$"))
        # Whatever was recorded before: the behandelaar is not there, the rest are.
        status_of(page, "Sven Peters").select_option("afwezig")
        page.get_by_role("button", name="Iedereen aanwezig").click()

        page.wait_for_url(re.compile(r"/leiden\?stap="))
        assert loads.count == 2  # to the form and back: nothing else
        expect(page.locator("h1#step-title")).to_have_text(title)
        expect(page.locator(".flash")).to_have_text(
            re.compile(r"Aanwezigheid opgeslagen: \d+ wijziging(en)?\.")
        )
        present = page.locator(".step-field p", has_text="Aanwezig:")
        expect(present).to_contain_text("Joost Koster")
        expect(present).not_to_contain_text("Sven Peters")
    finally:
        context.close()
