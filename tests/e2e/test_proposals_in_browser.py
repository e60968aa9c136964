"""The call for cases in a real browser, on the demo: a deelnemer registers a new case on the
spot from the call (the registration page's script at work) and comes back to propose it; the
procesbegeleider accepts the demo's waiting proposal and finds the case on the agenda."""

from __future__ import annotations

import re

from tests.e2e.session import log_in

MEMBER = "ipscoach@lindewaard.example"  # GGZ Rivierduin, a member of Casusgroep Lindewaard
LEADER = "procesbegeleider@lindewaard.example"
TIMEOUT_MS = 10_000


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def test_a_member_registers_a_case_on_the_spot_and_the_leader_accepts_a_proposal(
    live_server, browser
):
    expect = _expect()
    context = browser.new_context(locale="nl-NL", viewport={"width": 1100, "height": 900})
    try:
        errors: list[str] = []
        page = log_in(context, live_server, MEMBER)
        page.on("pageerror", lambda error: errors.append(str(error)))
        # The start page shows the open call; it leads to the proposal page.
        calls = page.locator("section[aria-labelledby=calls-heading]")
        expect(calls).to_contain_text("Casusgroep Lindewaard")
        calls.locator("a").first.click()
        page.wait_for_url(re.compile(r"/bijeenkomsten/\d+/voorstellen$"))
        proposal_page = page.url
        page.get_by_role("link", name="Een nieuwe casus aanmelden voor deze bijeenkomst").click()
        page.wait_for_url(re.compile(r"/casussen/nieuw\?voorstel=\d+$"))
        expect(page.locator("#identity-and-consent")).to_be_hidden()
        page.fill(
            "#description", "Cliënt wil na de dagbesteding betaald werk in de groenvoorziening."
        )
        page.select_option("#benefit", "participatiewet")
        page.select_option("#ggz_treatment", "ja")
        for criterion in page.locator("input[name=criteria]").all():
            criterion.check()
        page.click("main form button[type=submit]")
        # Back on the proposal page, the new case chosen.
        page.wait_for_url(re.compile(r"/voorstellen\?casus=\d+$"))
        expect(page.locator(".flash-success")).to_contain_text("Casus aangemeld")
        chosen = page.locator("#case_id option:checked")
        pseudonym = chosen.inner_text().split(" ")[0]
        assert page.url.startswith(proposal_page)
        # Without the mandatory criterion the proposal is refused, naming it.
        page.click("main form button[type=submit]")
        expect(page.locator("main")).to_contain_text("Bevestig dat de casus voldoet")
        for criterion in page.locator("input[name=criteria]").all():
            criterion.check()
        page.fill("#note", "Werkgever zoekt iemand; wie begeleidt op de werkvloer?")
        page.click("main form button[type=submit]")
        expect(page.locator(".flash-success")).to_contain_text(f"Casus {pseudonym} voorgesteld")
        expect(page.locator("#mine-heading + ul")).to_contain_text("Voorgesteld")
        assert errors == []
    finally:
        context.close()

    context = browser.new_context(locale="nl-NL", viewport={"width": 1100, "height": 900})
    try:
        page = log_in(context, live_server, LEADER)
        page.goto(proposal_page.removesuffix("/voorstellen"))
        section = page.locator("#oproep")
        expect(section).to_contain_text(pseudonym)
        expect(section).to_contain_text("voorgesteld door Dirk Wouters")  # the demo's proposal
        waiting = section.locator("li", has_text="Dirk Wouters")
        demo_pseudonym = waiting.locator(".pseudonym").inner_text()
        waiting.get_by_role("button", name=re.compile("Op de agenda zetten")).click()
        expect(page.locator(".flash-success")).to_contain_text(f"Casus {demo_pseudonym}")
        expect(page.locator("ol.agenda")).to_contain_text(demo_pseudonym)
        expect(page.locator("#oproep")).not_to_contain_text("Dirk Wouters")
    finally:
        context.close()
