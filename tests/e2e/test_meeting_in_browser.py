"""A meeting in a real browser: autosave, conflicts, the projector view and closing.

Each test drives Debian's Chromium against a live gunicorn with the demo data (see conftest).
The procesbegeleider of "Casusgroep Lindewaard" runs meetings there; every test that starts a
meeting plans its own through the interface, except the first, which starts the planned demo
meeting (starting consumes a planned meeting). Waits are Playwright's bounded auto-waits.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.e2e.session import TIMEOUT_MS, log_in

GROUP = "Casusgroep Lindewaard"
PROTOCOL = "casusgroep-samenwerking"
#: Identities stored (encrypted) with the demo cases; a projector must never show them.
IDENTITIES = ("Robin Testdijk", "Sam Proefvogel", "123456782", "111222333")
BUILDING_BLOCKS = (
    "kennen",
    "begrijpen",
    "waarderen",
    "vertrouwen",
    "samenwerken",
    "doelen_realiseren",
)
#: Default bound of every auto-wait; the autosave itself waits 0.7 s before it posts.
#: The projector polls every 3 s: two polls and some slack.
PRESENTATION_TIMEOUT_MS = 8_000

#: Keep every text the save status shows, to see "Opslaan…" pass before "Opgeslagen".
RECORD_STATES = """el => {
    el._states = [];
    new MutationObserver(() => {
        if (el._states[el._states.length - 1] !== el.textContent) el._states.push(el.textContent);
    }).observe(el, {childList: true, characterData: true, subtree: true});
}"""

CURRENT_NUMBER = ".rail-step[aria-current=step] .rail-number"
TEXT_FORM = "form[data-autosave]:has(textarea:not(.visually-hidden))"


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


# ------------------------------------------------------------------------------ helpers


def open_group(page, base_url: str) -> None:
    page.goto(f"{base_url}/groepen/")
    page.locator("main a", has_text=GROUP).first.click()
    page.wait_for_url(re.compile(r"/groepen/\d+$"))


def case_of_kind(page, base_url: str, kind: str) -> str:
    """The pseudonym of the group's first case of this kind ("Met toestemming", "Anoniem"...)."""
    open_group(page, base_url)
    row = page.locator("main table tbody tr", has=page.locator("td", has_text=kind)).first
    return row.locator("a.pseudonym").inner_text().strip()


def meeting_id_of(page) -> int:
    return int(re.search(r"/bijeenkomsten/(\d+)", page.url).group(1))


def plan_meeting(page, base_url: str, *, days_ahead: int, case: str) -> int:
    """Plan a meeting of the group with the UI, put ``case`` on its agenda; return its id."""
    expect = _expect()
    open_group(page, base_url)
    page.get_by_role("link", name="Bijeenkomst plannen").click()
    page.wait_for_url(re.compile(r"/groepen/\d+/bijeenkomsten/nieuw$"))
    page.fill("#date", (date.today() + timedelta(days=days_ahead)).isoformat())
    page.fill("#time", "10:30")
    page.select_option("#protocol_id", PROTOCOL)
    page.locator("main button[type=submit]", has_text="Bijeenkomst plannen").click()
    page.wait_for_url(re.compile(r"/bijeenkomsten/\d+$"))
    expect(page.locator("main h1 .tag")).to_have_text("Gepland")
    meeting_id = meeting_id_of(page)

    option = page.locator("#case_id option", has_text=case)
    page.select_option("#case_id", option.get_attribute("value"))
    page.get_by_role("button", name="Aan agenda toevoegen").click()
    expect(page.locator("ol.agenda a.pseudonym")).to_have_text([case])
    return meeting_id


def start_meeting(page, meeting_id: int) -> None:
    """On the meeting page: start it; land on the facilitation screen at step 1."""
    page.get_by_role("button", name="Bijeenkomst starten").click()
    page.wait_for_url(re.compile(rf"/bijeenkomsten/{meeting_id}/leiden"))
    wait_for_screen(page)
    _expect()(page.locator(CURRENT_NUMBER)).to_have_text("1")


def wait_for_screen(page) -> None:
    """The facilitation screen is rendered and its script (autosave, timer) is running."""
    expect = _expect()
    expect(page.locator("h1#step-title")).to_be_visible()
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))


def go_next(page) -> None:
    """Click "Volgende" and wait until the next step is the current one."""
    number = int(page.locator(CURRENT_NUMBER).inner_text())
    page.get_by_role("button", name="Volgende", exact=True).click()
    _expect()(page.locator(CURRENT_NUMBER)).to_have_text(str(number + 1))
    wait_for_screen(page)


