"""Registering cases by hand and from a file, consent warnings, plurals, the demo's dates (#8).

The form: the identity and consent part is there without JavaScript (with its hint), for the
script to hide; the user's own organisation is ticked in the consent. The warning that a
consent ends goes only to those who can extend it. The import prints every problem of every
row, those found while registering too, and stores nothing. A consent given in the past that
still runs is accepted everywhere. The demo's cases were registered before they were discussed.
"""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from facilitator.actions.models import ActionItem
from facilitator.audit.models import AuditEvent
from facilitator.cases import services as cases
from facilitator.cases.models import Case, PrivacyMode
from facilitator.database import utcnow
from facilitator.demo.monitoring import MEETINGS as MONITORING_MEETINGS
from facilitator.extensions import db
from facilitator.meetings.models import (
    AgendaItem,
    Finding,
    Meeting,
    MeetingStatus,
)
from facilitator.privacy.identity import read_identity
from facilitator.privacy.keystore import keystore
from facilitator.privacy.models import Consent
from facilitator.privacy.services import add_months, today
from facilitator.users.models import Role
from tests.factories import (
    IDENTITY,
    OTHER_IDENTITY,
    consent_for,
    details,
    make_case,
    make_meeting,
)
from tests.helpers import AuthActions, post_form

HEADER = (
    "modus;organisatie;ingebracht_door;omschrijving;uitkering;ggz_behandeling;naam;"
    "geboortedatum;bsn;clientnummer;toestemming_datum;toestemming_tot;"
    "toestemming_organisaties;toestemming_bewijs"
)
MEMBER = "deelnemer@noord.example"  # GGZ Noord; brought the world's cases
OTHER_MEMBER = "extra@noord.example"  # Gemeente Noord; a member who brought nothing
FICTIEF = {
    "mode": "fictief",
    "description": "Cliënt wil in de zorg werken; reistijd is lastig.",
    "benefit": "ww",
    "ggz_treatment": "nee",
}


