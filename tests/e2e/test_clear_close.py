"""A clear close, in a real browser: the closing page asks first, says what becomes read-only
and links every open required field to its step; a closed meeting's timer stands still.

(The whole way to a closed meeting, attendance included, is in test_meeting_in_browser.py,
which also takes the screenshot of the closing page when nothing is missing.)
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.test_meeting_in_browser import (
    BUILDING_BLOCKS,
    CURRENT_NUMBER,
    _expect,
    case_of_kind,
    log_in,
    open_group,
    plan_meeting,
    start_meeting,
    wait_for_screen,
)

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def test_closing_asks_first_and_links_what_is_missing(browser, live_server):
    expect = _expect()
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = log_in(context, live_server)
        case = case_of_kind(page, live_server, "Anoniem")
        meeting_id = plan_meeting(page, live_server, days_ahead=50, case=case)
        start_meeting(page, meeting_id)

        page.locator(".rail").get_by_role("link", name="Bijeenkomst afronden…").click()
        page.wait_for_url(re.compile(rf"/bijeenkomsten/{meeting_id}/afsluiten$"))
        expect(page.locator("h1")).to_have_text("Deze bijeenkomst afronden?")
        read_only = page.locator(".read-only-list")
        expect(read_only).to_contain_text("velden van alle stappen")
        expect(read_only).to_contain_text("Bevindingen, acties, regievoerders")
        missing = page.locator(".missing")
        expect(
            missing.get_by_role("link", name=re.compile(r"Stap 1 · .*Aanwezigheid"))
        ).to_be_visible()
        blocks = missing.get_by_role("link", name=re.compile(r"Stap \d+ · .*Bouwstenen"))
        expect(blocks).to_be_visible()
        # Nothing can be closed from here while something required is open.
        expect(page.get_by_role("button", name="Bijeenkomst afronden")).to_have_count(0)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "closing-dialogue-missing.png", full_page=True)

        number = re.search(r"Stap (\d+)", blocks.inner_text()).group(1)
        blocks.click()
        wait_for_screen(page)
        assert re.search(r"stap=m(:|%3A)evaluatie", page.url), page.url
        expect(page.locator("h1#step-title")).to_contain_text("Evaluatie")
        form = page.locator("form.blocks")
        for key in BUILDING_BLOCKS:
            form.locator(f"select[name={key}]").select_option("4")
        form.get_by_role("button", name="Scores opslaan").click()
        expect(page.locator(".flash-success")).to_have_text("Opgeslagen.")
        rail_step = page.locator(".rail ol > li").nth(int(number) - 1)
        expect(rail_step).to_have_attribute("data-state", "done")

        page.locator(".rail").get_by_role("link", name="Bijeenkomst afronden…").click()
        expect(page.locator(".missing")).not_to_contain_text("Bouwstenen")
        expect(page.locator(".missing")).to_contain_text("Aanwezigheid")
        page.get_by_role("link", name="Terug naar de bijeenkomst").click()
        wait_for_screen(page)
        expect(page.locator(CURRENT_NUMBER)).to_have_text("1")
    finally:
        context.close()


def test_a_closed_meetings_timer_stands_still(browser, live_server):
    """The demo's held meetings are closed: their screen shows the time box, no countdown."""
    expect = _expect()
    context = browser.new_context()
    try:
        page = log_in(context, live_server)
        open_group(page, live_server)
        held = page.locator("ul.meetings li", has=page.locator(".tag", has_text="Afgerond"))
        held.first.locator("a").first.click()
        page.wait_for_url(re.compile(r"/bijeenkomsten/\d+$"))
        page.goto(page.url + "/leiden")
        wait_for_screen(page)  # the script has run: a running timer would show at once
        expect(page.locator(".step-meta .tag")).to_have_text("Afgerond")
        expect(page.locator(".timer")).not_to_have_attribute("data-running", re.compile(".*"))
        expect(page.locator(".timer .timer-remaining")).to_have_text("")
        expect(page.locator(".timer")).not_to_have_class(re.compile(r"\bover\b"))
        page.screenshot(path=SCREENSHOTS / "closed-meeting-screen.png", full_page=True)
    finally:
        context.close()