def go_to_first_text_step(page) -> None:
    """Click "Volgende" until the step has a visible autosaving textarea."""
    for _ in range(page.locator(".rail-step").count()):
        if page.locator(TEXT_FORM).count():
            return
        go_next(page)
    pytest.fail("no step of the meeting has an autosaving textarea")


def step_title(page) -> str:
    """The step's title as the projector shows it: the heading without the pseudonym."""
    return page.locator("h1#step-title").evaluate(
        "h => h.childNodes[0].textContent.replace(/\\s*·\\s*$/, '').trim()"
    )


# ------------------------------------------------------------------------------ tests


def test_autosave_survives_a_reload(browser, live_server):
    expect = _expect()
    sentence = "De lijnen tussen UWV en gemeente lopen via de cliënt."
    context = browser.new_context()
    try:
        page = log_in(context, live_server)
        open_group(page, live_server)
        page.locator("ul.meetings li", has=page.locator(".tag", has_text="Gepland")).first.locator(
            "a"
        ).click()
        page.wait_for_url(re.compile(r"/bijeenkomsten/\d+$"))
        start_meeting(page, meeting_id_of(page))
        go_to_first_text_step(page)

        title = page.locator("h1#step-title").inner_text()
        started_at = page.locator(".timer").get_attribute("data-started-at")
        assert started_at, "the step's time box has no start"
        expect(page.locator(".timer .timer-remaining")).to_have_text(
            re.compile(r"(nog|over tijd) \d+:\d\d")
        )
        form = page.locator(TEXT_FORM).first
        expect(form.locator(".save-state")).to_have_text("")
        form.locator(".save-state").evaluate(RECORD_STATES)
        form.locator("textarea[name=value]").press_sequentially(sentence)
        expect(form.locator(".save-state")).to_have_text("Opgeslagen")
        states = form.locator(".save-state").evaluate("el => el._states")
        assert states[-2:] == ["Opslaan…", "Opgeslagen"], states

        page.reload()
        wait_for_screen(page)
        expect(page.locator("h1#step-title")).to_have_text(title)
        form = page.locator(TEXT_FORM).first
        expect(form.locator("textarea[name=value]")).to_have_value(sentence)
        expect(form.locator(".save-state")).to_have_text("Opgeslagen")
        expect(page.locator(".timer .timer-remaining")).to_have_text(
            re.compile(r"(nog|over tijd) \d+:\d\d")
        )
        assert page.locator(".timer").get_attribute("data-started-at") == started_at
    finally:
        context.close()


def test_a_conflict_is_shown_and_nothing_is_overwritten(browser, live_server):
    expect = _expect()
    text_a = "Gemeente en UWV spreken een vast overlegmoment af."
    text_b = "De klantmanager belt de behandelaar voortaan zelf."
    context_a = browser.new_context()
    context_b = browser.new_context()
    try:
        page_a = log_in(context_a, live_server)
        case = case_of_kind(page_a, live_server, "Fictief")
        meeting_id = plan_meeting(page_a, live_server, days_ahead=31, case=case)
        start_meeting(page_a, meeting_id)
        go_to_first_text_step(page_a)

        # B opens the same step before A saves: B's form still holds the old version.
        page_b = log_in(context_b, live_server)
        page_b.goto(page_a.url)
        wait_for_screen(page_b)
        expect(page_b.locator("h1#step-title")).to_have_text(
            page_a.locator("h1#step-title").inner_text()
        )
        form_a = page_a.locator(TEXT_FORM).first
        form_b = page_b.locator(TEXT_FORM).first

        form_a.locator("textarea[name=value]").press_sequentially(text_a)
        expect(form_a.locator(".save-state")).to_have_text("Opgeslagen")

        form_b.locator("textarea[name=value]").press_sequentially(text_b)
        conflict = form_b.locator(".conflict")
        expect(conflict).to_be_visible()
        expect(conflict.locator("blockquote")).to_have_text(text_a)
        expect(form_b.locator(".save-state")).to_contain_text("Conflict")
        expect(form_b.locator("textarea[name=value]")).to_have_value(text_b)

        # Nothing was overwritten: A's text is still what is stored.
        page_a.reload()
        wait_for_screen(page_a)
        form_a = page_a.locator(TEXT_FORM).first
        expect(form_a.locator("textarea[name=value]")).to_have_value(text_a)

        # B chooses consciously to keep their own text.
        conflict.get_by_role("button", name="Mijn tekst bewaren").click()
        expect(form_b.locator(".save-state")).to_have_text("Opgeslagen")
        expect(conflict).to_be_hidden()

        page_a.reload()
        wait_for_screen(page_a)
        form_a = page_a.locator(TEXT_FORM).first
        expect(form_a.locator("textarea[name=value]")).to_have_value(text_b)
    finally:
        context_b.close()
        context_a.close()


