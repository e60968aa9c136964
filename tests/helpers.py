"""Test helpers that act like a browser: read the CSRF token from a page, then post."""

from __future__ import annotations

import re

from tests.factories import PASSWORD

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    """Fetch a page and return the CSRF token of its first form."""
    response = client.get(url)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {response.status_code})"
    return match.group(1)


def post_form(
    client, url: str, data: dict | None = None, *, token_from: str | None = None, **kwargs
):
    """Post a form the way a browser does: with the token the page handed out."""
    token = csrf_token(client, token_from or url)
    return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)


class AuthActions:
    def __init__(self, client) -> None:
        self._client = client

    def login(self, email: str, password: str = PASSWORD, next_url: str = ""):
        data = {"email": email, "password": password}
        if next_url:
            data["next"] = next_url
        return post_form(self._client, "/login", data)

    def logout(self):
        return post_form(self._client, "/logout", token_from="/account/")
