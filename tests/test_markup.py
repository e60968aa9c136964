"""Markup every page keeps, whatever the Nu HTML Checker is given (issue 12, "Markup").

* Every id once per page: the CSRF field (one per form) and every other hidden input carry no
  id, and the rows of the attendance form each have their own.
* A required select starts with an empty "Kies …" option, and the empty choice is refused with
  one clear message, also for a select of numbers (WTForms would add "could not coerce").
* No form inside an element that may hold only phrasing content (p, span, a label, ...).

The pages are those of a world with a running meeting (every step of its facilitation screen),
a planned one with an agenda, an archived group and a locked, deactivated account, opened by
every role over HTTP; tests/test_page_crawl.py checks the demo's pages with the checker itself.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select
from wtforms import RadioField, SelectField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired

import facilitator
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.forms import BaseForm
from facilitator.groups import services as groups
from facilitator.meetings import run
from facilitator.meetings.models import AgendaItem
from facilitator.regions.models import Organisation
from facilitator.users import services as users
from facilitator.users.models import Role
from facilitator.widgets import MultiCheckboxField, RequiredSelectField
from tests.factories import make_case, make_meeting
from tests.helpers import AuthActions, post_form
from tests.html_checker import duplicate_ids

#: Elements whose content model is phrasing content only: a form may not stand in them.
PHRASING_ONLY = {
    "p", "span", "a", "label", "strong", "em", "b", "i", "small", "code", "button", "h1", "h2",
    "h3", "h4", "h5", "h6", "dt", "legend", "summary", "caption", "th",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
CHOOSE = "Kies …"
CHOOSE_REFUSED = "Kies een van de opties."


class Markup(HTMLParser):
    """What a page's markup breaks: forms in phrasing elements, required selects that do not
    start empty, hidden inputs with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.selects: list[dict] = []  # each required select: name and its first option
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            inside = [t for t in self.open if t in PHRASING_ONLY]
            if inside:
                self.problems.append(f"form {attributes.get('action')} inside <{inside[-1]}>")
        if tag == "input" and attributes.get("type") == "hidden" and "id" in attributes:
            self.problems.append(f"hidden input {attributes.get('name')} has id {attributes['id']}")
        if tag == "select":
            self._select = {"name": attributes.get("name"), "required": "required" in attributes}
        if tag == "option" and self._select is not None and "first" not in self._select:
            self._select["first"] = attributes.get("value")
            self._select["label"] = ""
        if tag not in VOID:
            self.open.append(tag)

    def handle_data(self, data):
        if self._select is not None and self._select.get("label") == "":
            self._select["label"] = data.strip()

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            if self._select["required"]:
                self.selects.append(self._select)
            self._select = None
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass


def problems_of(html: str) -> list[str]:
    markup = Markup()
    markup.feed(html)
    markup.close()
    found = list(markup.problems)
    found += [f"ids used twice: {', '.join(ids)}" for ids in [duplicate_ids(html)] if ids]
    found += [
        f"required select {s['name']} starts with {s.get('first')!r} ({s.get('label')!r})"
        for s in markup.selects
        if s.get("first") != "" or s.get("label") != CHOOSE
    ]
    return found


def required_selects(html: str) -> list[str]:
    markup = Markup()
    markup.feed(html)
    return [s["name"] for s in markup.selects]


def logged_in(app, email: str):
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 302, email
    return client


@pytest.fixture
def scene(app, world):
    """The world, plus a planned meeting with two cases, an archived group and a locked,
    deactivated account: the states in which the pages below show their other forms."""
    leader = world.users[Role.PROCESBEGELEIDER]
    deelnemer = world.users[Role.DEELNEMER]
    planned = make_meeting(
        world.group,
        leader,
        [make_case(world.group, deelnemer), make_case(world.group, deelnemer)],
        start=False,
        when=utcnow() + timedelta(days=7),
    )
    archived = groups.create_group(world.region, name="Oude werkgroep", rhythm="ad_hoc", actor=None)
    groups.add_member(archived, leader, "procesbegeleider", actor=None)
    groups.set_group_active(archived, False, actor=None)
    users.deactivate_user(world.extra_member, actor=None)
    world.extra_member.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    return world, planned, archived


