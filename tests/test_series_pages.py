"""Every series page valid HTML with unique ids, in each state a person can bring it to: the
rhythm form (also refused), the preview (also with refused rows and after an update), the
extension, the end's confirmation, the series page, and the meeting's page and edit form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from facilitator.localtime import local_today
from tests.helpers import post_form
from tests.html_checker import check_pages, duplicate_ids, vnu_command
from tests.series_helpers import (
    plan_world_series,
    preview_rows,
    preview_url,
    rows_form,
    settings,
)


def _pages(client, world) -> dict[str, str]:
    group = world.group.id
    plan = f"/groepen/{group}/reeksen/nieuw"
    url = preview_url(group, count="3")
    rows = preview_rows(client.get(url).get_data(as_text=True))
    past = [dict(rows[0], day=(local_today() - timedelta(days=1)).isoformat()), *rows[1:]]
    series = plan_world_series(world, count=3)
    meeting = series.meetings[0].id
    pages = {
        "rhythm": client.get(plan),
        "rhythm refused": client.get(preview_url(group, first_date="", location="\u202e")),
        "preview": client.get(url),
        "preview refused": post_form(
            client, plan, {**settings(count="3"), **rows_form(past)}, token_from=url
        ),
        "preview updated": post_form(
            client,
            plan,
            {
                **settings(count="3"),
                **rows_form([dict(rows[0], drop=True), *rows[1:]]),
                "refresh": "Voorbeeld bijwerken",
            },
            token_from=url,
        ),
        "series": client.get(f"/reeksen/{series.id}"),
        "extend": client.get(f"/reeksen/{series.id}/verlengen?count=2"),
        "end": client.get(f"/reeksen/{series.id}/beeindigen"),
        "meeting": client.get(f"/bijeenkomsten/{meeting}"),
        "meeting edit": client.get(f"/bijeenkomsten/{meeting}/bewerken"),
        "group": client.get(f"/groepen/{group}"),
    }
    statuses = {name: r.status_code for name, r in pages.items()}
    assert statuses == {
        **dict.fromkeys(pages, 200),
        "rhythm refused": 422,
        "preview refused": 422,
    }
    return {name: r.get_data(as_text=True) for name, r in pages.items()}


def test_every_series_page_is_valid_html_with_unique_ids(client, auth, world):
    checker = vnu_command()
    if checker is None:
        pytest.skip("the Nu HTML Checker needs java and .cache/vnu/vnu.jar: run `make vnu`")
    auth.login("procesbegeleider@noord.example")
    pages = _pages(client, world)
    assert {name: duplicate_ids(html) for name, html in pages.items() if duplicate_ids(html)} == {}
    assert check_pages(pages, checker) == {}
    assert "<script>" not in "".join(pages.values())
