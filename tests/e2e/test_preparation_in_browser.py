"""The handreiking in a real browser (issue 13).

In the demo, a deelnemer of "Casusgroep Lindewaard" opens the planned meeting, finds a case
whose preparation is only partly done, answers what they ask of the group and saves; the
meeting page now shows the answer. The procesbegeleider starts the meeting, goes to that case's
first step (its presentation) and sees the answer beside the step, read-only.
"""

from __future__ import annotations

from tests.e2e.session import log_in
from tests.e2e.test_records_in_browser import GROUP, _expect, open_the_running_meeting

VIEWPORT = {"width": 1200, "height": 900}
MEMBER = "klantmanager@lindewaard.example"
ANSWER = "Wie kan de regie nemen nu de behandelaar en de klantmanager elkaar niet spreken?"


def test_a_member_prepares_a_case_and_the_leader_sees_it_in_the_presentation_step(
    browser, live_server
):
    expect = _expect()
    member_context = browser.new_context(viewport=VIEWPORT)
    leader_context = browser.new_context(viewport=VIEWPORT)
    try:
        member = log_in(member_context, live_server, MEMBER)
        member.goto(f"{live_server}/groepen/")
        member.locator("main a", has_text=GROUP).first.click()
        planned = member.locator("ul.meetings li").filter(
            has=member.locator(".tag", has_text="Gepland")
        )
        planned.first.locator("a").click()
        partly = member.locator("#preparation li").filter(
            has=member.locator(".tag", has_text="Deels voorbereid")
        )
        expect(partly).to_have_count(1)
        pseudonym = partly.locator(".pseudonym").inner_text()
        partly.get_by_role("link", name=f"Voorbereiding invullen {pseudonym}").click()
        expect(member.locator("h1")).to_contain_text(pseudonym)
        member.locator("textarea[name=answer_vraag_aan_groep]").fill(ANSWER)
        member.get_by_role("button", name="Voorbereiding opslaan").click()
        expect(member.locator(".flash-success")).to_have_text("Voorbereiding opgeslagen.")
        mine = member.locator("#preparation li").filter(has_text=pseudonym)
        mine.locator("summary").click()
        expect(mine).to_contain_text(ANSWER)

        leader = log_in(leader_context, live_server)
        open_the_running_meeting(leader, live_server)
        leader.locator(".rail-step", has_text=pseudonym).first.click()
        expect(leader.locator("h1#step-title")).to_contain_text(pseudonym)
        beside = leader.locator("aside.preparation-step")
        expect(beside).to_contain_text(ANSWER)
        expect(beside.locator("textarea")).to_have_count(0)
        # The next step of the same case shows the step, not the preparation.
        leader.locator(".rail-step", has_text=pseudonym).nth(1).click()
        expect(leader.locator("aside.preparation-step")).to_have_count(0)
    finally:
        member_context.close()
        leader_context.close()
