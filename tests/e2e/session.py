"""What every browser test shares: the demo's accounts and a logged-in page."""

from __future__ import annotations

#: The demo's procesbegeleider of Casusgroep Lindewaard; every demo account has this password.
LEADER = "procesbegeleider@lindewaard.example"
PASSWORD = "lindewaard-oefenen"
#: Long enough for a slow CI machine, short enough that a broken page fails soon.
TIMEOUT_MS = 10_000


def log_in(context, base_url: str, email: str = LEADER):
    """A new page of ``context``, logged in as ``email`` (the procesbegeleider by default)."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    return page