def pages_of(world, planned, archived) -> dict[str, list[str]]:
    steps = [
        f"/bijeenkomsten/{world.meeting.id}/leiden?stap={s.ref}" for s in run.rail(world.meeting)
    ]
    common = [
        "/",
        "/account/",
        "/account/wachtwoord",
        "/groepen/",
        f"/groepen/{world.group.id}",
        f"/bijeenkomsten/{world.meeting.id}",
        f"/bijeenkomsten/{planned.id}",
    ]
    cases = [
        f"/casussen/{world.fictional_case.id}",
        f"/casussen/{world.consent_case.id}",
        f"/groepen/{world.group.id}/casussen/nieuw",
    ]
    return {
        f"{Role.PROCESBEGELEIDER.value}@noord.example": [
            *common,
            *cases,
            *steps,
            f"/groepen/{world.group.id}/leden",
            f"/groepen/{archived.id}",
            f"/bijeenkomsten/{planned.id}/bewerken",
            f"/groepen/{world.group.id}/bijeenkomsten/nieuw",
        ],
        f"{Role.DEELNEMER.value}@noord.example": [*common, *cases],
        f"{Role.PROJECTLEIDER.value}@noord.example": [
            *common,
            f"/groepen/{world.group.id}/bewerken",
            f"/groepen/{world.group.id}/criteria",
            f"/groepen/{archived.id}",
            "/groepen/nieuw",
        ],
        f"{Role.BEHEERDER.value}@noord.example": [
            "/",
            f"/groepen/{world.group.id}",
            f"/groepen/{archived.id}",
            f"/groepen/{world.group.id}/leden",
            "/groepen/nieuw",
            "/beheer/regios",
            "/beheer/regios/nieuw",
            f"/beheer/regios/{world.region.id}/verwijderen",
            "/beheer/organisaties",
            "/beheer/organisaties/nieuw",
            f"/beheer/organisaties/{world.gemeente.id}/bewerken",
            f"/beheer/organisaties/{world.gemeente.id}/verwijderen",
            "/beheer/gebruikers/",
            "/beheer/gebruikers/nieuw",
            f"/beheer/gebruikers/{world.extra_member.id}/bewerken",
            f"/beheer/gebruikers/{world.users[Role.DEELNEMER].id}/bewerken",
        ],
    }


def test_every_page_of_every_role_keeps_its_markup(app, scene):
    world, planned, archived = scene
    problems, selects, checked = [], set(), 0
    for email, urls in pages_of(world, planned, archived).items():
        client = logged_in(app, email)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{email}: {url} answered {response.status_code}"
            html = response.get_data(as_text=True)
            problems += [f"{email} {url}: {problem}" for problem in problems_of(html)]
            selects.update(required_selects(html))
            checked += 1
    assert not problems, "\n".join(problems)
    assert checked > 60
    # The pages held the forms these rules are about, so that passing proves something.
    assert {"case_id", "benefit", "owner_id", "role", "organisation_id", "kind"} <= selects


def test_the_pages_of_a_meeting_give_each_form_and_row_its_own_ids(app, scene):
    world, planned, _ = scene
    client = logged_in(app, f"{Role.PROCESBEGELEIDER.value}@noord.example")
    page = client.get(f"/bijeenkomsten/{planned.id}").get_data(as_text=True)
    assert page.count('name="csrf_token"') > 5
    assert 'id="csrf_token"' not in page
    # One attendance row per member, each with its own select; the hidden ids carry no id.
    statuses = re.findall(r'<select id="(rows-\d+-status)"', page)
    active = [m for m in world.group.memberships if m.user.active]
    assert len(statuses) == len(set(statuses)) == len(active) > 1
    assert 'id="user_id"' not in page
    # The footer's language form, on every page, has its token without an id too.
    footer = page[page.index('class="language-switch"') :]
    assert re.search(r'<input name="csrf_token" type="hidden" value="[^"]+">', footer)


def test_a_required_select_starts_empty_and_is_chosen_by_the_user(app, scene):
    _, planned, _ = scene
    client = logged_in(app, f"{Role.PROCESBEGELEIDER.value}@noord.example")
    page = client.get(f"/bijeenkomsten/{planned.id}").get_data(as_text=True)
    select = re.search(r'<select id="case_id" name="case_id" required>(.*?)</select>', page, re.S)
    assert select, "the agenda's case select"
    assert select.group(1).startswith(f'<option selected value="">{CHOOSE}</option>')


