"""The beleidsgroeplid in a real browser (issue 14): the demo's manager of the beleidsgroep logs
in with the second factor, lands on the region's dashboard, finds only the dashboard and the
logbook editions in the menu, downloads the issued edition (a Word file naming no case) and
is refused the group pages. A screenshot of the dashboard is written to tests/e2e/screenshots/.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import docx

from tests.e2e.session import TIMEOUT_MS, log_in

BELEIDSGROEPLID = "beleidsgroep@lindewaard.example"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PSEUDONYM = re.compile(r"\b[A-HJ-NP-Z2-9]{2}-[A-HJ-NP-Z2-9]{3}\b")


def _expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    return expect


def test_the_beleidsgroeplid_lands_on_the_dashboard_and_sees_no_case(browser, live_server):
    expect = _expect()
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    try:
        page = log_in(context, live_server, BELEIDSGROEPLID)

        expect(page).to_have_url(re.compile(r"/regios/\d+/dashboard$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Dashboard van "))
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        names = [name.strip() for name in menu.get_by_role("link").all_inner_texts()]
        assert names == ["Start", "Dashboard", "Logboekedities"], names
        for forbidden in ("Casussen", "Groepen", "Casusgroepen", "Mijn acties", "Logboek"):
            assert forbidden not in names
        editions = page.locator("section.dashboard-editions")
        expect(editions.get_by_role("heading", level=2, name="Logboekedities")).to_be_visible()
        expect(editions.locator("article.edition-card").first).to_contain_text("Beleidsgroep")
        assert not PSEUDONYM.search(page.locator("main").inner_text())
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "beleid-dashboard.png", full_page=True)

        links = editions.get_by_role("link", name=re.compile("^Downloaden \\(Word\\)"))
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert hrefs and all(re.fullmatch(r"/logboek/edities/\d+/downloaden", h) for h in hrefs)
        with page.expect_download() as download_info:
            links.first.click()
        download = download_info.value
        assert download.suggested_filename.endswith(".docx")
        document = docx.Document(BytesIO(Path(download.path()).read_bytes()))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Bevindingen" in text
        assert not PSEUDONYM.search(text)

        for path in ("/groepen/", "/logboek", "/acties"):
            response = page.goto(f"{live_server}{path}")
            assert response.status == 403, path
    finally:
        context.close()