def test_presentation_follows_the_current_step(browser, live_server):
    expect = _expect()
    context = browser.new_context()
    try:
        page = log_in(context, live_server)
        case = case_of_kind(page, live_server, "Met toestemming")
        meeting_id = plan_meeting(page, live_server, days_ahead=32, case=case)
        start_meeting(page, meeting_id)
        first_title = step_title(page)

        projector = context.new_page()
        projector.set_default_timeout(TIMEOUT_MS)
        projector.goto(f"{live_server}/bijeenkomsten/{meeting_id}/presentatie")
        expect(projector.locator("#p-title")).to_have_text(first_title)
        assert_no_identity(projector.content())

        go_next(page)  # the review of earlier actions: a step for the whole group, no case
        expect(projector.locator("#p-title")).to_have_text(
            "Terugblik op de acties", timeout=PRESENTATION_TIMEOUT_MS
        )
        go_next(page)
        new_title = step_title(page)
        assert new_title != first_title
        expect(projector.locator("#p-title")).to_have_text(
            new_title, timeout=PRESENTATION_TIMEOUT_MS
        )
        expect(projector.locator("#p-case")).to_have_text(case)
        assert_no_identity(projector.content())

        state = context.request.get(f"{live_server}/bijeenkomsten/{meeting_id}/presentatie.json")
        try:
            assert state.ok
            assert state.json()["pseudonym"] == case
            assert_no_identity(state.text())
        finally:
            state.dispose()
    finally:
        context.close()


def assert_no_identity(text: str) -> None:
    shown = [identity for identity in IDENTITIES if identity in text]
    assert not shown, f"the projector shows identifying data: {shown}"


def test_a_meeting_runs_to_the_end_and_closes(browser, live_server):
    expect = _expect()
    context = browser.new_context()
    try:
        page = log_in(context, live_server)
        case = case_of_kind(page, live_server, "Anoniem")
        meeting_id = plan_meeting(page, live_server, days_ahead=33, case=case)

        # Attendance: one member present is enough.
        page.locator("#attendance tbody tr select").first.select_option("aanwezig")
        page.get_by_role("button", name="Aanwezigheid opslaan").click()
        expect(page.locator(".flash-success")).to_have_text("Aanwezigheid opgeslagen: 1 wijziging.")

        start_meeting(page, meeting_id)
        next_button = page.get_by_role("button", name="Volgende", exact=True)
        assigned = False
        for _ in range(page.locator(".rail-step").count()):
            regie = page.locator("form[action$='/regievoerder']")
            if regie.count():
                regie.locator("select[name=person]").select_option(index=1)  # 0: "Kies …"
                regie.get_by_role("button", name="Toewijzen").click()
                expect(page.locator(".flash-success")).to_have_text("Opgeslagen.")
                expect(page.locator("main")).not_to_contain_text("Huidige regievoerder: nog geen")
                assigned = True
            if not next_button.count():
                break
            go_next(page)
        assert assigned, "the case's 'Regie' step with the regievoerder form was never reached"

        # Closing asks first, and lists the building blocks as still to fill in, with a link.
        page.locator(".step-nav").get_by_role("link", name="Bijeenkomst afronden…").click()
        page.wait_for_url(re.compile(rf"/bijeenkomsten/{meeting_id}/afsluiten$"))
        missing = page.locator(".missing")
        expect(missing).to_contain_text("Nog in te vullen: 1 veld")
        expect(page.get_by_role("button", name="Bijeenkomst afronden")).to_have_count(0)
        missing.get_by_role("link", name=re.compile("Bouwstenen")).click()
        wait_for_screen(page)

        blocks = page.locator("form.blocks")
        for key in BUILDING_BLOCKS:
            expect(blocks.locator(f"select[name={key}]")).to_have_value("3")
        blocks.locator("select[name=vertrouwen]").select_option("4")
        blocks.get_by_role("button", name="Scores opslaan").click()
        expect(page.locator(".flash-success")).to_have_text("Opgeslagen.")
        wait_for_screen(page)

        page.locator(".step-nav").get_by_role("link", name="Bijeenkomst afronden…").click()
        expect(page.locator(".close-meeting")).to_contain_text("Alle verplichte velden")
        screenshots = Path(__file__).resolve().parent / "screenshots"
        screenshots.mkdir(exist_ok=True)
        page.screenshot(path=screenshots / "closing-dialogue-ready.png", full_page=True)
        page.get_by_role("button", name="Bijeenkomst afronden").click()
        page.wait_for_url(re.compile(rf"/bijeenkomsten/{meeting_id}$"))
        expect(page.locator("main h1 .tag")).to_have_text("Afgerond")
        expect(page.get_by_role("button", name="Bijeenkomst starten")).to_have_count(0)
    finally:
        context.close()
