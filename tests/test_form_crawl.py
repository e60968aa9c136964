"""No form stores a BSN typed into its free text, found by crawling as every role (SECURITY.md P8).

The issue: "Every form of the product that stores free text refuses a valid BSN typed into it,
whatever role submits it (the identity fields of a case with consent excepted: they store it
encrypted). Check it by crawling the forms as each role, not only by listing them."

So the test names no form. On the seeded demo region it logs in as each role (a fresh client,
CSRF on), follows every local link from "/" and collects every ``<form method="post">`` with a
free-text control: an ``<input>`` of type text or search, or a ``<textarea>``, that a person can
type in (not read-only, disabled or hidden from view). The procesbegeleider first starts the
planned demo meeting, so the facilitation screen is reached too; its step rail posts, so each
step is visited as ``?stap=<ref>``. A held meeting's screen (where a procesbegeleider corrects a
field) is linked from no page, so it is visited from the meeting's page as ``.../leiden``.

Each distinct form (its action with ids replaced, plus its controls) is filled like a browser:
hidden values kept, the selected option kept (else the first non-empty one), every checkbox
ticked, an empty date, time, number, e-mail or password given a plausible value, the identity of
a case with consent a clean fictional one (it is stored encrypted). Before every submit the page
is fetched again, along the link that led to it, so tokens and versions are fresh and a form no
longer offered (a case already closed) is taken from another page that offers it. Then:

* BSN submits. "Cliënt met BSN ... besproken" with a BSN that passes the elfproef, its groups
  separated by dots ("2431.80.226"), zero-width spaces or en dashes, typed into every free-text
  field at once and then into each field alone (the others clean); with the personal-data
  confirmation left empty and ticked, since a BSN is refused, not confirmed. Each submit has a
  BSN of its own; after it every String/Text column of every table is searched for that BSN's
  digits (NFKC, any decimal digit, everything else dropped). A submit that stores a BSN and so
  uses its form up (closes the case) ends that form's BSN submits, leaving the other cases to
  the roles after it.
* A positive control. Every free-text field gets a clean marker of its own, and each marker must
  then be stored somewhere, which proves the fill is one the form accepts, so that the BSN check
  can fail. It runs after the BSN submits so that a one-shot form (closing a case, withdrawing
  consent) is still there for them; when the guard works they change nothing, so the control
  sees the state they saw.

A form that answers a BSN with an error (HTTP 500) instead of a refusal fails too. All failures
are reported together: role, form, fields, and the table.column the BSN landed in, followed by
the free-text forms each role found.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from itertools import count
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import String, select
from werkzeug.datastructures import MultiDict

from facilitator.demo.seed import DEFAULT_PASSWORD, DEMO_USERS
from facilitator.extensions import db
from tests.helpers import AuthActions

#: Who crawls: every role, both procesbegeleiders, and deelnemers from three organisations (the
#: first two brought a case with consent, so they see the consent forms). Deelnemers go first:
#: they may close or withdraw only their own organisation's cases, and a submit that is
#: accepted uses such a form up; a procesbegeleider has the group's other cases left.
LOGINS = [
    "ipscoach@lindewaard.example",
    "behandelaar@lindewaard.example",
    "klantmanager@lindewaard.example",
    "procesbegeleider@lindewaard.example",
    "procesbegeleider2@lindewaard.example",
    "projectleider@lindewaard.example",
    "beheer@lindewaard.example",
]
STARTS_THE_MEETING = "procesbegeleider@lindewaard.example"
MAX_PAGES = 150  # per role
MAX_PAGES_PER_PATTERN = 20  # pages whose paths differ only in numbers

#: Links not followed: logging out, the language switch, files and the scripts' JSON.
SKIPPED_LINK = re.compile(r"^/(?:static/|logout|taal)|\.json(?:\?|$)")
#: Forms not submitted: logging in and out, the language and the password forms.
SKIPPED_ACTION = re.compile(r"/(?:login|logout|taal|wachtwoord)(?:[/?]|$)")
#: The identity of a case with consent: stored encrypted (the issue's one exception), so it
#: gets a clean fictional identity, a new one each time (a known client is refused).
IDENTITY_FIELDS = ("full_name", "bsn", "client_number")
#: Text controls that take a format, not prose; they get a value of that format.
#: (A BSN in a phone field: tests/test_admin.py.)
FORMATTED = {
    "online_link": "https://vergadering.example/casustafel",
    "contact_phone": "030 123 45 67",
    "backup_phone": "+31 (0)30 765 43 21",
}
#: A radio group set to the option under which the most fields apply: a case with consent also
#: takes its purposes and where the signed form is kept.
PREFERRED_RADIO = {"mode": "toestemming"}
CONFIRMATION = "personal_data_confirmed"
#: Forms whose clean submit may store nothing (a search, a filter), with the reason. None today:
#: every free-text POST form found stores what is typed in it.
STORES_NOTHING: dict[str, str] = {}

TEXT_TYPES = {"text", "search", "textarea"}
NOT_SENT = {"submit", "button", "reset", "image", "file"}


# --- BSNs ---------------------------------------------------------------------------------------

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def passes_elfproef(digits: str) -> bool:
    return (
        len(digits) == 9
        and sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0
    )


def valid_bsns(first: int) -> Iterator[str]:
    """Yield the valid BSNs from ``first`` on; every submit takes its own, to be traced."""
    return (str(n) for n in count(first) if passes_elfproef(str(n)))


#: How a person might write a BSN: grouped with dots, or with an invisible or a look-alike
#: separator between the groups (neither may hide it).
SPELLINGS = {
    "dots": lambda d: f"{d[:4]}.{d[4:6]}.{d[6:]}",
    "zero-width spaces": lambda d: f"{d[:3]}\u200b{d[3:6]}\u200b{d[6:]}",
    "en dashes": lambda d: f"{d[:3]}\u2013{d[3:6]}\u2013{d[6:]}",
}


def bsn_text(spelled: str) -> str:
    return f"Cliënt met BSN {spelled} besproken"


@functools.cache  # the same values are searched after every submit
def digits_of(text: str) -> str:
    """Every decimal digit of text after NFKC, as ASCII, everything else dropped."""
    if text.isascii():
        return _NOT_DIGITS.sub("", text)
    return "".join(
        str(unicodedata.digit(char))
        for char in unicodedata.normalize("NFKC", text)
        if unicodedata.category(char) == "Nd"
    )


_NOT_DIGITS = re.compile(r"[^0-9]+")


# --- the database -------------------------------------------------------------------------------


def stored_texts() -> list[tuple[str, str]]:
    """Every value of every String/Text column of every table, as (table.column, value)."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String)]
            if columns:
                for row in connection.execute(select(*columns)):
                    found.extend(
                        (f"{table.name}.{column.name}", value)
                        for column, value in zip(columns, row, strict=True)
                        if isinstance(value, str) and value
                    )
    return found


