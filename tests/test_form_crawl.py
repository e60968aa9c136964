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
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import String, select

from facilitator.demo.seed import DEMO_REGION, DEMO_USERS
from facilitator.exports import document, editions
from facilitator.extensions import db
from facilitator.privacy.text_columns import DIGESTS
from facilitator.regions.models import Region
from tests.crawling import (
    CONFIRMATION,
    Crawl,
    Filler,
    crawl,
    log_in,
    offered_form,
    parse,
    passes_elfproef,
    start_planned_meeting,
    submit,
    valid_bsns,
)

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
#: Forms whose clean submit may store nothing (a search, a filter), with the reason. None today:
#: every free-text POST form found stores what is typed in it.
STORES_NOTHING: dict[str, str] = {}


# --- BSNs ---------------------------------------------------------------------------------------

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
    """Every value of every String/Text column of every table, as (table.column, value),
    digests left out: their digits are chance (text_columns.DIGESTS)."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [
                c
                for c in table.columns
                if isinstance(c.type, String) and f"{table.name}.{c.name}" not in DIGESTS
            ]
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
    issue_edition_of_the_demo()
    return {login.email: login for login in DEMO_USERS}


def issue_edition_of_the_demo() -> None:
    """A logbook edition of the demo region, so the projectleider's feedback form is crawled."""
    region = db.session.scalar(select(Region).where(Region.name == DEMO_REGION))
    doc = document.new_document()
    doc.add_heading("Logboek", 1)
    editions.issue_edition(
        region=region,
        groups=[],
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        content=document.to_bytes(doc).getvalue(),
        actor=None,
    )
    db.session.commit()


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
