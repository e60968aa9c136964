"""The facilitation screen by keyboard alone, in a real browser (issue 12, "Keyboard").

The rail holds a button per step (22 in the demo meeting) and comes before the step: without a
way past it, reaching a field took 30 to 47 Tabs. From the top of the screen, "Naar de inhoud"
leads into main, whose first stop is "Naar de stap" (shown when it has the focus), which leads
to the step: its first field is the third Tab. A finding added with the keyboard brings the page
back at the new finding, with the focus on it, so Tab goes on from there.

Runs against a live gunicorn with the demo data (see conftest); the procesbegeleider starts the
group's planned meeting. Screenshots land in tests/e2e/screenshots/ (not committed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.session import TIMEOUT_MS, log_in

GROUP = "Casusgroep Lindewaard"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORT = {"width": 1100, "height": 700}
ADD_FINDING = "form.record-form[action$='/bevindingen']"
FINDING_TEXT = "Werkgever en jobcoach spreken elkaar pas na een incident."
MAX_TABS = 40  # a bound on the Tabs through one form, never reached when it works

#: The focused element, described.
ACTIVE = """() => {
    const el = document.activeElement;
    return {
        tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
        text: (el.innerText || el.value || "").trim().slice(0, 80),
        inStep: !!el.closest("section.step"), inRail: !!el.closest("nav.rail"),
    };
}"""
#: The first element of the step that Tab stops at: a link, a control or a summary.
FIRST_IN_STEP = """() => {
    const focusable = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
        + "[tabindex]:not([tabindex='-1'])";
    const all = [...document.querySelector("section.step").querySelectorAll(focusable)];
    const first = all.find(el => !el.disabled && el.offsetParent !== null);
    return first && {tag: first.tagName.toLowerCase(), name: first.getAttribute("name") || ""};
}"""
IN_VIEW = """el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.left >= 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def open_the_findings_step(page, base_url: str) -> str:
    """Start the group's planned meeting (or open the running one) and go to the first step
    that records findings; return that step's address."""
    expect = _expect()
    page.goto(f"{base_url}/groepen/")
    page.locator("main a", has_text=GROUP).first.click()
    meetings = page.locator("ul.meetings li")
    running = meetings.filter(has=page.locator(".tag", has_text="Lopend"))
    if running.count():
        running.first.locator("a").click()
        page.get_by_role("link", name="Gespreksleidersscherm openen").click()
    else:
        meetings.filter(has=page.locator(".tag", has_text="Gepland")).first.locator("a").click()
        page.get_by_role("button", name="Bijeenkomst starten").click()
    page.wait_for_url(re.compile(r"/bijeenkomsten/\d+/leiden"))
    for _ in range(page.locator(".rail-step").count()):
        if page.locator(ADD_FINDING).count():
            return page.url.split("#")[0]
        number = page.locator(".rail-step[aria-current=step] .rail-number").inner_text()
        page.get_by_role("button", name="Volgende", exact=True).click()
        expect(page.locator(".rail-step[aria-current=step] .rail-number")).not_to_have_text(number)
    pytest.fail("no step of the meeting records findings")


def tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(ACTIVE)


def test_the_step_is_three_tabs_from_the_top_and_a_finding_keeps_the_focus(browser, live_server):
    expect = _expect()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = log_in(context, live_server)
        step_url = open_the_findings_step(page, live_server)
        rail_buttons = page.locator(".rail-step").count()
        assert rail_buttons >= 20, rail_buttons  # what there is to skip

        # From the top of a freshly loaded screen.
        page.goto(step_url)
        expect(page.locator("h1#step-title")).to_be_visible()
        first_field = page.evaluate(FIRST_IN_STEP)
        assert first_field == {"tag": "select", "name": "kind"}, first_field

        tabs = 1
        assert tab(page)["text"] == "Naar de inhoud"
        page.keyboard.press("Enter")
        tabs += 1
        skip = tab(page)
        assert skip["text"] == "Naar de stap" and not skip["inRail"], skip
        link = page.get_by_role("link", name="Naar de stap")
        expect(link).to_be_focused()
        assert link.evaluate(IN_VIEW), "the skip link is not shown when it has the focus"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "keyboard-skip-to-step.png"))
        page.keyboard.press("Enter")
        expect(page.locator("section#step")).to_be_focused()
        tabs += 1
        reached = tab(page)
        assert reached["inStep"] and (reached["tag"], reached["name"]) == ("select", "kind")
        assert tabs <= 3, tabs

        # Add a finding with the keyboard alone: arrow keys in the selects, typing, Tab, Enter.
        page.keyboard.press("ArrowDown")  # another kind than the first
        assert tab(page)["name"] == "level"
        assert tab(page)["name"] == "text"
        page.keyboard.type(FINDING_TEXT)
        for _ in range(MAX_TABS):
            focused = tab(page)
            if focused["tag"] == "button":
                break
        assert focused["text"] == "Bevinding toevoegen", focused
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"#finding-\d+$"))
        anchor = re.search(r"#(finding-\d+)$", page.url).group(1)

        record = page.locator(f"li#{anchor}")
        expect(record).to_contain_text(FINDING_TEXT)
        expect(record).to_be_focused()
        assert page.evaluate("() => document.activeElement.id") == anchor
        assert record.evaluate(IN_VIEW), "the new finding is not in view"
        expect(page.locator(".flash-success")).to_have_text("Opgeslagen.")
        page.screenshot(path=str(SCREENSHOTS / "keyboard-finding-added.png"))

        # Tab goes on from the finding (its tools), not from the top of the page.
        after = tab(page)
        assert after["inStep"], after
    finally:
        context.close()
