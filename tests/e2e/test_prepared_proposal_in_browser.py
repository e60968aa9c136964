"""A proposed case prepared before it is on the agenda, in a real browser (issue 13).

In the demo, the klantmanager has proposed a case for the next meeting of "Casusgroep
Lindewaard" in answer to the open call. From the start page he reaches his proposal, answers the
handreiking for that case while the proposal waits, and saves. The procesbegeleider accepts the
proposal on the meeting page, starts the meeting, goes to the case's first step (its
presentation) and finds the answer there, read-only.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.session import LEADER, log_in
from tests.e2e.test_proposals_in_browser import _expect

SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORT = {"width": 1200, "height": 900}
MEMBER = "klantmanager@lindewaard.example"  # Dirk Wouters, whose proposal the demo holds
ANSWER = "Kan de jobcoach meegaan naar het eerste gesprek bij de werkgever?"


def test_a_member_prepares_a_proposed_case_and_the_leader_sees_it_once_accepted(
    browser, live_server
):
    expect = _expect()
    member_context = browser.new_context(locale="nl-NL", viewport=VIEWPORT)
    leader_context = browser.new_context(locale="nl-NL", viewport=VIEWPORT)
    try:
        member = log_in(member_context, live_server, MEMBER)
        member.locator("section[aria-labelledby=calls-heading] a").first.click()
        member.wait_for_url(re.compile(r"/bijeenkomsten/\d+/voorstellen$"))
        meeting_page = member.url.removesuffix("/voorstellen")
        mine = member.locator("#mine-heading + ul li", has_text="Voorgesteld")
        expect(mine).to_have_count(1)
        pseudonym = mine.locator(".pseudonym").inner_text()
        mine.get_by_role("link", name=f"Voorbereiding invullen {pseudonym}").click()
        expect(member.locator("h1")).to_contain_text(pseudonym)
        member.locator("textarea[name=answer_vraag_aan_groep]").fill(ANSWER)
        member.get_by_role("button", name="Voorbereiding opslaan").click()
        expect(member.locator(".flash-success")).to_have_text("Voorbereiding opgeslagen.")

        leader = log_in(leader_context, live_server, LEADER)
        leader.goto(meeting_page)
        leader.locator("#oproep").screenshot(path=SCREENSHOTS / "call-for-cases-waiting.png")
        waiting = leader.locator("#oproep li", has_text=pseudonym)
        waiting.get_by_role("button", name=re.compile("Op de agenda zetten")).click()
        expect(leader.locator(".flash-success")).to_contain_text(f"Casus {pseudonym}")
        expect(leader.locator("ol.agenda")).to_contain_text(pseudonym)
        leader.get_by_role("button", name="Bijeenkomst starten").click()
        leader.wait_for_url(re.compile(r"/bijeenkomsten/\d+/leiden"))
        leader.locator(".rail-step", has_text=pseudonym).first.click()
        expect(leader.locator("h1#step-title")).to_contain_text(pseudonym)
        beside = leader.locator("aside.preparation-step")
        expect(beside).to_contain_text(ANSWER)
        expect(beside.locator("textarea")).to_have_count(0)
        leader.screenshot(path=SCREENSHOTS / "prepared-proposal-in-presentation-step.png")
    finally:
        member_context.close()
        leader_context.close()
