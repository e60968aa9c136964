"""The records of a meeting in a real browser: a finding added and edited in the meeting, and
the page back at that finding with the focus on it, not at the top of the step.

Runs against a live gunicorn with the demo data (see conftest); the procesbegeleider of
"Casusgroep Lindewaard" starts the group's planned demo meeting. The screenshot is written to
tests/e2e/screenshots/ (not committed). Waits are Playwright's bounded auto-waits.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.session import TIMEOUT_MS, log_in

GROUP = "Casusgroep Lindewaard"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
#: Short enough that the findings of a step lie below the fold.
VIEWPORT = {"width": 1100, "height": 700}
ADD_FINDING = "form.record-form[action$='/bevindingen']"

#: Where the page is: the focused element, and whether a record is in view.
FOCUS = "() => ({id: document.activeElement.id, scrollY: window.scrollY})"
IN_VIEW = """el => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.top < window.innerHeight;
}"""


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def open_the_running_meeting(page, base_url: str) -> None:
    """The facilitation screen of the group's running meeting; the planned one started first
    when none runs yet (the server lives for this module: its tests share one meeting)."""
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
    _expect()(page.locator("h1#step-title")).to_be_visible()


def go_to_the_findings_step(page) -> None:
    """Click "Volgende" until the step records findings."""
    expect = _expect()
    for _ in range(page.locator(".rail-step").count()):
        if page.locator(ADD_FINDING).count():
            return
        number = page.locator(".rail-step[aria-current=step] .rail-number").inner_text()
        page.get_by_role("button", name="Volgende", exact=True).click()
        expect(page.locator(".rail-step[aria-current=step] .rail-number")).not_to_have_text(number)
    pytest.fail("no step of the meeting records findings")


def finding_id_from(url: str) -> str:
    match = re.search(r"#(finding-\d+)$", url)
    assert match, f"the page did not come back at a finding: {url}"
    return match.group(1)


def test_a_finding_is_edited_in_the_meeting_and_the_page_returns_at_it(browser, live_server):
    expect = _expect()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = log_in(context, live_server)
        open_the_running_meeting(page, live_server)
        go_to_the_findings_step(page)
        step_url = page.url.split("#")[0]

        # Add: the page comes back at the new finding, focused, below the fold.
        add = page.locator(ADD_FINDING)
        add.locator("select[name=level]").select_option("beleid_organisatie")
        add.locator("textarea[name=text]").fill("Vast overleg tussen UWV en gemeente ontbreekt.")
        add.get_by_role("button", name="Bevinding toevoegen").click()
        page.wait_for_url(re.compile(r"#finding-\d+$"))
        anchor = finding_id_from(page.url)
        record = page.locator(f"li#{anchor}")
        expect(record).to_be_focused()
        where = page.evaluate(FOCUS)
        assert where["id"] == anchor and where["scrollY"] > 0, where
        assert record.evaluate(IN_VIEW), "the new finding is not in view"

        # Edit it in place: open "Bewerken", change the text, save.
        record.locator("summary", has_text="Bewerken").click()
        edit_form = record.locator("form.record-form")
        expect(edit_form).to_be_visible()
        expect(edit_form.locator("[name$=personal_data_confirmed]")).to_have_count(0)
        edit_form.locator("textarea").fill("Vast overleg ontbreekt; de klantmanager belt nu zelf.")
        edit_form.get_by_role("button", name="Wijzigingen opslaan").click()
        page.wait_for_load_state()
        expect(page.locator(".flash-success")).to_have_text("Opgeslagen.")
        assert page.url == f"{step_url}#{anchor}", page.url

        record = page.locator(f"li#{anchor}")
        expect(record).to_be_focused()
        expect(record).to_contain_text("Vast overleg ontbreekt; de klantmanager belt nu zelf.")
        expect(page.locator("ul.records li[data-record]")).to_have_count(1)  # edited, not added
        where = page.evaluate(FOCUS)
        assert where["id"] == anchor and where["scrollY"] > 0, where
        assert record.evaluate(IN_VIEW), "the edited finding is not in view"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "records-finding-edited.png"))

        # A refused edit comes back open, with the focus on the field that holds the BSN.
        record.locator("summary", has_text="Bewerken").click()
        edit_form = record.locator("form.record-form")
        edit_form.locator("textarea").fill("Cliënt met BSN 2431.80.226 besproken")
        edit_form.get_by_role("button", name="Wijzigingen opslaan").click()
        page.wait_for_load_state()
        field = page.locator(f"li#{anchor} textarea[aria-invalid=true]")
        expect(field).to_be_focused()
        expect(field).to_have_value("Cliënt met BSN 2431.80.226 besproken")
        expect(page.locator(f"li#{anchor}")).to_contain_text("de klantmanager belt nu zelf.")
        page.screenshot(path=str(SCREENSHOTS / "records-finding-refused.png"))
    finally:
        context.close()


def test_the_evaluation_step_takes_lines_of_text_and_says_what_the_scores_mean(
    browser, live_server
):
    expect = _expect()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = log_in(context, live_server)
        open_the_running_meeting(page, live_server)
        page.locator(".rail-step", has_text="Evaluatie").last.click()
        form = page.locator("form.blocks")
        expect(form).to_be_visible()

        scale = "Score van 1 tot en met 5: 1 = nog nauwelijks, 5 = helemaal."
        expect(form.locator("fieldset.scores legend")).to_have_text(
            "Hoe ver is de groep op elke bouwsteen?"
        )
        for select in form.locator("fieldset.scores select").all():
            expect(select).to_have_accessible_description(scale)
        trust = form.locator("select[name=vertrouwen]")
        # A required select: it starts with the empty "Kies …", then the scale.
        expect(trust.locator("option").first).to_have_text("Kies …")
        expect(trust.locator("option").nth(1)).to_have_text("1 (nog nauwelijks)")
        expect(trust.locator("option").last).to_have_text("5 (helemaal)")
        trust.select_option("5")
        expect(form.locator("[name=personal_data_confirmed]")).to_have_count(0)

        went_well = form.locator("textarea[name=went_well]")
        went_well.click()
        went_well.press_sequentially("Goede voorbereiding")
        went_well.press("Enter")  # a new line, not a submit: the answer is multi-line
        went_well.press_sequentially("Iedereen had de casus gelezen")
        assert "/leiden" in page.url and "#" not in page.url
        form.locator("textarea[name=could_be_better]").fill("De tijd per casus bewaken")
        form.get_by_role("button", name="Scores opslaan").click()
        page.wait_for_url(re.compile(r"#building-blocks$"))

        expect(page.locator("h2#building-blocks")).to_be_focused()
        expect(page.locator("form.blocks textarea[name=went_well]")).to_have_value(
            "Goede voorbereiding\nIedereen had de casus gelezen"
        )
        expect(page.locator("form.blocks select[name=vertrouwen]")).to_have_value("5")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "records-evaluation.png"), full_page=True)
    finally:
        context.close()
