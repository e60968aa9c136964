"""The review of earlier actions in a real browser (issue 9, carry-over).

In the demo, an owner records how an action stands on the start page, and the procesbegeleider
finds that note with the action in the next meeting's review. Then the procesbegeleider of
"Casusgroep Lindewaard" starts the planned meeting (its protocol has no review of its own: the
meeting gets "Terugblik op de acties" after the opening), goes to the review, marks one action
done with a note and lets another go on until a new date. Each save comes back at its action,
in place; the first outcome is still there after the second save, and a note typed but not
saved stops the step from being left without a word. The screenshot is written to
tests/e2e/screenshots/ (not committed).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.e2e.session import log_in
from tests.e2e.test_records_in_browser import (
    SCREENSHOTS,
    _expect,
    open_the_running_meeting,
)

REVIEW = "Terugblik op de acties"
VIEWPORT = {"width": 1200, "height": 900}
OWNER = "klantmanager@lindewaard.example"
OWNER_NAME = "Dirk Wouters"
GROUP = "Casusgroep Lindewaard"
OWNER_NOTE = "Werkgever gesproken: de proefplaatsing kan in april beginnen."


def open_the_review(page, live_server: str) -> None:
    open_the_running_meeting(page, live_server)
    _expect()(page.locator(".rail-step").nth(1)).to_contain_text(REVIEW)
    page.locator(".rail-step", has_text=REVIEW).click()
    _expect()(page.locator("h1#step-title")).to_have_text(REVIEW)


def test_the_owners_note_from_the_start_page_is_in_the_next_meetings_review(browser, live_server):
    expect = _expect()
    owner_context = browser.new_context(viewport=VIEWPORT)
    leader_context = browser.new_context(viewport=VIEWPORT)
    try:
        owner = log_in(owner_context, live_server, OWNER)
        mine = owner.locator("section", has=owner.locator("#my-actions-heading"))
        row = mine.locator("tr[id^=action-]", has_text=GROUP).first
        action_id = row.get_attribute("id").removeprefix("action-")
        update = mine.locator(
            f"tr.update-row:has(form[action$='/acties/{action_id}/terugkoppeling'])"
        )
        update.locator("summary").click()
        update.get_by_label("Status").select_option(label="In uitvoering")
        update.get_by_label("Terugkoppeling").fill(OWNER_NOTE)
        update.get_by_role("button", name="Terugkoppeling opslaan").click()
        expect(owner.locator(".flash-success")).to_have_text("Terugkoppeling opgeslagen.")

        leader = log_in(leader_context, live_server)
        open_the_review(leader, live_server)
        item = leader.locator(f"li#review-{action_id}")
        expect(item).to_contain_text("Laatste terugkoppeling")
        expect(item).to_contain_text(f"{OWNER_NAME}: “{OWNER_NOTE}”")
        expect(item.locator(".tag").first).to_have_text("In uitvoering")
        expect(item.locator("form.review-form")).to_be_visible()  # still to be reviewed here
    finally:
        owner_context.close()
        leader_context.close()


def test_the_procesbegeleider_reviews_two_actions_in_place(browser, live_server):
    expect = _expect()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = log_in(context, live_server)
        open_the_review(page, live_server)
        step_url = page.url.split("#")[0]
        items = page.locator("li.review-item")
        assert items.count() >= 2, "the demo group has no two open actions to review"
        first, second = (items.nth(n).get_attribute("id") for n in (0, 1))

        # Done, with a note: the page comes back at the action, which shows what was recorded.
        done = page.locator(f"li#{first}")
        done.get_by_label("Gereed", exact=True).check()
        done.get_by_label("Terugkoppeling").fill(
            "Driegesprek is gevoerd; de cliënt start in maart."
        )
        done.get_by_role("button", name="Opslaan").click()
        page.wait_for_url(re.compile(rf"#{first}$"))
        done = page.locator(f"li#{first}")
        expect(done).to_be_focused()
        expect(done.locator(".review-outcome")).to_contain_text("Gereed")
        expect(done.locator(".review-outcome")).to_contain_text("de cliënt start in maart")
        expect(done.locator("details.record-edit")).not_to_have_attribute("open", "")

        # A note typed but not saved: leaving the step asks first, and the text stays.
        going_on = page.locator(f"li#{second}")
        going_on.get_by_label("Terugkoppeling").fill("Werkgever belt terug")
        page.get_by_role("button", name="Volgende", exact=True).click()
        expect(page.locator("#leave-status")).to_be_visible()
        assert page.url.split("#")[0] == step_url
        expect(going_on.get_by_label("Terugkoppeling")).to_have_value("Werkgever belt terug")

        # Goes on until a new date: saved in place, and the first outcome is still there.
        new_due = date.today() + timedelta(days=28)
        going_on.get_by_label("Loopt door: in uitvoering").check()
        going_on.get_by_label("Nieuwe deadline").fill(new_due.isoformat())
        going_on.get_by_role("button", name="Opslaan").click()
        page.wait_for_url(re.compile(rf"#{second}$"))
        going_on = page.locator(f"li#{second}")
        expect(going_on).to_be_focused()
        expect(going_on.locator(".review-outcome")).to_contain_text("Loopt door tot")
        expect(going_on.locator(".review-outcome")).to_contain_text("Werkgever belt terug")
        expect(going_on).to_contain_text("In uitvoering")
        expect(page.locator(f"li#{first} .review-outcome")).to_contain_text(
            "de cliënt start in maart"
        )
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "review-two-actions.png"), full_page=True)

        # After a reload both are still recorded: nothing lived only in the page.
        page.goto(step_url)
        expect(page.locator(f"li#{first} .review-outcome")).to_contain_text("Gereed")
        expect(page.locator(f"li#{second} .review-outcome")).to_contain_text("Loopt door tot")
    finally:
        context.close()
