"""The logbook in a real browser (issue 10): the projectleider opens the logbook from the menu,
finds every section of the demo region's last full quarter in the preview with its chart,
downloads the Word file and finds it among the editions.

Runs against a live gunicorn with the demo data (see conftest); the demo seeds that quarter and
an earlier edition with feedback (facilitator/demo/logbook.py). A screenshot of the preview is
written to tests/e2e/screenshots/ to look at.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import docx

from tests.e2e.session import TIMEOUT_MS, log_in

PROJECTLEIDER = "projectleider@lindewaard.example"
SCREENSHOTS = Path(__file__).parent / "screenshots"
HEADINGS = [
    "Samenvatting",
    "Bijeenkomsten",
    "Casussen",
    "Bevindingen",
    "Signalen voor de beleidsgroep",
    "Vervolgacties",
    "Regievoering",
    "Bouwstenen",
    "Monitoring",
    "Verhalen",
    "Feedback",
]


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def test_the_projectleider_previews_and_downloads_the_logbook(browser, live_server):
    expect = _expect()
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    try:
        page = log_in(context, live_server, PROJECTLEIDER)

        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Logboek").click()
        expect(page.get_by_role("heading", level=1, name="Logboek")).to_be_visible()
        preview = page.locator("article.logbook-preview")
        for heading in HEADINGS:
            expect(
                preview.get_by_role("heading", level=3, name=heading, exact=True)
            ).to_be_visible()
        expect(preview.locator("#feedback ~ p").first).to_contain_text("Over de editie van")
        chart = preview.locator("figure.logbook-chart img").first
        expect(chart).to_have_attribute("alt", re.compile("^Lijngrafiek"))
        # Drawn on the server when asked for: wait until it arrived (a broken image never does).
        page.wait_for_function(
            "image => image.complete && image.naturalWidth > 0", arg=chart.element_handle()
        )
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "logbook-preview.png", full_page=False)
        preview.locator("#bouwstenen").scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / "logbook-building-blocks.png")

        editions = page.locator("section", has=page.locator("#editions-title")).locator("tbody tr")
        before = editions.count()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Downloaden (Word)").click()
        download = download_info.value
        assert download.suggested_filename.startswith("logboek-")
        assert download.suggested_filename.endswith(".docx")
        document = docx.Document(BytesIO(Path(download.path()).read_bytes()))
        assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == HEADINGS
        assert len(document.inline_shapes) >= 1

        page.reload()
        expect(editions).to_have_count(before + 1)
    finally:
        context.close()
