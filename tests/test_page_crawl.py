"""Every page in every state answers without a server error, in valid HTML (issue #12, R5).

A page that breaks only in some state of the data (an archived group, a withdrawn consent)
slips past a test that requests every route once on the demo as seeded. So this test puts the
demo region in several states and, in each, logs in as every role (a fresh client, CSRF on),
follows every local link from "/" (tests/crawling.py, bounded) and checks every answer:

* never a server error (5xx), and never a link the user cannot follow (403, 404);
* every HTML page valid for the Nu HTML Checker (tests/html_checker.py), and no id twice on a
  page (also checked without the checker, which names the ids).

Then, in the same throwaway database, it submits every destructive form it found (archive,
delete, cancel, close, remove, withdraw, deactivate), each one once, as a person would: filled
like a browser, fetched again just before. Each must answer with a redirect or a clear message
(4xx or the form again), never a 5xx. Last, every page the crawl saw is requested again in the
state the destruction left: still no server error.

The states, each built on the demo as seeded through the services a user would call:

* "as seeded": two groups, each with held meetings, a planned one and cases;
* "in use": a meeting running, one cancelled (and the held ones closed); a case closed; a consent
  withdrawn, another expired; an organisation and a user deactivated; a region and a group
  without anything in them;
* "archived": "in use", with the second group archived.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import select

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem
from facilitator.cases import services as cases
from facilitator.cases.models import Case, CaseStatus, PrivacyMode
from facilitator.demo.seed import DEFAULT_PASSWORD, DEMO_GROUPS, DEMO_REGION, EMAIL_DOMAIN
from facilitator.exports import document, editions, feedback, house_style
from facilitator.exports.models import LogbookEdition
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import CaseGroup, Rhythm
from facilitator.meetings import attendance, planning, run
from facilitator.meetings.models import AttendanceStatus, Meeting, MeetingStatus
from facilitator.privacy import services as privacy
from facilitator.privacy.models import Consent
from facilitator.regions import services as regions
from facilitator.regions.models import Organisation, Region
from facilitator.users import services as users
from facilitator.users.models import User
from tests.crawling import Answer, Filler, crawl, fetch, log_in, offered_form, submit
from tests.html_checker import check_pages, duplicate_ids, vnu_command
from tests.reference_docs import reference_docx

#: Who crawls, in this order (the order of the destructive submits too: a beheerder who deletes
#: an organisation goes last). Both procesbegeleiders, a deelnemer of each group, the
#: projectleider, the beleidsgroeplid, the beheerder. The deactivated user of "in use" cannot
#: log in; not a crawler.
CRAWLERS = [
    f"ipscoach@{EMAIL_DOMAIN}",
    f"klantmanager@{EMAIL_DOMAIN}",
    f"procesbegeleider2@{EMAIL_DOMAIN}",
    f"procesbegeleider@{EMAIL_DOMAIN}",
    f"projectleider@{EMAIL_DOMAIN}",
    f"beleidsgroep@{EMAIL_DOMAIN}",
    f"beheer@{EMAIL_DOMAIN}",
]
#: An audit reader (a deelnemer in no group, granted the right by the beheerder), made in every
#: state: the audit page, its filters and chronologies are crawled too.
AUDIT_READER = f"auditor@{EMAIL_DOMAIN}"
DEACTIVATED_USER = f"jobcoach@{EMAIL_DOMAIN}"
DEACTIVATED_ORGANISATION = "Stichting Kompas GGZ"
#: An organisation without users (so deleting it is offered) that takes part in a meeting.
GUEST_FROM = "Bakkerij De Korenschoof"

#: The forms that destroy or end something, by the last part of their action.
DESTRUCTIVE = re.compile(
    r"/(?:verwijderen|archiveren|annuleren|afsluiten|sluiten|intrekken|deactiveren|"
    r"heropenen|status)(?:\?|$)"
)
#: A redirect, the form again with its message, or a clear refusal.
ACCEPTABLE = {200, 302, 303, 400, 403, 404, 409, 413, 422}


# --- the states ---------------------------------------------------------------------------------


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def group(number: int) -> CaseGroup:
    return db.session.scalar(select(CaseGroup).where(CaseGroup.name == DEMO_GROUPS[number].name))


def planned_meeting(of: CaseGroup) -> Meeting:
    """The group's next planned meeting (the one with an agenda; a series' later ones have
    none): by date, as PostgreSQL returns rows in no order of its own."""
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.group_id == of.id, Meeting.status == MeetingStatus.GEPLAND)
        .order_by(Meeting.scheduled_at, Meeting.id)
    ).first()


def case_with_consent(of: CaseGroup, skip: set[int]) -> Case:
    return db.session.scalars(
        select(Case)
        .where(Case.group_id == of.id, Case.privacy_mode == PrivacyMode.TOESTEMMING)
        .where(Case.id.not_in(skip))
        .order_by(Case.id)
    ).first()


def in_use() -> list[str]:
    """Put the seeded demo in use; return what was done, for the report."""
    first, second = group(0), group(1)
    leader, leader2 = user(DEMO_GROUPS[0].procesbegeleider), user(DEMO_GROUPS[1].procesbegeleider)
    beheer = user(f"beheer@{EMAIL_DOMAIN}")
    running = planned_meeting(first)
    run.start_meeting(running, actor=leader)
    # An organisation without users at the table: a guest, and present at a case.
    employer = db.session.scalar(select(Organisation).where(Organisation.name == GUEST_FROM))
    attendance.add_guest(
        running,
        name="Lotte van Dam",
        role="Werkgever",
        organisation_id=employer.id,
        status=AttendanceStatus.AANWEZIG,
        actor=leader,
    )
    item = running.agenda[0]
    planning.set_case_presence(running, item, [*item.present_organisations, employer], actor=leader)
    planning.cancel_meeting(planned_meeting(second), actor=leader2)
    withdrawn = case_with_consent(first, set())
    privacy.withdraw_consent(withdrawn, actor=leader, note="Cliënt wil niet meer meedoen.")
    expiring = case_with_consent(second, set()) or case_with_consent(first, {withdrawn.id})
    consent = db.session.scalar(select(Consent).where(Consent.case_id == expiring.id))
    consent.valid_until = privacy.today() - timedelta(days=1)
    privacy.sweep()
    closing = (
        db.session.scalars(
            select(Case)
            .where(Case.group_id == first.id, Case.status == CaseStatus.IN_OPVOLGING)
            .order_by(Case.id)
        ).first()
        or db.session.scalars(select(Case).where(Case.group_id == first.id)).first()
    )
    for action in db.session.scalars(select(ActionItem).where(ActionItem.case_id == closing.id)):
        if action.status.is_open:
            actions.change_status(action, "gereed", note="Afgerond", actor=leader)
    cases.close_case(closing, "betaald_werk", "Werk bij een werkgever in de regio.", actor=leader)
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == DEACTIVATED_ORGANISATION)
    )
    regions.update_organisation(organisation, actor=beheer, active=False)
    users.deactivate_user(user(DEACTIVATED_USER), actor=beheer)
    regions.create_region(name="Lege regio", actor=beheer)
    region = db.session.scalar(select(Region).where(Region.name == DEMO_REGION))
    empty = groups.create_group(
        region, name="Nieuwe casusgroep", rhythm=Rhythm.MAANDELIJKS, actor=beheer
    )
    groups.add_member(empty, leader, "procesbegeleider", actor=beheer)
    edition = exported(region, first, beheer)
    return [
        f"a meeting running with a guest from {GUEST_FROM}, one cancelled",
        f"consent withdrawn ({withdrawn.pseudonym}), expired ({expiring.pseudonym})",
        f"case closed ({closing.pseudonym})",
        f"organisation deactivated ({DEACTIVATED_ORGANISATION}), user deactivated",
        "an empty region, an empty group",
        f"a house style for the region, a logbook edition with feedback ({edition.id})",
    ]


def exported(region: Region, first: CaseGroup, beheer: User) -> LogbookEdition:
    """A house style for the region and a logbook edition of the first group, with feedback
    (the pages of the house style and of an edition are crawled in this state)."""
    projectleider = user(f"projectleider@{EMAIL_DOMAIN}")
    house_style.set_house_style(
        region, filename="huisstijl-lindewaard.docx", content=reference_docx(), actor=beheer
    )
    doc = document.new_document(reference_docx())
    doc.add_heading("Logboek", 1)
    today = privacy.today()
    edition = editions.issue_edition(
        region=region,
        groups=[first],
        period_from=today - timedelta(days=90),
        period_to=today - timedelta(days=1),
        content=document.to_bytes(doc).getvalue(),
        actor=projectleider,
    )
    feedback.record_feedback(
        edition,
        body="klankbordgroep",
        given_on=today,
        summary="De klankbordgroep wil meer werkgevers aan tafel.",
        decisions="UWV nodigt werkgevers uit.",
        actor=projectleider,
    )
    return edition


def audit_reader() -> None:
    beheer = user(f"beheer@{EMAIL_DOMAIN}")
    reader = users.create_user(
        name="Aafke Auditor",
        email=AUDIT_READER,
        organisation=beheer.organisation,
        role="deelnemer",
        password=DEFAULT_PASSWORD,
        must_change_password=False,
        actor=beheer,
    )
    users.set_audit_right(reader, True, actor=beheer)


def archived() -> list[str]:
    done = in_use()
    groups.set_group_active(group(1), False, actor=user(f"beheer@{EMAIL_DOMAIN}"))
    return [*done, f"group archived ({DEMO_GROUPS[1].name})"]


#: Pages of the house style and of a logbook edition (with its downloads), made in "in use".
EXPORT_PAGES = {
    "/beheer/regios/<id>/huisstijl",
    "/beheer/regios/<id>/huisstijl/voorbeeld.docx",
    "/beheer/regios/<id>/huisstijl/verwijderen",
    "/logboek/edities",
    "/logboek/edities/<id>",
    "/logboek/edities/<id>/downloaden",
    "/logboek/edities/<id>/feedback/<id>/bewerken",
    "/logboek/edities/<id>/feedback/<id>/verwijderen",
}

STATES: dict[str, Callable[[], list[str]]] = {
    "as seeded": lambda: [],
    "in use": in_use,
    "archived": archived,
}


# --- the crawl ----------------------------------------------------------------------------------


@dataclass
class Findings:
    answers: list[tuple[str, Answer]] = field(default_factory=list)  # (role, answer)
    problems: list[str] = field(default_factory=list)
    submitted: Counter[str] = field(default_factory=Counter)  # status -> count

    def pages(self) -> dict[str, str]:
        return {
            f"{role} {answer.url}": answer.body
            for role, answer in self.answers
            if answer.status == 200 and answer.mimetype == "text/html"
        }


def check_answer(role: str, answer: Answer, problems: list[str]) -> None:
    where = f"{role}: GET {answer.url}" + (
        f" (linked from {answer.came_from})" if answer.came_from else ""
    )
    if answer.status >= 500:
        problems.append(f"{where} answered {answer.status}: {answer.body[:300]}")
    elif answer.status in (403, 404) and answer.came_from:
        problems.append(f"{where} answered {answer.status}: a link the user cannot follow")


def destroy(client, role: str, crawled, filler: Filler, findings: Findings) -> None:
    """Submit every destructive form the role found, each form (action) once."""
    done: set[str] = set()
    for kind in crawled.forms.values():
        for original in kind:
            if not DESTRUCTIVE.search(original.action) or original.action in done:
                continue
            done.add(original.action)
            form = offered_form(client, crawled, [original])
            if form is None:
                continue  # no longer offered: an earlier submit ended it
            status, shown = submit(client, form, filler.fill(form, {}, confirm=False))
            findings.submitted[str(status)] += 1
            if status not in ACCEPTABLE:
                findings.problems.append(
                    f"{role}: POST {form.action} answered {status}"
                    + (f": {shown}" if shown else "")
                )


def grouped(invalid: dict[str, list[str]]) -> list[str]:
    """One line per kind of HTML error: how many pages have it, a few of them, an example."""
    pages_with: dict[str, list[str]] = defaultdict(list)
    example: dict[str, str] = {}
    for name, errors in invalid.items():
        for error in errors:
            kind = re.sub(r"^line \d+: | \[.*\]$|\(\d+x\)", "", error)
            if name not in pages_with[kind]:
                pages_with[kind].append(name)
            example.setdefault(kind, error)
    return [
        f"HTML on {len(names)} pages ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''})"
        f": {example[kind]}"
        for kind, names in sorted(pages_with.items(), key=lambda item: -len(item[1]))
    ]


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("state", list(STATES))
def test_every_page_of_every_role_answers_in_valid_html(app, demo, state):
    done = STATES[state]()
    audit_reader()
    db.session.commit()
    checker = vnu_command()
    if checker is None:
        pytest.skip("the Nu HTML Checker needs java and .cache/vnu/vnu.jar: run `make vnu`")

    findings = Findings()
    crawls = {}
    for email in [*CRAWLERS, AUDIT_READER]:
        role = email.split("@")[0]
        client = log_in(app, email)
        crawled = crawl(
            client, answered=lambda answer, role=role: findings.answers.append((role, answer))
        )
        crawls[role] = (client, crawled)
    for role, answer in findings.answers:
        check_answer(role, answer, findings.problems)

    pages = findings.pages()
    invalid = check_pages(pages, checker)
    html_errors = f"{sum(len(e) for e in invalid.values())} HTML errors on {len(invalid)} pages"
    for name, html in pages.items():
        if ids := duplicate_ids(html):
            invalid.setdefault(name, []).append(f"ids used twice: {', '.join(ids)}")
    findings.problems += grouped(invalid)

    filler = Filler()
    for role, (client, crawled) in crawls.items():
        destroy(client, role, crawled, filler, findings)
    after: list[str] = []
    for role, answer in findings.answers:
        client = crawls[role][0]
        again = fetch(client, answer.url, answer.came_from)
        if again.status >= 500:
            after.append(f"{role}: GET {answer.url} answered {again.status}: {again.body[:300]}")
    findings.problems += [f"after the destructive forms: {line}" for line in after]

    kinds = defaultdict(int)
    for _, answer in findings.answers:
        kinds[re.sub(r"\d+", "<id>", answer.url.split("?")[0])] += 1
    summary = (
        f"state {state!r} ({'; '.join(done) or 'the demo as seeded'}): "
        f"{len(CRAWLERS) + 1} roles, {len(findings.answers)} answers, {len(pages)} HTML pages "
        f"({len(kinds)} kinds of page), {sum(findings.submitted.values())} destructive forms "
        f"submitted ({dict(findings.submitted)}), "
        f"{html_errors}, {sum(bool(duplicate_ids(html)) for html in pages.values())} pages "
        "with an id twice"
    )
    print(summary)
    assert not findings.problems, "\n".join(
        [summary, f"{len(findings.problems)} problems:", *findings.problems[:200]]
    )
    # The crawl reached the pages of each state, so that their checks prove something.
    if state != "as seeded":
        assert set(kinds) >= EXPORT_PAGES, sorted(EXPORT_PAGES - set(kinds))
    # The audit reader reached the log and both chronologies (a pseudonym holds letters).
    reached = {kind for kind in kinds if kind.startswith("/audit/")}
    assert {"/audit/", "/audit/gebruiker/<id>"} <= reached, sorted(reached)
    assert "/regios/<id>/dashboard" in kinds  # the projectleider's and the beleidsgroeplid's
    assert any(kind.startswith("/audit/casus/") for kind in reached), sorted(reached)
    assert len(pages) > 100 * len(CRAWLERS) // 2, summary
    assert sum(findings.submitted.values()) > 10, summary
