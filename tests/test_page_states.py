"""Pages that broke only in a state the seeded data never has: an archived group.

Issue 12: "as beheerder, archive a group and open its page: 500 ('confirm' is undefined in the
group page's reopen button)". Every role that may see the group opens its page, and every
page about the group linked from it (meetings, cases, members, criteria), over HTTP with CSRF
on; none may answer with a server error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.users.models import Role
from tests.helpers import AuthActions, post_form

TEMPLATES = Path(__file__).resolve().parents[1] / "facilitator" / "templates"
#: Pages about the group, its meetings and its cases.
GROUP_PAGES = re.compile(r'href="(/(?:groepen|bijeenkomsten|casussen)/\d+[^"#?]*)"')


def logged_in(app, email: str):
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 302, email
    return client


def archive(app, world) -> None:
    admin = logged_in(app, f"{Role.BEHEERDER.value}@noord.example")
    url = f"/groepen/{world.group.id}/archiveren"
    assert post_form(admin, url).status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseGroup, world.group.id).active is False


@pytest.mark.parametrize(
    "email",
    [
        f"{Role.BEHEERDER.value}@noord.example",
        f"{Role.PROJECTLEIDER.value}@noord.example",
        f"{Role.PROCESBEGELEIDER.value}@noord.example",
        f"{Role.DEELNEMER.value}@noord.example",
        "extra@noord.example",
    ],
)
def test_every_role_that_sees_an_archived_group_opens_it_and_its_pages(app, world, email):
    archive(app, world)
    client = logged_in(app, email)
    page = client.get(f"/groepen/{world.group.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "gearchiveerd" in html
    linked = sorted(set(GROUP_PAGES.findall(html)) - {f"/groepen/{world.group.id}"})
    assert any(link.startswith("/bijeenkomsten/") for link in linked), linked
    for link in linked:
        response = client.get(link)
        assert response.status_code == 200, f"{email}: {link} answered {response.status_code}"


@pytest.mark.parametrize("role", [Role.BEHEERDER, Role.PROJECTLEIDER])
def test_a_manager_reopens_an_archived_group_from_its_page(app, world, role):
    archive(app, world)
    client = logged_in(app, f"{role.value}@noord.example")
    page = client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    reopen = f"/groepen/{world.group.id}/heropenen"
    assert f'action="{reopen}"' in page
    assert "Groep heropenen" in page
    response = post_form(client, reopen, token_from=f"/groepen/{world.group.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseGroup, world.group.id).active is True


def test_no_template_hands_a_form_object_to_the_confirm_button():
    """The confirm button makes its own token: a view can no longer forget to pass one."""
    calls = [
        (path.relative_to(TEMPLATES), call)
        for path in TEMPLATES.rglob("*.html")
        for call in re.findall(r"confirm_button\((.*?)\) \}\}", path.read_text(encoding="utf-8"))
    ]
    assert len(calls) > 10
    wrong = [(str(path), call) for path, call in calls if re.search(r",\s*confirm\b", call)]
    assert not wrong, wrong
