"""Crawling the app as a person with a browser would: links, pages, forms and how to fill them.

Shared by the crawls of the suite: tests/test_form_crawl.py (no form stores a BSN) and
tests/test_page_crawl.py (every page in every state answers without a server error, in valid
HTML). A page is fetched with the Flask test client of a logged-in user (CSRF on); its links and
its POST forms are parsed with the standard library's HTMLParser.
"""

from __future__ import annotations

import functools
import re
import string
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from itertools import count
from urllib.parse import urljoin, urlsplit

from werkzeug.datastructures import MultiDict

from facilitator.demo.seed import DEFAULT_PASSWORD
from tests.helpers import AuthActions

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

TEXT_TYPES = {"text", "search", "textarea"}
NOT_SENT = {"submit", "button", "reset", "image", "file"}


# --- BSNs, for the filler's identities ------------------------------------------------------

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def passes_elfproef(digits: str) -> bool:
    return (
        len(digits) == 9
        and sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0
    )


def valid_bsns(first: int) -> Iterator[str]:
    """Yield the valid BSNs from ``first`` on; every submit takes its own, to be traced."""
    return (str(n) for n in count(first) if passes_elfproef(str(n)))


# --- pages and forms ----------------------------------------------------------------------------


@dataclass
class Control:
    type: str  # an input's type, or "textarea" or "select"
    name: str
    value: str = ""
    checked: bool = False
    typable: bool = True  # not read-only, disabled or hidden from view
    disabled: bool = False
    required: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)

    @property
    def is_free_text(self) -> bool:
        return self.type in TEXT_TYPES and self.typable


@dataclass
class Form:
    page: str
    action: str
    controls: list[Control] = field(default_factory=list)
    method: str = "post"  # "get": a filter or search form, sent as a query string

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
        self.get_forms: list[Form] = []  # filters and searches: their data is a query string
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
        elif tag == "form":
            method = "post" if a.get("method", "").lower() == "post" else "get"
            action = local_path(a.get("action") or self.url, self.url)
            # A browser replaces the query of a GET form's action with the form's data.
            self._form = Form(self.url, action if method == "post" else action.split("?")[0])
            self._form.method = method
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
            self._select = Control(
                "select", a["name"], disabled="disabled" in a, required="required" in a
            )
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
            # As a browser reads it: line breaks as LF, the one right after the tag dropped.
            value = self._textarea.value.replace("\r\n", "\n").replace("\r", "\n")
            self._textarea.value = value.removeprefix("\n")
            self._textarea = None
        elif tag in ("option", "select"):
            self._end_option()
            if tag == "select":
                self._select = None
        elif tag == "form" and self._form is not None:
            (self.forms if self._form.method == "post" else self.get_forms).append(self._form)
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
    #: the same for the GET forms (filters, searches)
    get_forms: dict[tuple, list[Form]] = field(default_factory=dict)
    #: page -> the page whose link led to it; pages the crawl made up itself have none
    came_from: dict[str, str] = field(default_factory=dict)
    found: Form | None = None  # the form the crawl was told to look for


def log_in(app, email: str):
    client = app.test_client()
    response = AuthActions(client).login(email, DEFAULT_PASSWORD)
    assert response.status_code == 302, f"{email} cannot log in with the demo password"
    return client


@dataclass
class Answer:
    """What one GET of the crawl answered: the status, the type, and the page or the error."""

    url: str
    came_from: str | None
    status: int
    mimetype: str = ""
    body: str = ""
    #: Where a redirect leads (the start page sends a beleidsgroeplid to the dashboard).
    location: str = ""


def fetch(client, url: str, came_from: str | None = None) -> Answer:
    """GET ``url``; an exception in the app (a browser would get a 500 page) is an answer too."""
    try:
        response = client.get(url)
    except Exception as error:  # reported by the caller with every other answer
        return Answer(url, came_from, 500, body=f"{type(error).__name__}: {error}"[:500])
    # A download (a Word file) is an answer like a page, its bytes no text to read.
    textual = response.mimetype.startswith("text/") or response.mimetype.endswith(
        ("json", "javascript", "xml")
    )
    body = response.get_data(as_text=True) if textual else f"({len(response.data)} bytes)"
    location = response.headers.get("Location", "")
    return Answer(url, came_from, response.status_code, response.mimetype, body, location)


def crawl(
    client,
    until: Callable[[Form], bool] | None = None,
    answered: Callable[[Answer], None] | None = None,
) -> Crawl:
    """Follow every local link from "/" (bounded) and collect every POST form on the way.

    The next page is one of the kind (path with numbers replaced) visited least so far: the
    first case, meeting or user page before the second of any, so the page budget meets every
    kind of page, whatever the data. With ``until``, stop at the first form it accepts; with
    ``answered``, every answer (whatever its status) is handed to it.
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
        answer = fetch(client, url, result.came_from.get(url))
        if answered is not None:
            answered(answer)
        if url == "/" and answer.status in (302, 303) and answer.location:
            visit_later(local_path(answer.location, url), url)  # a start page elsewhere
        if answer.status != 200 or answer.mimetype != "text/html":
            continue
        result.pages.append(url)
        page = parse(url, answer.body)
        for form in page.forms:
            if until is not None and until(form):
                result.found = form
                return result
            if not SKIPPED_ACTION.search(form.action):
                _collect(result.forms, form)
            # The step rail posts; each step is a page of its own, reached with ?stap=.
            if form.action.endswith("/stap"):
                ref = next((c.value for c in form.controls if c.name == "ref"), "")
                visit_later(form.action.removesuffix("stap") + f"leiden?stap={ref}", None)
        for form in page.get_forms:
            _collect(result.get_forms, form)
        for link in page.links:
            visit_later(link, url)
        # A held meeting's screen, where fields are corrected, is linked from nowhere.
        if re.fullmatch(r"/bijeenkomsten/\d+", url):
            visit_later(f"{url}/leiden", None)
    return result


def _collect(forms: dict[tuple, list[Form]], form: Form) -> None:
    kind = forms.setdefault(form.signature, [])
    if form.identity not in {f.identity for f in kind}:
        kind.append(form)


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
                # The selected option, as a browser sends it: a person leaves an optional
                # choice that starts empty alone (an achterwacht), and makes a required one.
                chosen = [
                    v for v, selected in control.options if selected and (v or not control.required)
                ]
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
    """The first form of this kind still offered, fetched again along the link to its page.

    A page that fails on the way (a 5xx) offers nothing here; the crawls request their pages
    again after submitting, and report it there.
    """
    for original in kind:
        came_from = crawled.came_from.get(original.page)
        if came_from is not None:
            answer = fetch(client, came_from)
            if answer.status != 200 or original.page not in parse(came_from, answer.body).links:
                continue
        answer = fetch(client, original.page)
        if answer.status == 200:
            for form in parse(original.page, answer.body).forms:
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