class Elements(HTMLParser):
    """Every element of a page with its attributes and those of the elements around it."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "area", "base", "col", "source", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict, list[tuple[str, dict]]]] = []
        self._open: list[tuple[str, dict]] = []
        self.scripts: list[dict] = []
        self._script_text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, {k: (v if v is not None else "") for k, v in attrs})
        self.found.append((tag, element[1], list(self._open)))
        if tag == "script":
            self.scripts.append(element[1])
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        if self._open and self._open[-1][0] == "script" and data.strip():
            self._script_text.append(data)

    def named(self, name: str) -> list[tuple[str, dict, list[tuple[str, dict]]]]:
        return [e for e in self.found if e[1].get("name") == name]


def register_page(client, world) -> str:
    return client.get(f"/groepen/{world.group.id}/casussen/nieuw").get_data(as_text=True)


def with_consent(world, **changes) -> dict:
    return {
        **FICTIEF,
        "mode": "toestemming",
        "full_name": OTHER_IDENTITY.full_name,
        "birth_date": OTHER_IDENTITY.birth_date.isoformat(),
        "given_on": (today() - timedelta(days=10)).isoformat(),
        "organisations": [str(world.ggz.id)],
        "purposes": "Bespreking in de casusgroep",
        "evidence_reference": "Dossier GGZ Noord",
        **changes,
    }


def cases_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Case.id)))


def newest_case() -> Case:
    db.session.expire_all()
    return db.session.scalars(select(Case).order_by(Case.id.desc())).first()


# --- the registration form -------------------------------------------------------------------


def test_without_javascript_the_consent_part_is_in_the_page_with_its_hint_for_the_script(
    client, auth, world
):
    auth.login(MEMBER)
    page = register_page(client, world)
    elements = Elements(page)
    part = [
        e for e in elements.found if e[0] == "fieldset" and e[1].get("id") == "identity-and-consent"
    ]
    assert len(part) == 1
    _, attrs, around = part[0]
    assert attrs.get("data-only-for-mode") == "toestemming"
    # Nothing hides it or switches it off on the server: without a script it must stay usable.
    assert not {"hidden", "disabled"} & attrs.keys()
    assert all(not {"hidden", "disabled"} & a.keys() for _, a in around)
    for name in ("full_name", "birth_date", "bsn", "given_on", "organisations", "purposes"):
        for _, _, around in elements.named(name):
            assert ("fieldset", part[0][1]) in around, name
    for _, _, around in elements.named("description") + elements.named("mode"):
        assert ("fieldset", part[0][1]) not in around
    assert "Vul dit alleen in als u hierboven “Met toestemming” hebt gekozen" in page
    # The script that hides it is a file of our own, loaded without inline code (CSP).
    assert [s.get("src") for s in elements.scripts] == ["/static/js/case_register.js"]
    assert elements._script_text == []
    script = client.get("/static/js/case_register.js")
    assert script.status_code == 200
    assert b"onlyForMode" in script.data and b"disabled" in script.data
    script.close()


def test_the_own_organisation_is_shown_and_ticked_in_the_consent(client, auth, world):
    for email, own, other in (
        (MEMBER, world.ggz, world.gemeente),
        (OTHER_MEMBER, world.gemeente, world.ggz),
    ):
        auth.login(email)
        elements = Elements(register_page(client, world))
        boxes = {a["value"]: a for _, a, _ in elements.named("organisations")}
        assert "checked" in boxes[str(own.id)], email
        assert "checked" not in boxes[str(other.id)], email
        page = register_page(client, world)
        assert f"<dt>Inbrengende organisatie</dt><dd>{own.name}</dd>" in page
        auth.logout()


def test_the_ticked_organisation_is_not_sent_back_for_a_fictitious_case(client, auth, world):
    """The tick is a start for a new form only: a submit without it registers as typed."""
    auth.login(MEMBER)
    before = cases_count()
    response = post_form(client, f"/groepen/{world.group.id}/casussen/nieuw", FICTIEF)
    assert response.status_code == 302
    assert cases_count() == before + 1
    refused = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        with_consent(world, organisations=[]),
    )
    assert refused.status_code == 200
    assert "Verplicht voor een casus met toestemming" in refused.get_data(as_text=True)


def test_the_form_shows_every_reason_for_a_refusal_at_once(client, auth, world):
    auth.login(MEMBER)
    before = cases_count()
    response = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        with_consent(
            world,
            description="Cliënt met BSN 123456782 wil werken.",
            given_on=(today() - timedelta(days=400)).isoformat(),
            valid_until=(today() - timedelta(days=20)).isoformat(),
            organisations=[str(world.gemeente.id)],
        ),
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Deze toestemming is al beëindigd." in body
    assert "De inbrengende organisatie moet" in body
    assert "123456782" in body  # pointed out, to the one who typed it
    assert cases_count() == before


# --- a consent given in the past, still running ----------------------------------------------


def test_a_consent_given_eight_months_ago_is_accepted_by_the_form(client, auth, world):
    auth.login(MEMBER)
    given = add_months(today(), -8)
    response = post_form(
        client,
        f"/groepen/{world.group.id}/casussen/nieuw",
        with_consent(world, given_on=given.isoformat()),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    consent = newest_case().consents[-1]
    assert consent.given_on == given
    assert consent.valid_until == add_months(given, 12)  # four more months
    assert consent.is_active(today())


def test_a_consent_given_eight_months_ago_is_accepted_by_the_service(app, world):
    given = add_months(today(), -8)
    member = world.users[Role.DEELNEMER]
    case = cases.register_case(
        world.group,
        actor=member,
        brought_by=member,
        organisation=member.organisation,
        mode=PrivacyMode.TOESTEMMING,
        details=details(),
        identity=OTHER_IDENTITY,
        consent=consent_for([world.ggz], given_on=given, valid_until=add_months(today(), 4)),
    )
    db.session.commit()
    assert case.consents[-1].given_on == given
    assert read_identity(case) == OTHER_IDENTITY


def test_a_consent_that_has_ended_is_refused_by_the_service(app, world):
    member = world.users[Role.DEELNEMER]
    with pytest.raises(cases.RegistrationRefused) as refused:
        cases.register_case(
            world.group,
            actor=member,
            brought_by=member,
            organisation=member.organisation,
            mode=PrivacyMode.TOESTEMMING,
            details=details(),
            identity=OTHER_IDENTITY,
            consent=consent_for(
                [world.ggz],
                given_on=add_months(today(), -14),
                valid_until=today() - timedelta(days=1),
            ),
        )
    assert [p.field for p in refused.value.problems] == ["valid_until"]


def test_a_consent_naming_an_organisation_twice_is_refused_by_the_service_not_the_database(
    app, world
):
    member = world.users[Role.DEELNEMER]
    before = cases_count()
    with pytest.raises(cases.RegistrationRefused) as refused:
        cases.register_case(
            world.group,
            actor=member,
            brought_by=member,
            organisation=member.organisation,
            mode=PrivacyMode.TOESTEMMING,
            details=details(),
            identity=OTHER_IDENTITY,
            consent=consent_for([world.ggz, world.ggz]),
        )
    assert [p.field for p in refused.value.problems] == ["organisations"]
    db.session.rollback()
    assert cases_count() == before


# --- the warning that a consent ends ---------------------------------------------------------


@pytest.fixture
def ending(world) -> Case:
    """A case of the GGZ Noord member whose consent ends in ten days."""
    return make_case(
        world.group,
        world.users[Role.DEELNEMER],
        PrivacyMode.TOESTEMMING,
        identity=OTHER_IDENTITY,
        consent=consent_for(
            [world.ggz],
            given_on=today() - timedelta(days=355),
            valid_until=today() + timedelta(days=10),
        ),
    )


WARNING = "Toestemming loopt binnenkort af"


@pytest.mark.parametrize(
    ("email", "warned"),
    [
        pytest.param(MEMBER, True, id="member-of-the-bringing-organisation"),
        pytest.param("procesbegeleider@noord.example", True, id="procesbegeleider"),
        pytest.param(OTHER_MEMBER, False, id="member-of-another-organisation"),
        pytest.param("projectleider@noord.example", False, id="projectleider"),
    ],
)
def test_the_consent_warning_is_shown_only_to_who_can_extend_it(
    client, auth, world, ending, email, warned
):
    auth.login(email)
    group_page = client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    case_page = client.get(f"/casussen/{ending.id}")
    assert case_page.status_code == 200  # each of them may look at the case
    body = case_page.get_data(as_text=True)
    assert (WARNING in group_page) is warned
    if warned:
        assert ending.pseudonym in group_page.split(WARNING)[1].split("</section>")[0]
    assert (WARNING in body) is warned
    assert ("De toestemming van deze casus loopt af op" in body) is warned
    assert (f"/casussen/{ending.id}/toestemming/verlengen" in body) is warned


def test_a_consent_far_from_its_end_warns_no_one(client, auth, world):
    auth.login(MEMBER)
    assert WARNING not in client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    page = client.get(f"/casussen/{world.consent_case.id}").get_data(as_text=True)
    assert WARNING not in page


# --- plurals ---------------------------------------------------------------------------------


def test_the_group_page_counts_one_casus_and_two_casussen(client, auth, world):
    leader = world.users[Role.PROCESBEGELEIDER]
    make_meeting(world.group, leader, [world.fictional_case], start=False)
    auth.login(MEMBER)
    page = client.get(f"/groepen/{world.group.id}").get_data(as_text=True)
    assert "1 casus<" in page
    assert "2 casussen<" in page  # the world's running meeting
    assert "1 casussen" not in page


def test_cli_output_never_says_1_cases(runner, world, tmp_path):
    result = run_import(runner, write(tmp_path, [fictief_row()]))
    assert result.exit_code == 0, result.output
    assert "Imported 1 case into" in result.output
    result = run_import(runner, write(tmp_path, [fictief_row("Piet Puk")]))
    assert "nothing imported: 1 problem in" in result.output
    result = runner.invoke(args=["privacy", "sweep"])
    assert "0 cases." in result.output and "(s)" not in result.output


# --- the import ------------------------------------------------------------------------------


def write(tmp_path, rows, name="casussen.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def run_import(runner, path, group="Casusgroep Noord"):
    return runner.invoke(args=["cases", "import", str(path), "--group", group])


def fictief_row(name: str = "", description: str = "Fictieve cliënt zoekt werk") -> str:
    return f"fictief;GGZ Noord;{MEMBER};{description};ww;ja;{name};;;;;;;"


def consent_row(
    *,
    name: str = "Karel Importeerman",
    born: str = "1979-05-06",
    bsn: str = "",
    given: date | None = None,
    until: date | None = None,
    organisations: str = "GGZ Noord|Gemeente Noord",
    description: str = "Cliënt wil uren uitbreiden",
) -> str:
    given = given or today() - timedelta(days=5)
    return (
        f"toestemming;GGZ Noord;{MEMBER};{description};wajong;ja;{name};{born};{bsn};;"
        f"{given.isoformat()};{until.isoformat() if until else ''};{organisations};Dossier"
    )


def stored() -> tuple[int, int, set[int]]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(Case.id))),
        db.session.scalar(select(func.count(Consent.id))),
        set(keystore().case_ids()),
    )


def identity_searches() -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.event_type == "identity_search")
    )


def test_the_import_prints_every_problem_of_every_row_and_stores_nothing(runner, world, tmp_path):
    long_ago = add_months(today(), -14)
    rows = [
        # 2: fine, and stored for a moment before the file is rolled back
        consent_row(),
        # 3: an ended consent, found while registering
        consent_row(name="Ans Verlopen", given=long_ago, until=today() - timedelta(days=3)),
        # 4: a client the member's organisation already knows (the world's case with consent)
        consent_row(name=IDENTITY.full_name, born=IDENTITY.birth_date.isoformat()),
        # 5: a BSN in the description: the guard
        fictief_row(description="Cliënt met BSN 111222333 zoekt werk"),
        # 6: two problems found while registering, in one row
        consent_row(
            name="Bert Tweemaal",
            given=long_ago,
            until=today() - timedelta(days=3),
            description="Cliënt, BSN 111222333, wil werken",
        ),
        # 7: a problem in the file itself next to one the guard finds
        "raar;GGZ Noord;deelnemer@noord.example;Cliënt met BSN 111222333;ww;ja;;;;;;;;",
        # 8: the same organisation twice in the consent
        consent_row(name="Carla Dubbel", organisations="GGZ Noord|GGZ Noord"),
        # 9: the client of line 2 again
        consent_row(),
    ]
    before, searches = stored(), identity_searches()
    result = run_import(runner, write(tmp_path, rows))
    output = result.output
    assert result.exit_code == 1
    expected = [
        ("3", "toestemming_tot", "Deze toestemming is al beëindigd."),
        ("4", "naam", "al bekend als casus"),
        ("5", "omschrijving", "BSN"),
        ("6", "toestemming_tot", "Deze toestemming is al beëindigd."),
        ("6", "omschrijving", "BSN"),
        ("7", "modus", "fictief, anoniem"),
        ("7", "omschrijving", "BSN"),
        ("8", "toestemming_organisaties", "Een organisatie staat er twee keer in."),
        ("9", "naam", "Dezelfde cliënt als op regel 2."),
    ]
    lines = output.splitlines()
    for line, column, reason in expected:
        assert any(
            entry.startswith(f"line {line}, column {column}: ") and reason in entry
            for entry in lines
        ), (line, column, output)
    assert not any(entry.startswith("line 2,") for entry in lines)
    assert f"nothing imported: {len(expected)} problems in casussen.csv" in output
    assert "Traceback" not in output and "IntegrityError" not in output
    for value in ("Importeerman", "Verlopen", "Tweemaal", "Dubbel", "111222333", "1979-05-06"):
        assert value not in output
    assert stored() == before
    # Every search the file made stays on record (L1): the rows that could be registered with
    # an identity (lines 2, 3, 4 and 6) were searched for; the others were refused before.
    assert identity_searches() == searches + 4


def test_a_consent_naming_an_organisation_twice_is_a_line_and_column_problem(
    runner, world, tmp_path
):
    before = stored()
    rows = [consent_row(organisations="GGZ Noord|Gemeente Noord|GGZ Noord")]
    result = run_import(runner, write(tmp_path, rows))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "line 2, column toestemming_organisaties: Een organisatie staat er twee keer in."
    )
    assert "Traceback" not in result.output
    assert stored() == before


@pytest.mark.parametrize(
    ("until", "expected_end"),
    [
        pytest.param("", lambda given: add_months(given, 12), id="default-twelve-months"),
        pytest.param("4", lambda given: add_months(today(), 4), id="four-more-months"),
    ],
)
def test_the_import_accepts_a_consent_given_eight_months_ago_that_still_runs(
    runner, world, tmp_path, until, expected_end
):
    given = add_months(today(), -8)
    row = consent_row(given=given, until=add_months(today(), int(until)) if until else None)
    result = run_import(runner, write(tmp_path, [row]))
    assert result.exit_code == 0, result.output
    consent = newest_case().consents[-1]
    assert consent.given_on == given
    assert consent.valid_until == expected_end(given)


def test_the_import_refuses_a_consent_that_has_ended(runner, world, tmp_path):
    before = stored()
    row = consent_row(given=add_months(today(), -13), until=add_months(today(), -1))
    result = run_import(runner, write(tmp_path, [row]))
    assert result.exit_code == 1
    assert "line 2, column toestemming_tot: Deze toestemming is al beëindigd." in result.output
    assert stored() == before


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_cases_were_registered_before_the_meetings_that_discussed_them(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    now = utcnow()
    first_on_agenda = dict(
        db.session.execute(
            select(AgendaItem.case_id, func.min(Meeting.scheduled_at))
            .join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .group_by(AgendaItem.case_id)
        ).all()
    )
    demo_cases = db.session.scalars(select(Case)).all()
    assert len(first_on_agenda) == len(demo_cases)  # every demo case is discussed or planned
    for case in demo_cases:
        first = first_on_agenda[case.id]
        first = first if first.tzinfo else first.replace(tzinfo=now.tzinfo)
        assert case.created_at < first, case.pseudonym
        assert case.created_at <= now
        for consent in case.consents:
            assert consent.given_on < case.created_at.date(), case.pseudonym
            assert consent.recorded_at == case.created_at


def test_the_demo_meetings_held_are_in_the_past_with_what_they_recorded(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    now = utcnow()
    meetings = db.session.scalars(select(Meeting)).all()
    held = [m for m in meetings if m.status == MeetingStatus.AFGEROND]
    # Two per group, and the work group's two of the last full quarter (demo/logbook.py),
    # which also cancelled one then; and Casusgroep Oosterbroek's (demo/monitoring.py).
    cancelled = [m for m in meetings if m.status == MeetingStatus.GEANNULEERD]
    assert len(held) == 6 + len(MONITORING_MEETINGS) and len(cancelled) == 1
    assert all(m.status == MeetingStatus.GEPLAND for m in meetings if m not in held + cancelled)
    for meeting in held:
        assert meeting.created_at < meeting.scheduled_at <= meeting.started_at
        assert meeting.started_at < meeting.closed_at < now
        records = (
            db.session.scalars(
                select(Finding.created_at).where(Finding.meeting_id == meeting.id)
            ).all()
            + db.session.scalars(
                select(ActionItem.created_at).where(ActionItem.meeting_id == meeting.id)
            ).all()
        )
        assert records
        assert all(meeting.started_at <= moment <= meeting.closed_at for moment in records)
    for meeting in meetings:
        if meeting not in held:
            assert (meeting.scheduled_at > now) == (meeting not in cancelled)


def test_a_demo_login_sees_the_ending_demo_consent_only_where_it_may_extend_it(runner, app):
    """The demo's consent ending within 30 days (Stichting Kompas GGZ's case)."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    from facilitator.demo.seed import DEFAULT_PASSWORD
    from facilitator.groups.models import CaseGroup

    group = db.session.scalar(select(CaseGroup).where(CaseGroup.name == "Casusgroep Lindewaard"))
    seen = {}
    for email in ("behandelaar", "procesbegeleider", "ipscoach", "klantmanager"):
        client = app.test_client()
        AuthActions(client).login(f"{email}@lindewaard.example", DEFAULT_PASSWORD)
        seen[email] = WARNING in client.get(f"/groepen/{group.id}").get_data(as_text=True)
    assert seen == {
        "behandelaar": True,
        "procesbegeleider": True,
        "ipscoach": False,
        "klantmanager": False,
    }
