"""The client's own overview (AVG art. 15, NEN 7513): who looked at or changed one case's data,
when, from which organisation and role, and why; for that case only, never its identity."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditAction, AuditEvent, AuditOutcome
from facilitator.audit.overview import access_overview
from facilitator.audit.overview_docx import build_access_overview_docx
from facilitator.audit.services import record
from facilitator.core.i18n import in_language
from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import GroupRole
from facilitator.privacy import duplicates
from facilitator.privacy import services as privacy
from facilitator.users.models import Role
from tests.audit_helpers import place_row, utc
from tests.factories import IDENTITY, make_user
from tests.helpers import AuthActions
from tests.minutes_helpers import body_text, package_parts, read_docx

IDENTITY_VALUES = (
    IDENTITY.full_name,
    "Voorbeeldt",
    IDENTITY.bsn,
    IDENTITY.client_number,
    "1984-03-07",
    "07-03-1984",
    "7 maart 1984",
)


@pytest.fixture
def inside(world):
    """A procesbegeleider of the group at GGZ Noord: inside the consent case's scope."""
    leader = make_user(world.ggz, Role.PROCESBEGELEIDER, email="pb.ggz@noord.example",
                       name="Greet Begeleider")  # fmt: skip
    groups.add_member(world.group, leader, GroupRole.PROCESBEGELEIDER, actor=None)
    db.session.commit()
    return leader


@pytest.fixture
def history(world, inside):
    """A history of the consent case: its identity viewed, a refusal, a possible duplicate
    that names the other case, an event type no one described; and a row of another case."""
    case = world.consent_case
    privacy.reveal_identity(case, inside)
    privacy.reveal_identity(case, world.users[Role.PROCESBEGELEIDER])  # outside the scope
    duplicates.flag_possible_duplicate(world.fictional_case, case, actor=None)
    record("mystery_event", action=AuditAction.READ, actor=inside, case_pseudonym=case.pseudonym)
    record("case_updated", action=AuditAction.UPDATE, actor=inside,
           case_pseudonym=world.other_case.pseudonym, reason="other-case-marker")  # fmt: skip
    db.session.commit()
    return case


def _download(app, user, case):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client.get(f"/casussen/{case.id}/inzageoverzicht.docx")


def _rows_of(event_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == event_type).order_by(AuditEvent.id)
    ).all()


# --- what it holds ------------------------------------------------------------------------------


