"""Action items in a real browser (issue 9): an owner finds an overdue action on the start page,
records how it stands with a note, and the procesbegeleider sees it on the group's board and in
the action's history; the board's filters are ordinary GET parameters.

Runs against a live gunicorn with the demo data (see conftest): the klantmanager owns actions
of "Casusgroep Lindewaard", overdue ones among them. Waits are Playwright's bounded auto-waits.
"""

from __future__ import annotations

import re

from tests.e2e.session import LEADER, TIMEOUT_MS, log_in

OWNER = "klantmanager@lindewaard.example"
OWNER_NAME = "Dirk Wouters"
GROUP = "Casusgroep Lindewaard"
NOTE = "Driegesprek gehouden; de cliënt begint maandag met een proefplaatsing."


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def test_an_owner_updates_an_overdue_action_from_the_start_page_and_the_leader_sees_it(
    browser, live_server
):
    expect = _expect()
    owner_context = browser.new_context(locale="nl-NL")
    leader_context = browser.new_context(locale="nl-NL")
    try:
        page = log_in(owner_context, live_server, OWNER)
        mine = page.locator("section", has=page.locator("#my-actions-heading"))
        overdue = mine.locator("tr.overdue").first
        expect(overdue).to_contain_text("te laat")  # said in words, not by colour alone
        action_id = overdue.get_attribute("id").removeprefix("action-")
        update = mine.locator(
            f"tr.update-row:has(form[action$='/acties/{action_id}/terugkoppeling'])"
        )
        expect(update.locator("textarea")).to_be_hidden()  # folded until asked for
        update.locator("summary").click()
        update.get_by_label("Status").select_option(label="Gereed")
        update.get_by_label("Terugkoppeling").fill(NOTE)
        update.get_by_role("button", name="Terugkoppeling opslaan").click()

        expect(page.locator(".flash-success")).to_have_text("Terugkoppeling opgeslagen.")
        expect(page.locator(f"#action-{action_id}")).to_have_count(0)  # done: no longer open
        page.goto(f"{live_server}/acties")
        expect(page.locator(f"#action-{action_id}")).to_contain_text("Gereed")

        leader = log_in(leader_context, live_server, LEADER)
        leader.goto(f"{live_server}/groepen/")
        leader.locator("main a", has_text=GROUP).first.click()
        leader.get_by_role("link", name="Actiebord").click()
        expect(leader.locator(f"#action-{action_id}")).to_contain_text("Gereed")
        leader.get_by_label("Alleen te laat").check()
        leader.get_by_role("button", name="Filteren").click()
        leader.wait_for_url(re.compile(r"te_laat=y"))
        rows = leader.locator("table.actions-table tbody tr:not(.update-row)")
        expect(rows.first).to_be_visible()
        for index in range(rows.count()):
            expect(rows.nth(index)).to_contain_text("te laat")
        expect(leader.locator(f"#action-{action_id}")).to_have_count(0)

        leader.goto(f"{live_server}/acties/{action_id}")
        history = leader.locator("ol.history li").last
        expect(history).to_contain_text(OWNER_NAME)
        expect(history).to_contain_text(NOTE)
        expect(history).to_contain_text("Gereed")
    finally:
        owner_context.close()
        leader_context.close()
