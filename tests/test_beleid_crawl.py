"""The beleidsgroeplid finds no case on any page it can reach (issue 14, "Done when").

Logged in as the beleidsgroeplid, the crawl of tests/crawling.py follows every local link from
the start page (GET only) and downloads every file linked on the way. Every answer is read
whole, a Word file through python-docx, and must hold no case pseudonym (every
``Case.pseudonym`` in the database, of every region), no identity value and no case
description; every page reached must be of a kind the role may read, and answer. The crawl
follows links, so the parts of the dashboard still to come (the figures page, the signals, the
stories) are covered as soon as the dashboard links to them.

Two worlds: the access world (two regions, held meetings with findings, signals and actions,
cases fictitious and with consent, a logbook issued through the real export with feedback on
it) and the demo as seeded (cases of every kind, several meetings, a logbook edition).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources

import docx
import pytest
from sqlalchemy import select

from facilitator.cases.models import Case
from facilitator.demo.seed import EMAIL_DOMAIN
from facilitator.exports import feedback
from facilitator.exports.logbook import LogbookScope
from facilitator.exports.logbook_export import export_logbook
from facilitator.exports.models import LogbookEdition
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.regions.models import Region
from facilitator.users.models import User
from tests.access_world import make_access_world
from tests.crawling import Answer, crawl
from tests.helpers import AuthActions

#: The kinds of page a beleidsgroeplid may read: the start page (a redirect), their region's
#: dashboard and what it links to under it (the figures page of issue 14), the issued logbook
#: editions with their files, their own account.
ALLOWED_KINDS = (
    r"/",
    r"/regios/<id>/(?:dashboard|cijfers)(?:[/.].*)?",
    r"/logboek/edities(?:/<id>(?:/downloaden)?)?",
    r"/account/(?:wachtwoord|tweestaps/)?",
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Reached:
    answers: list[Answer] = field(default_factory=list)
    #: url -> the text of each answer: the page, the CSV, the Word file's text
    texts: dict[str, str] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)


def kind_of(url: str) -> str:
    return re.sub(r"\d+", "<id>", url.split("?")[0])


def docx_text(content: bytes) -> str:
    """Every paragraph of a Word file, its tables' cells, headers and footers."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    cells(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


def crawl_as(client) -> Reached:
    reached = Reached()

    def answered(answer: Answer) -> None:
        reached.answers.append(answer)
        if answer.status != 200:
            return
        if answer.mimetype.startswith("text/") or answer.mimetype.endswith("json"):
            reached.texts[answer.url] = answer.body
            return
        content = client.get(answer.url).data  # the crawl keeps the size only: fetch it whole
        reached.downloads.append(answer.url)
        reached.texts[answer.url] = (
            docx_text(content) if answer.mimetype == DOCX else content.decode("utf-8", "replace")
        )

    crawl(client, answered=answered)
    return reached


def problems_in(reached: Reached, hidden: dict[str, str]) -> list[str]:
    problems = []
    for answer in reached.answers:
        kind = kind_of(answer.url)
        if not any(re.fullmatch(pattern, kind) for pattern in ALLOWED_KINDS):
            problems.append(f"reached {answer.url} ({answer.status}), not a page of the role")
        if answer.status not in (200, 302) or (answer.status == 302 and answer.url != "/"):
            problems.append(f"{answer.url} answered {answer.status} (from {answer.came_from})")
    for url, text in reached.texts.items():
        shown = sorted({label for value, label in hidden.items() if value in text})
        if shown:
            problems.append(f"{url} shows {', '.join(shown)}")
    return problems


def every_pseudonym_and_description() -> dict[str, str]:
    hidden = {}
    for pseudonym, description in db.session.execute(select(Case.pseudonym, Case.description)):
        hidden[pseudonym] = f"pseudonym {pseudonym}"
        if len(description) > 30:
            hidden[description[:60]] = f"the description of {pseudonym}"
    return hidden