def test_the_overview_holds_every_row_of_the_case_and_no_other(app, world, history):
    data = access_overview(history)
    db.session.expire_all()
    expected = db.session.scalars(
        select(AuditEvent.event_type)
        .where(AuditEvent.case_pseudonym == history.pseudonym)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    assert [e.event_type for e in data.entries] == expected
    assert {"case_created", "identity_viewed", "possible_duplicate_flagged", "mystery_event"} <= {
        e.event_type for e in data.entries
    }
    assert "other-case-marker" not in [e.reason for e in data.entries]
    times = [e.occurred_at for e in data.entries]
    assert times == sorted(times)


def test_the_document_says_in_dutch_who_did_what_when_and_why(app, world, history, inside):
    with in_language("nl"):
        document = read_docx(build_access_overview_docx(access_overview(history)).getvalue())
    text = body_text(document)
    assert f"Wie de gegevens van casus {history.pseudonym} heeft ingezien of gewijzigd" in text
    assert "Identiteit ingezien" in text
    assert "Toegang" in text or "geweigerd" in text
    assert "Casus aangemeld" in text
    assert "Mogelijk dubbele casus gesignaleerd" in text
    assert "Gegevens ingezien (mystery_event)" in text  # the generic words for an unknown type
    assert "Greet Begeleider" in text
    assert "GGZ Noord, " in text  # organisation and role
    assert "organisation outside the consent's scope" in text  # why it was refused
    header = document.tables[0].rows[0].cells
    assert [c.text for c in header] == [
        "Wanneer", "Wie", "Organisatie en rol", "Wat", "Uitkomst", "Waarom"
    ]  # fmt: skip


def test_the_document_never_names_another_case(app, world, history):
    with in_language("nl"):
        content = build_access_overview_docx(access_overview(history)).getvalue()
    parts = package_parts(content)
    for other in (world.fictional_case, world.other_case):
        assert not [name for name, text in parts.items() if other.pseudonym in text]
    assert "other-case-marker" not in "".join(parts.values())
    assert "een andere casus" in parts["word/document.xml"]


def test_the_download_opens_and_holds_no_identity_value_anywhere(app, world, history, inside):
    response = _download(app, inside, history)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert f"inzageoverzicht-{history.pseudonym}.docx" in response.headers["Content-Disposition"]
    document = read_docx(response.data)
    assert document.core_properties.author == "Casustafel"
    assert "Identiteit ingezien" in body_text(document)
    parts = package_parts(response.data)
    assert any(name.startswith("word/header") for name in parts)
    found = {(n, v) for n, text in parts.items() for v in IDENTITY_VALUES if v in text}
    assert not found
    assert history.pseudonym in parts["word/document.xml"]


def test_the_download_is_audited_and_the_screening_read_too(app, world, history, inside):
    assert _download(app, inside, history).status_code == 200
    exported = _rows_of("access_overview_exported")
    assert len(exported) == 1
    row = exported[0]
    assert (row.user_id, row.action, row.case_pseudonym) == (
        inside.id,
        AuditAction.EXECUTE,
        history.pseudonym,
    )
    scans = [r for r in _rows_of("identity_scanned") if r.reason == "access_overview_exported"]
    assert [(r.user_id, r.case_pseudonym) for r in scans] == [(inside.id, history.pseudonym)]


def test_an_overview_with_personal_data_in_a_reason_is_refused_whole(app, world, inside):
    case = world.consent_case
    place_row(f"belde {IDENTITY.full_name}", at=utc(2026, 3, 1), user=inside,
              pseudonym=case.pseudonym)  # fmt: skip
    response = _download(app, inside, case)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert IDENTITY.full_name not in html
    assert f'href="/casussen/{case.id}"' in html
    assert _rows_of("access_overview_exported") == []
    assert len(_rows_of("export_refused")) == 1


# --- who may make it ----------------------------------------------------------------------------


def test_the_case_page_offers_the_overview_only_inside_the_scope(app, world, inside):
    url = f"/casussen/{world.consent_case.id}"
    link = f'href="{url}/inzageoverzicht.docx"'
    for user, shown in ((inside, True), (world.users[Role.PROCESBEGELEIDER], False)):
        client = app.test_client()
        AuthActions(client).login(user.email)
        assert (link in client.get(url).get_data(as_text=True)) is shown


@pytest.mark.parametrize(
    "who",
    ["procesbegeleider outside the scope", "deelnemer inside the scope", "projectleider"],
)
def test_others_are_refused_and_logged(app, world, inside, who):
    user = {
        "procesbegeleider outside the scope": world.users[Role.PROCESBEGELEIDER],
        "deelnemer inside the scope": world.users[Role.DEELNEMER],
        "projectleider": world.users[Role.PROJECTLEIDER],
    }[who]
    assert _download(app, user, world.consent_case).status_code == 403
    denial = _rows_of("access_denied")[-1]
    assert (denial.user_id, denial.check_result, denial.case_pseudonym) == (
        user.id,
        "can_export_access_overview",
        world.consent_case.pseudonym,
    )
    assert denial.outcome == AuditOutcome.DENIED
    assert _rows_of("access_overview_exported") == []


def test_another_groups_case_is_refused_and_logged(app, world, inside):
    assert _download(app, inside, world.other_case).status_code == 403
    assert _rows_of("access_denied")[-1].case_pseudonym == world.other_case.pseudonym


def test_the_beheerder_is_refused(app, world):
    assert _download(app, world.users[Role.BEHEERDER], world.consent_case).status_code == 403


# --- bounded, and on the command line -----------------------------------------------------------


def test_the_read_model_takes_a_fixed_number_of_queries(app, world, inside, count_queries):
    case = world.consent_case
    people = [*world.users.values(), inside, world.extra_member]

    def queries() -> int:
        db.session.expire_all()
        case_again = db.session.get(type(case), case.id)
        _ = case_again.group.region_id
        with count_queries() as counted:
            access_overview(case_again)
        return len(counted)

    place_row("one", at=utc(2026, 3, 1), user=inside, pseudonym=case.pseudonym)
    before = queries()
    for number in range(30):
        place_row(f"row {number}", at=utc(2026, 3, 2, number % 24),
                  user=people[number % len(people)], pseudonym=case.pseudonym)  # fmt: skip
    assert queries() == before == 1


def test_the_command_writes_the_overview(app, world, history, runner, tmp_path):
    output = tmp_path / "overzicht.docx"
    result = runner.invoke(
        args=["audit", "overview", "--case", str(history.id), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert history.pseudonym in result.output
    text = body_text(read_docx(output.read_bytes()))
    assert "Identiteit ingezien" in text
    package = "".join(package_parts(output.read_bytes()).values())
    assert not [value for value in IDENTITY_VALUES if value in package]
    row = _rows_of("access_overview_exported")[-1]
    assert (row.user_id, row.source_address, row.check_result) == (None, "cli", "operator")


def test_the_command_refuses_an_unknown_case_and_personal_data(app, world, runner, tmp_path):
    output = tmp_path / "overzicht.docx"
    result = runner.invoke(args=["audit", "overview", "--case", "999999", "--output", str(output)])
    assert result.exit_code != 0
    place_row(f"BSN {IDENTITY.bsn}", at=utc(2026, 3, 1), pseudonym=world.consent_case.pseudonym)
    result = runner.invoke(
        args=["audit", "overview", "--case", str(world.consent_case.id), "--output", str(output)]
    )
    assert result.exit_code == 1
    assert IDENTITY.bsn not in result.output
    assert list(tmp_path.iterdir()) == []