def places_of_digits(digits: str, texts: list[tuple[str, str]]) -> list[str]:
    return sorted({place for place, value in texts if digits in digits_of(value)})


# --- pages and forms ----------------------------------------------------------------------------


@dataclass
class Control:
    type: str  # an input's type, or "textarea" or "select"
    name: str
    value: str = ""
    checked: bool = False
    typable: bool = True  # not read-only, disabled or hidden from view
    disabled: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)

    @property
    def is_free_text(self) -> bool:
        return self.type in TEXT_TYPES and self.typable


@dataclass
class Form:
    page: str
    action: str
    controls: list[Control] = field(default_factory=list)

    @property
    def pattern(self) -> str:
        return re.sub(r"/\d+(?=/|$)", "/<id>", self.action.split("?")[0])

    @functools.cached_property
    def signature(self) -> tuple:
        """Which forms are the same: the action with ids replaced, and the controls."""
        controls = {
            f"{c.name}:{c.type}{'*' if c.is_free_text else ''}"
            for c in self.controls
            if c.name != "csrf_token"
        }
        return (self.pattern, tuple(sorted(controls)))

    @functools.cached_property
    def identity(self) -> tuple:
        """Which form of its page this is: the action and the fixed hidden values."""
        hidden = {
            (c.name, c.value)
            for c in self.controls
            if c.type == "hidden" and c.name not in ("csrf_token", "version")
        }
        return (self.action, self.signature, tuple(sorted(hidden)))

    def free_text_names(self) -> list[str]:
        names = [c.name for c in self.controls if c.is_free_text]
        return [n for n in dict.fromkeys(names) if n not in IDENTITY_FIELDS and n not in FORMATTED]