def _issue_real_logbook(region_name: str) -> LogbookEdition:
    """The region's logbook of the last year, built and kept by the real export, with the
    beleidsgroep's feedback on it."""
    region = db.session.scalar(select(Region).where(Region.name == region_name))
    projectleider = db.session.scalar(
        select(User).where(User.email == f"pl.{region_name.split()[-1].lower()}@matrix.example")
    )
    today = local_today()
    scope = LogbookScope(region, (), today - timedelta(days=365), today + timedelta(days=60))
    edition = export_logbook(scope, actor=projectleider)
    feedback.record_feedback(
        edition,
        body="beleidsgroep",
        given_on=today,
        summary="De beleidsgroep vraagt om meer werkgevers aan tafel.",
        decisions="De gemeente schrijft werkgevers aan.",
        actor=projectleider,
    )
    db.session.commit()
    return edition


def test_the_beleidsgroeplid_sees_no_case_anywhere_in_the_access_world(app):
    world = make_access_world()
    edition = _issue_real_logbook("Regio Noord")
    other = _issue_real_logbook("Regio Zuid")
    hidden = every_pseudonym_and_description()
    for site in world.sites.values():
        assert set(site.pseudonyms) <= set(hidden)
        hidden |= {value: f"identity {value}" for value in site.identity}
    client = app.test_client()
    assert AuthActions(client).login(world.people["bgl.Noord"].email).status_code == 302

    reached = crawl_as(client)

    assert not problems_in(reached, hidden), "\n".join(problems_in(reached, hidden))
    kinds = {kind_of(answer.url) for answer in reached.answers}
    assert {
        "/regios/<id>/dashboard",
        "/logboek/edities",
        "/logboek/edities/<id>",
        "/logboek/edities/<id>/downloaden",
    } <= kinds, kinds
    # The real logbook was read (it has findings and signals of the held meetings), and only
    # the own region's.
    assert f"/logboek/edities/{edition.id}/downloaden" in reached.downloads
    assert "Bevinding 1 knelpunt" in reached.texts[f"/logboek/edities/{edition.id}/downloaden"]
    assert not any(f"/edities/{other.id}" in url for url in reached.texts)
    print(
        f"access world: {len(reached.answers)} answers, {len(reached.downloads)} downloads, "
        f"{len(hidden)} values looked for, kinds {sorted(kinds)}"
    )


def _demo_identities() -> dict[str, str]:
    values = {}
    for name in ("demo_cases.csv", "demo_privacy_cases.csv"):
        text = resources.files("facilitator.demo").joinpath(name).read_text(encoding="utf-8")
        for row in csv.DictReader(io.StringIO(text), delimiter=";"):
            for column in ("naam", "bsn", "clientnummer"):
                if row.get(column):
                    values[row[column]] = f"identity {row[column]}"
    return values


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def test_the_demo_beleidsgroeplid_sees_no_case_anywhere(app, demo):
    hidden = every_pseudonym_and_description() | _demo_identities()
    assert len([label for label in hidden.values() if label.startswith("identity")]) >= 4
    client = app.test_client()
    response = AuthActions(client).login(f"beleidsgroep@{EMAIL_DOMAIN}", "lindewaard-oefenen")
    assert response.status_code == 302

    reached = crawl_as(client)

    assert not problems_in(reached, hidden), "\n".join(problems_in(reached, hidden))
    kinds = {kind_of(answer.url) for answer in reached.answers}
    assert "/regios/<id>/dashboard" in kinds
    assert any(url.endswith("/downloaden") for url in reached.downloads), reached.downloads
    print(
        f"demo: {len(reached.answers)} answers, {len(reached.downloads)} downloads, "
        f"{len(hidden)} values looked for, kinds {sorted(kinds)}"
    )


def test_the_crawl_would_see_a_pseudonym_on_a_page(app):
    """The check itself: a pseudonym in a page, a Word file or an unexpected page is found."""
    page = Answer("/regios/1/dashboard", "/", 200, "text/html", "<p>Casus AB-CD2</p>")
    stray = Answer("/groepen/3", "/regios/1/dashboard", 403, "text/html", "")
    reached = Reached(answers=[page, stray], texts={page.url: page.body})
    found = problems_in(reached, {"AB-CD2": "pseudonym AB-CD2"})
    assert any("shows pseudonym AB-CD2" in line for line in found)
    assert any("/groepen/3" in line and "not a page of the role" in line for line in found)
    document = docx.Document()
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Bij XY-Z23 liep het vast"
    buffer = io.BytesIO()
    document.save(buffer)
    assert "XY-Z23" in docx_text(buffer.getvalue())
