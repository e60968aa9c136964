"""The minutes in a real browser (issue 10): a member downloads the minutes of a held meeting
from its page and they open in python-docx; the procesbegeleider approves the latest minutes
in the opening of the next meeting, and from then on the download says they are final.

Runs against a live gunicorn with the demo data (see conftest): each group's first held
meeting is approved in its second; the second is a draft until the planned one approves it.
"""

from __future__ import annotations

import re
from io import BytesIO

import docx

from tests.e2e.session import LEADER, TIMEOUT_MS, log_in

MEMBER = "klantmanager@lindewaard.example"
GROUP = "Casusgroep Lindewaard"


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def open_meeting(page, base_url: str, status: str, which: int = 0) -> None:
    page.goto(f"{base_url}/groepen/")
    page.locator("main a", has_text=GROUP).first.click()
    meetings = page.locator("ul.meetings li").filter(has=page.locator(".tag", has_text=status))
    meetings.nth(which).locator("a").first.click()
    page.wait_for_url(re.compile(r"/bijeenkomsten/\d+$"))


def download_minutes(page) -> docx.document.Document:
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Verslag (Word)").click()
    download = waiting.value
    assert re.fullmatch(
        r"verslag-casusgroep-lindewaard-\d{4}-\d\d-\d\d\.docx", download.suggested_filename
    )
    with open(download.path(), "rb") as file:
        return docx.Document(BytesIO(file.read()))


def text_of(document) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_member_downloads_the_minutes_of_a_held_meeting(browser, live_server):
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    try:
        page = log_in(context, live_server, MEMBER)
        open_meeting(page, live_server, "Afgerond")
        document = download_minutes(page)
        text = text_of(document)
        assert document.paragraphs[0].text == f"Verslag van de bijeenkomst van {GROUP}"
        assert "Aanwezigheid" in text and "Besproken casussen" in text
        assert "Pim Veenstra" in text
        assert document.core_properties.title.startswith(f"Verslag {GROUP} ")
        assert GROUP in document.sections[0].header.paragraphs[0].text
    finally:
        context.close()


def test_the_leader_approves_the_minutes_in_the_opening_of_the_next_meeting(browser, live_server):
    expect = _expect()
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    try:
        page = log_in(context, live_server, LEADER)
        open_meeting(page, live_server, "Gepland")
        page.get_by_role("button", name="Bijeenkomst starten").click()
        page.wait_for_url(re.compile(r"/bijeenkomsten/\d+/leiden"))
        point = page.locator("#minutes-approval")
        expect(point).to_contain_text("Verslag vorige bijeenkomst")
        with page.expect_download() as waiting:
            point.get_by_role("link", name="Verslag (Word)").click()
        with open(waiting.value.path(), "rb") as file:
            assert "CONCEPT" in text_of(docx.Document(BytesIO(file.read())))
        point.get_by_label("Correcties (optioneel)").fill(
            "De datum van het driegesprek is 3 maart."
        )
        point.get_by_role("button", name="Vaststellen").click()
        expect(page.locator("#minutes-approval")).to_contain_text("Vastgesteld op")
        with page.expect_download() as waiting:
            page.locator("#minutes-approval").get_by_role("link", name="Verslag (Word)").click()
        with open(waiting.value.path(), "rb") as file:
            final = text_of(docx.Document(BytesIO(file.read())))
        assert "Definitief — Vastgesteld op" in final
        assert "De datum van het driegesprek is 3 maart." in final
    finally:
        context.close()