class PageParser(HTMLParser):
    """The links and the POST forms (with their controls) of one page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Control | None = None
        self._select: Control | None = None
        self._option: list | None = None  # [value or None, selected, text]

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        typable = not ({"readonly", "disabled"} & a.keys()) and a.get("aria-hidden") != "true"
        if tag == "option" and self._select is not None:
            self._end_option()
            self._option = [a.get("value") if "value" in a else None, "selected" in a, ""]
        elif tag == "a" and a.get("href"):
            self.links.append(local_path(a["href"], self.url))
        elif tag == "form" and a.get("method", "").lower() == "post":
            self._form = Form(self.url, local_path(a.get("action") or self.url, self.url))
        elif self._form is None or not a.get("name"):
            return
        elif tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            if kind not in NOT_SENT:
                default = "on" if kind in ("checkbox", "radio") else ""
                self._form.controls.append(
                    Control(
                        kind,
                        a["name"],
                        a.get("value", default),
                        checked="checked" in a,
                        typable=typable,
                        disabled="disabled" in a,
                    )
                )
        elif tag == "textarea":
            self._textarea = Control(
                "textarea", a["name"], typable=typable, disabled="disabled" in a
            )
            self._form.controls.append(self._textarea)
        elif tag == "select":
            self._select = Control("select", a["name"], disabled="disabled" in a)
            self._form.controls.append(self._select)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None
        elif tag in ("option", "select"):
            self._end_option()
            if tag == "select":
                self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None

    def _end_option(self):
        if self._option is not None and self._select is not None:
            value, selected, text = self._option
            self._select.options.append((text.strip() if value is None else value, selected))
        self._option = None


def local_path(href: str, base: str) -> str:
    """The path and query of a link on page ``base``; "" for another site or a fragment."""
    parts = urlsplit(urljoin(f"http://localhost{base}", href))
    if parts.scheme != "http" or parts.netloc != "localhost" or not href.split("#")[0]:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def parse(url: str, html: str) -> PageParser:
    parser = PageParser(url)
    parser.feed(html)
    parser.close()
    return parser


# --- crawling -----------------------------------------------------------------------------------


@dataclass
class Crawl:
    pages: list[str] = field(default_factory=list)
    #: signature -> each form of that kind found, with its own page and hidden values
    forms: dict[tuple, list[Form]] = field(default_factory=dict)
    #: page -> the page whose link led to it; pages the crawl made up itself have none
    came_from: dict[str, str] = field(default_factory=dict)
    found: Form | None = None  # the form the crawl was told to look for


def log_in(app, email: str):
    client = app.test_client()
    response = AuthActions(client).login(email, DEFAULT_PASSWORD)
    assert response.status_code == 302, f"{email} cannot log in with the demo password"
    return client


def crawl(client, until: Callable[[Form], bool] | None = None) -> Crawl:
    """Follow every local link from "/" (bounded) and collect every POST form on the way.

    The next page is one of the kind (path with numbers replaced) visited least so far: the
    first case, meeting or user page before the second of any, so the page budget meets every
    kind of page, whatever the data. With ``until``, stop at the first form it accepts.
    """
    result = Crawl()
    queue, seen = ["/"], {"/"}
    queued: dict[str, int] = defaultdict(int)
    visited: dict[str, int] = defaultdict(int)

    def kind_of(path: str) -> str:
        return re.sub(r"\d+", "<id>", path)

    def visit_later(path: str, came_from: str | None) -> None:
        if not path or path in seen or SKIPPED_LINK.search(path):
            return
        if queued[kind_of(path)] >= MAX_PAGES_PER_PATTERN:
            return
        queued[kind_of(path)] += 1
        seen.add(path)
        queue.append(path)
        if came_from is not None:
            result.came_from[path] = came_from

    while queue and len(result.pages) < MAX_PAGES:
        url = min(queue, key=lambda path: visited[kind_of(path)])
        queue.remove(url)
        visited[kind_of(url)] += 1
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        result.pages.append(url)
        page = parse(url, response.get_data(as_text=True))
        for form in page.forms:
            if until is not None and until(form):
                result.found = form
                return result
            if not SKIPPED_ACTION.search(form.action):
                kind = result.forms.setdefault(form.signature, [])
                if form.identity not in {f.identity for f in kind}:
                    kind.append(form)
            # The step rail posts; each step is a page of its own, reached with ?stap=.
            if form.action.endswith("/stap"):
                ref = next((c.value for c in form.controls if c.name == "ref"), "")
                visit_later(form.action.removesuffix("stap") + f"leiden?stap={ref}", None)
        for link in page.links:
            visit_later(link, url)
        # A held meeting's screen, where fields are corrected, is linked from nowhere.
        if re.fullmatch(r"/bijeenkomsten/\d+", url):
            visit_later(f"{url}/leiden", None)
    return result


def start_planned_meeting(client) -> str:
    """Start the first planned meeting the user meets, as a procesbegeleider does."""
    start = crawl(client, until=lambda form: form.action.endswith("/starten")).found
    if start is None:
        return ""
    response = client.post(start.action, data=Filler().fill(start, {}, confirm=False))
    assert response.status_code == 302, f"the meeting of {start.page} did not start"
    return start.page


# --- filling and submitting ---------------------------------------------------------------------


class Filler:
    """Fill a form as a person with a browser would; every value it makes up is new."""

    def __init__(self) -> None:
        self.serial = count(1)
        self.identity_bsns = valid_bsns(111_222_333)
        self.identity_bsns_used: list[str] = []

    def letters(self) -> str:
        n, word = next(self.serial), ""
        while n:
            n, rest = divmod(n, 26)
            word += string.ascii_lowercase[rest]
        return word

    def made_up(self, control: Control) -> str:
        """A value for a non-text control that is empty."""
        today = date.today()
        if control.type == "date":
            if "birth" in control.name:
                return "1985-03-14"
            if control.name == "given_on":
                return today.isoformat()
            if control.name == "date":  # a meeting: next week
                return (today + timedelta(days=7)).isoformat()
            # A due date or end date: well after any demo meeting.
            return (today + timedelta(days=180)).isoformat()
        if control.type == "time":
            return "14:00"
        if control.type == "number":
            return "60"
        if control.type == "email":
            return f"controle.{self.letters()}@lindewaard.example"
        if control.type == "password":
            return "een lange zin als wachtwoord voor de controle"
        return ""

    def identity(self, name: str) -> str:
        if name == "full_name":
            return f"Fenna Fictief-{self.letters().capitalize()}"
        if name == "bsn":
            self.identity_bsns_used.append(next(self.identity_bsns))
            return self.identity_bsns_used[-1]
        return f"KN-{self.letters().upper()}"

    def fill(self, form: Form, texts: dict[str, str], *, confirm: bool) -> MultiDict:
        """What the browser sends, with ``texts`` typed into the free-text fields."""
        data: list[tuple[str, str]] = []
        radios: dict[str, list[Control]] = defaultdict(list)
        for control in form.controls:
            name = control.name
            if control.disabled:
                continue
            if control.type == "radio":
                radios[name].append(control)
            elif control.type == "checkbox":
                if name != CONFIRMATION or confirm:
                    data.append((name, control.value))
            elif control.type == "select":
                chosen = [v for v, selected in control.options if selected and v]
                filled = [v for v, _ in control.options if v]
                data.append((name, (chosen or filled or [""])[0]))
            elif control.is_free_text and name in texts:
                data.append((name, texts[name]))
            elif control.is_free_text and name in IDENTITY_FIELDS:
                data.append((name, self.identity(name)))
            elif control.is_free_text and name in FORMATTED:
                data.append((name, FORMATTED[name]))
            else:
                data.append((name, control.value or self.made_up(control)))
        for name, options in radios.items():
            values = [o.value for o in options]
            checked = [o.value for o in options if o.checked]
            preferred = PREFERRED_RADIO.get(name)
            data.append((name, preferred if preferred in values else (checked or values)[0]))
        return MultiDict(data)


def offered_form(client, crawled: Crawl, kind: list[Form]) -> Form | None:
    """The first form of this kind still offered, fetched again along the link to its page."""
    for original in kind:
        came_from = crawled.came_from.get(original.page)
        if came_from is not None:
            response = client.get(came_from)
            if (
                response.status_code != 200
                or original.page not in parse(came_from, response.get_data(as_text=True)).links
            ):
                continue
        response = client.get(original.page)
        if response.status_code == 200:
            for form in parse(original.page, response.get_data(as_text=True)).forms:
                if form.identity == original.identity:
                    return form
    return None


def submit(client, form: Form, data: MultiDict) -> tuple[int, str]:
    """Post the form; return the status and the errors the answer shows.

    An exception in the app (a browser would get a 500 page) is returned, not raised, so that
    every other form is still checked.
    """
    try:
        response = client.post(form.action, data=data)
    except Exception as error:  # reported with the other problems, the crawl goes on
        return 500, f"{type(error).__name__}: {error}"[:300]
    if response.status_code == 302:
        return 302, ""  # a redirect's flash message is not followed
    html = response.get_data(as_text=True)
    errors = re.findall(r'class="(?:error|flash flash-error)"[^>]*>(.*?)</p>', html, re.S)
    shown = " | ".join(re.sub(r"<[^>]+>|\s+", " ", error).strip() for error in errors)
    return response.status_code, shown[:300]


@dataclass
class Leak:
    role: str
    form: str
    fields: tuple[str, ...]
    places: tuple[str, ...]
    how: str  # the spelling, and whether the confirmation was ticked
    used_up: bool = False  # the submit used the form up (closed the case, ...)


def check_forms(client, role: str, crawled: Crawl, filler: Filler, bsns) -> tuple[list, list]:
    """Submit the BSN variants, then the control, to every free-text form one role found.

    Return the BSNs stored, and the other problems: a form that fails (HTTP 500), a control
    whose text was not stored.
    """
    leaks: list[Leak] = []
    other: list[str] = []
    for kind in crawled.forms.values():
        names = kind[0].free_text_names()
        if not names:
            continue
        action = kind[0].pattern
        # Each spelling in every field at once and in each field alone; the confirmation
        # ticked once per spelling (it is one flag for the whole form).
        targets = [names] + ([[n] for n in names] if len(names) > 1 else [])
        variants = [(s, False, t) for s in SPELLINGS for t in targets]
        if any(c.name == CONFIRMATION for c in kind[0].controls):
            variants += [(s, True, names) for s in SPELLINGS]
        form = None
        failures: dict[tuple[str, str], list[str]] = defaultdict(list)
        for spelling, confirm, target in variants:
            # A refused submit changes nothing, so its form can be filled again as it is.
            form = form or offered_form(client, crawled, kind)
            if form is None:
                break
            bsn, tag = next(bsns), filler.letters()
            texts = {n: f"Schone tekst {tag} {i}" for i, n in enumerate(names)}
            texts |= dict.fromkeys(target, bsn_text(SPELLINGS[spelling](bsn)))
            status, shown = submit(client, form, filler.fill(form, texts, confirm=confirm))
            how = spelling + (" (confirmed)" if confirm else "")
            if status >= 500:
                failures[", ".join(target), shown].append(how)
            if places := places_of_digits(bsn, stored_texts()):
                again = offered_form(client, crawled, kind)
                used_up = again is None or again.identity != form.identity
                leaks.append(Leak(role, action, tuple(target), tuple(places), how, used_up))
                if used_up:
                    break  # one such form per leak is enough: later roles need the others
            if status not in (200, 422):
                form = None  # it may have changed something: fetch the form again
        other += [
            f"{role}: {action} fails (HTTP 500: {error}) on a BSN typed into {fields}; "
            f"written with {', '.join(hows)}"
            for (fields, error), hows in failures.items()
        ]
        form = offered_form(client, crawled, kind)
        if form is None:
            if not any(leak.form == action and leak.role == role for leak in leaks):
                other.append(f"{role}: {action} was not offered again for the control")
            continue
        tag = filler.letters()
        markers = {n: f"Controle-tekst {tag} {i}" for i, n in enumerate(names)}
        status, shown = submit(client, form, filler.fill(form, markers, confirm=False))
        texts = [value for _, value in stored_texts()]
        missing = [n for n, marker in markers.items() if not any(marker in t for t in texts)]
        if missing and action not in STORES_NOTHING:
            other.append(
                f"{role}: {action} stored no clean text typed into {', '.join(missing)} "
                f"(HTTP {status}{': ' + shown if shown else ''}), so its BSN check proves nothing"
            )
    return leaks, other


def describe(leaks: list[Leak]) -> list[str]:
    """One line per role, form, fields and columns, naming every spelling that got through."""
    grouped: dict[tuple, list[Leak]] = defaultdict(list)
    for leak in leaks:
        grouped[leak.role, leak.form, leak.fields, leak.places].append(leak)
    lines = []
    for (role, form, fields, places), same in grouped.items():
        used_up = " (this used the form up; no more spellings tried)" if same[-1].used_up else ""
        lines.append(
            f"{role}: {form} stored a BSN typed into {', '.join(fields)} "
            f"in {', '.join(places)}; written with {', '.join(dict.fromkeys(x.how for x in same))}"
            f"{used_up}"
        )
    return lines


# --- the tests ----------------------------------------------------------------------------------


def test_the_bsns_pass_the_elfproef_and_are_found_in_any_spelling():
    assert passes_elfproef("111222333")  # the well-known test BSN
    assert not passes_elfproef("123456789")
    assert not passes_elfproef("243180217")
    bsns = valid_bsns(243_180_217)
    first, second = next(bsns), next(bsns)
    assert first == "243180226"
    assert passes_elfproef(second)
    assert second > first
    for spell in SPELLINGS.values():
        assert first in digits_of(bsn_text(spell(first)))
    fullwidth = "".join(chr(ord(d) - ord("0") + 0xFF10) for d in first)
    assert first in digits_of(f"BSN {fullwidth}")
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in first)
    assert first in digits_of(f"BSN {arabic_indic}")


def test_a_form_is_filled_as_a_browser_fills_it():
    html = """
    <form method="post" action="/x/1/opslaan">
      <input type="hidden" name="csrf_token" value="t">
      <input name="title"><textarea name="notes">old</textarea>
      <textarea name="list" aria-hidden="true">kept</textarea>
      <input type="text" name="shown" readonly value="as is">
      <select name="who"><option value="">—</option><option value="7">A</option></select>
      <select name="level"><option>laag</option><option selected>hoog</option></select>
      <input type="radio" name="mode" value="fictief" checked>
      <input type="radio" name="mode" value="toestemming">
      <input type="checkbox" name="signal" value="y">
      <input type="checkbox" name="personal_data_confirmed" value="y">
      <input type="date" name="due_on"><input type="time" name="time">
      <button type="submit" name="go">Save</button>
    </form>
    <form method="get" action="/zoek"><input name="q"></form>
    <a href="../y?pagina=2#top">next</a>
    """
    page = parse("/x/1", html)
    assert page.links == ["/y?pagina=2"]
    [form] = page.forms
    assert form.pattern == "/x/<id>/opslaan"
    assert form.free_text_names() == ["title", "notes"]
    data = Filler().fill(form, {"title": "T", "notes": "N"}, confirm=False)
    assert data["csrf_token"] == "t"
    assert (data["title"], data["notes"], data["list"], data["shown"]) == (
        "T",
        "N",
        "kept",
        "as is",
    )
    assert (data["who"], data["level"], data["mode"]) == ("7", "hoog", "toestemming")
    assert data["signal"] == "y"
    assert CONFIRMATION not in data
    assert data["time"] == "14:00"
    assert date.fromisoformat(data["due_on"]) > date.today()
    assert CONFIRMATION in Filler().fill(form, {}, confirm=True)


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return {login.email: login for login in DEMO_USERS}


def test_no_free_text_form_of_any_role_stores_a_bsn_in_any_spelling(app, demo):
    filler = Filler()
    already = digits_of(" ".join(value for _, value in stored_texts()))
    bsns = (b for b in valid_bsns(243_180_217) if b not in already)
    leaks: list[Leak] = []
    other: list[str] = []
    coverage: list[str] = []
    # The planned meeting is started first, so that every role meets a running meeting.
    clients = {STARTS_THE_MEETING: log_in(app, STARTS_THE_MEETING)}
    started = start_planned_meeting(clients[STARTS_THE_MEETING])
    assert started, f"{STARTS_THE_MEETING} found no planned meeting to start"
    for email in LOGINS:
        role = f"{demo[email].role.value} {email.split('@')[0]}"
        client = clients.get(email) or log_in(app, email)
        crawled = crawl(client)
        free_text = {s: k for s, k in crawled.forms.items() if k[0].free_text_names()}
        assert free_text, f"{role} found no free-text form in {len(crawled.pages)} pages"
        coverage.append(
            f"{role} ({len(crawled.pages)} pages): "
            + "; ".join(
                dict.fromkeys(
                    f"{k[0].pattern} [{', '.join(k[0].free_text_names())}]"
                    for k in free_text.values()
                )
            )
        )
        if email == STARTS_THE_MEETING:
            reached = {k[0].pattern for k in free_text.values()}
            assert "/bijeenkomsten/<id>/veld" in reached, "the facilitation screen was not reached"
        role_leaks, role_other = check_forms(client, role, crawled, filler, bsns)
        leaks += role_leaks
        other += role_other

    texts = stored_texts()
    in_plain = [
        f"the identity BSN {bsn} of a case with consent is stored in plain text in {place}"
        for bsn in filler.identity_bsns_used
        for place in places_of_digits(bsn, texts)
    ]
    problems = describe(leaks) + other + in_plain
    assert not problems, "\n".join(
        [f"{len(problems)} problems:", *problems, "", "Free-text forms checked:", *coverage]
    )