@pytest.mark.parametrize("sent", [{"user_id": ""}, {}], ids=["empty", "missing"])
def test_an_empty_choice_of_a_number_select_is_refused_with_one_message(app, world, sent):
    """WTForms would answer an empty choice of a select of numbers with "could not coerce" and
    "not a valid choice" besides "required": one message is shown, at the field."""
    client = logged_in(app, f"{Role.PROCESBEGELEIDER.value}@noord.example")
    url = f"/groepen/{world.group.id}/leden"
    members = len(world.group.memberships)
    response = post_form(client, url, {"role": "lid", **sent})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="user_id-error">{CHOOSE_REFUSED}</p>' in html
    assert html.count(CHOOSE_REFUSED) == 1
    assert "coerce" not in html and "Ongeldige keuze" not in html
    db.session.expire_all()
    assert len(db.session.get(type(world.group), world.group.id).memberships) == members


@pytest.mark.parametrize("sent", [{"case_id": ""}, {}], ids=["empty", "missing"])
def test_an_empty_case_for_the_agenda_is_refused_with_a_message(app, scene, sent):
    _, planned, _ = scene
    client = logged_in(app, f"{Role.PROCESBEGELEIDER.value}@noord.example")
    count_items = (
        select(func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == planned.id)
    )
    before = db.session.scalar(count_items)
    url = f"/bijeenkomsten/{planned.id}"
    response = post_form(client, f"{url}/agenda", sent, token_from=url, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Kies een casus van deze groep die nog niet op de agenda staat." in html
    assert "coerce" not in html
    db.session.expire_all()
    assert before == db.session.scalar(count_items)


def test_an_empty_choice_of_a_text_select_is_refused_at_its_field(app, world):
    client = logged_in(app, f"{Role.BEHEERDER.value}@noord.example")
    before = db.session.scalar(select(func.count()).select_from(Organisation))
    response = post_form(
        client,
        "/beheer/organisaties/nieuw",
        {"region_id": world.region.id, "name": "Werkbedrijf Noord", "kind": "", "domain": ""},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="kind-error">{CHOOSE_REFUSED}</p>' in html
    assert f'<p class="error" id="domain-error">{CHOOSE_REFUSED}</p>' in html
    assert before == db.session.scalar(select(func.count()).select_from(Organisation))
    # A real choice still goes through.
    chosen = post_form(
        client,
        "/beheer/organisaties/nieuw",
        {"region_id": world.region.id, "name": "Werkbedrijf Noord", "kind": "sw_bedrijf",
         "domain": "werk_inkomen"},
    )  # fmt: skip
    assert chosen.status_code == 302


def test_a_value_that_is_no_number_is_still_refused(app, scene):
    _, planned, _ = scene
    client = logged_in(app, f"{Role.PROCESBEGELEIDER.value}@noord.example")
    url = f"/bijeenkomsten/{planned.id}"
    response = post_form(
        client, f"{url}/agenda", {"case_id": "drie"}, token_from=url, follow_redirects=True
    )
    assert response.status_code in (200, 400)
    assert "drie" not in str(db.session.scalars(select(AgendaItem.case_id)).all())


def _form_classes() -> list[type]:
    for module in pkgutil.walk_packages(facilitator.__path__, "facilitator."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [BaseForm]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_required_select_of_every_form_starts_empty():
    """A select with DataRequired or InputRequired would render a required select whose first
    option is a real choice: it must be a RequiredSelectField."""
    wrong = []
    for cls in _form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if not isinstance(unbound, UnboundField):
                continue
            field_class = unbound.field_class
            if not issubclass(field_class, SelectField) or issubclass(
                field_class, (RequiredSelectField, MultiCheckboxField, RadioField)
            ):
                continue
            validators = unbound.kwargs.get("validators") or (
                unbound.args[1] if len(unbound.args) > 1 else ()
            )
            if any(isinstance(v, (DataRequired, InputRequired)) for v in validators or ()):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert not wrong, wrong
    assert len(_form_classes()) > 20
