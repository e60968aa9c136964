"""The logbook page, its downloads and its command (issue 10), through HTTP with CSRF on and the
CLI: only the projectleider of the region, the same content as the document, an edition kept
for every Word download, CSVs for Dutch Excel, and no file at all when text holds personal data.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, timedelta
from io import BytesIO

import docx
import pytest
from sqlalchemy import select, update

from facilitator.audit.models import AuditAction, AuditEvent
from facilitator.exports.models import LogbookEdition
from facilitator.extensions import db
from facilitator.meetings.models import Finding
from facilitator.users.models import Role
from tests.helpers import csrf_token
from tests.logbook_world import make_logbook_world

HEADINGS = [
    "Samenvatting",
    "Bijeenkomsten",
    "Casussen",
    "Bevindingen",
    "Signalen voor de beleidsgroep",
    "Vervolgacties",
    "Regievoering",
    "Bouwstenen",
    "Monitoring",
    "Verhalen",
    "Feedback",
]


@pytest.fixture
def logbook(app):
    return make_logbook_world()


@pytest.fixture
def leader_client(client, auth, logbook):
    auth.login(logbook.world.users[Role.PROJECTLEIDER].email)
    return client


def _period(logbook, **extra) -> dict:
    return {"van": logbook.period_from.isoformat(), "tot": logbook.period_to.isoformat(), **extra}


def _download(client, logbook, **extra):
    token = csrf_token(client, "/logboek")
    return client.post("/logboek/download", data={"csrf_token": token, **_period(logbook, **extra)})


def _editions() -> list[LogbookEdition]:
    return db.session.scalars(select(LogbookEdition)).all()


def test_the_projectleider_sees_every_section_in_the_documents_order(leader_client, logbook):
    response = leader_client.get("/logboek", query_string=_period(logbook))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    keys = ("samenvatting", "bijeenkomsten", "casussen", "bevindingen", "signalen",
            "vervolgacties", "regievoering", "bouwstenen", "monitoring",
            "verhalen", "feedback")  # fmt: skip
    positions = [
        page.index(f'id="{key}">{title}') for key, title in zip(keys, HEADINGS, strict=True)
    ]
    assert positions == sorted(positions)
    for text in (
        "Regels over bijverdienen schrikken af",
        "Werkgever benaderen over een proefplaats",
    ):
        assert text in page
    chart = re.search(r'<img src="(/logboek/bouwstenen/\d+\.png\?[^"]+)" alt="([^"]+)"', page)
    assert chart and "Lijngrafiek" in chart.group(2)
    image = leader_client.get(chart.group(1).replace("&amp;", "&"))
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")


def test_without_a_choice_the_page_shows_the_last_full_quarter(leader_client):
    page = leader_client.get("/logboek").get_data(as_text=True)
    today = date.today()
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = date(today.year, first_month, 1) - timedelta(days=1)
    assert f'value="{end.isoformat()}"' in page
    assert 'id="samenvatting"' in page


@pytest.mark.parametrize("email", ["beheerder", "procesbegeleider", "deelnemer"])
def test_other_roles_are_refused_the_logbook(client, auth, logbook, email):
    auth.login(f"{email}@noord.example")
    assert client.get("/logboek").status_code == 403
    assert client.get("/logboek/bevindingen.csv").status_code == 403


def test_a_group_of_another_region_is_refused_and_logged(leader_client, logbook):
    foreign = logbook.world.other_group.id
    response = leader_client.get("/logboek", query_string=_period(logbook, groepen=foreign))
    assert response.status_code == 403
    denial = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "access_denied")
    ).one()
    assert denial.check_result == "not_of_this_region"
    assert _download(leader_client, logbook, groepen=foreign).status_code == 403
    assert not _editions()


def test_a_group_value_that_is_no_id_is_a_form_error_not_a_denial(leader_client, logbook):
    response = leader_client.get("/logboek", query_string=_period(logbook, groepen="abc"))
    assert response.status_code == 422
    assert "access_denied" not in {row.event_type for row in db.session.scalars(select(AuditEvent))}
    assert _download(leader_client, logbook, groepen="abc").status_code == 422
    assert not _editions()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"van": "2026-03-01", "tot": "2026-01-01"}, "De laatste dag ligt vóór de eerste dag."),
        ({"van": "2020-01-01", "tot": "2026-01-01"}, "Kies een periode van hoogstens drie jaar."),
        ({"van": "", "tot": "2026-01-01"}, "Vul de eerste dag in."),
        ({"van": "2026-01-01\u202e", "tot": "2026-03-01"}, "Vul de eerste dag in."),
        ({"van": "2026-01-01", "tot": "9" * 5000}, "Vul de laatste dag in."),
    ],
)
def test_a_wrong_period_gets_a_clear_message_and_no_file(leader_client, period, message):
    response = leader_client.get("/logboek", query_string=period)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    token = csrf_token(leader_client, "/logboek")
    assert (
        leader_client.post("/logboek/download", data={"csrf_token": token, **period}).status_code
        == 422
    )
    assert not _editions()


def test_downloading_issues_an_edition_and_sends_the_same_file(leader_client, logbook):
    response = _download(leader_client, logbook, groepen=logbook.world.group.id)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert re.search(r"filename=logboek-[\d-]+-editie-\d+\.docx", disposition)
    [edition] = _editions()
    assert edition.content == response.data
    assert [g.id for g in edition.groups] == [logbook.world.group.id]
    assert edition.issued_by_id == logbook.world.users[Role.PROJECTLEIDER].id
    document = docx.Document(BytesIO(response.data))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == HEADINGS
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "logbook_exported")
    ).one()
    assert exported.action == AuditAction.EXECUTE
    page = leader_client.get("/logboek").get_data(as_text=True)
    assert edition.sha256[:12] in page
    kept = leader_client.get(f"/logboek/edities/{edition.id}/downloaden")
    assert kept.data == edition.content and kept.headers["Cache-Control"] == "no-store"
    assert leader_client.get(f"/logboek/edities/{edition.id}").status_code == 200


def test_an_edition_of_another_region_is_refused(client, auth, logbook):
    auth.login(logbook.world.users[Role.PROJECTLEIDER].email)
    _download(client, logbook)
    [edition] = _editions()
    edition.region_id = logbook.world.other_region.id
    db.session.commit()
    assert client.get(f"/logboek/edities/{edition.id}/downloaden").status_code == 403


def test_a_finding_with_personal_data_refuses_every_download_naming_the_place(
    leader_client, logbook
):
    hostile = "Cliënt Jan Willem Voorbeeldt, BSN 123.456.782, IBAN NL91ABNA0417164300"
    db.session.execute(
        update(Finding)
        .where(Finding.text == "Regels over bijverdienen schrikken af")
        .values(text=hostile)
    )
    db.session.commit()
    response = _download(leader_client, logbook)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    finding = db.session.scalars(select(Finding).where(Finding.text == hostile)).one()
    spot = f"/bijeenkomsten/{logbook.earlier.id}/correcties/bevindingen/{finding.id}"
    assert f'href="{spot}"' in page
    assert logbook.anonymous_case.pseudonym in page
    for leaked in ("Voorbeeldt", "123.456.782", "NL91ABNA"):
        assert leaked not in page
    assert not _editions()
    csv = leader_client.get("/logboek/bevindingen.csv", query_string=_period(logbook))
    assert csv.status_code == 409 and "Voorbeeldt" not in csv.get_data(as_text=True)
    db.session.execute(update(Finding).where(Finding.text == hostile).values(text="Opgelost"))
    db.session.commit()
    corrected = _download(leader_client, logbook)
    assert corrected.status_code == 200
    package = zipfile.ZipFile(BytesIO(corrected.data))
    everything = b"".join(package.read(name) for name in package.namelist())
    for value in ("Voorbeeldt", "123456782", "123.456.782", "CL-90812", "1984-03-07", "07-03-1984"):
        assert value.encode() not in everything


def test_the_findings_csv_opens_in_dutch_excel_one_row_per_finding(leader_client, logbook):
    db.session.execute(
        update(Finding)
        .where(Finding.text == "Gezamenlijk budget voor jobcoaching")
        .values(text='=HYPERLINK("https://kwaad.example","klik")')
    )
    db.session.commit()
    response = leader_client.get("/logboek/bevindingen.csv", query_string=_period(logbook))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith("\ufeff".encode())
    lines = response.data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Groep;Datum bijeenkomst;Niveau;Soort;Bevinding;Signaal"
    assert len([line for line in lines[1:] if line]) == 3
    assert any("'=HYPERLINK" in line for line in lines)
    assert not any(";=HYPERLINK" in line or ';"=HYPERLINK' in line for line in lines)


def test_the_actions_csv_has_one_row_per_action(leader_client, logbook):
    response = leader_client.get("/logboek/acties.csv", query_string=_period(logbook))
    lines = [line for line in response.data.decode("utf-8-sig").split("\r\n") if line]
    assert lines[0].split(";") == [
        "Groep",
        "Afgesproken op",
        "Actie",
        "Uitvoerder",
        "Organisatie",
        "Uiterlijk",
        "Status",
        "Over tijd",
    ]
    assert len(lines) == 1 + 4
    assert any("Werkgever benaderen over een proefplaats" in line and line.endswith(";ja")
               for line in lines)  # fmt: skip


# --- the command line --------------------------------------------------------------------------


def _command(logbook, output, *extra) -> list[str]:
    return [
        "export",
        "logbook",
        "--region",
        "Regio Noord",
        "--from",
        logbook.period_from.isoformat(),
        "--to",
        logbook.period_to.isoformat(),
        "--output",
        str(output),
        *extra,
    ]


def test_the_command_writes_the_logbook_and_keeps_an_edition(runner, logbook, tmp_path):
    output = tmp_path / "logboek.docx"
    result = runner.invoke(args=_command(logbook, output, "--group", "Casusgroep Noord"))
    assert result.exit_code == 0, result.output
    [edition] = _editions()
    assert output.read_bytes() == edition.content
    assert edition.issued_by_id is None
    assert [g.name for g in edition.groups] == ["Casusgroep Noord"]


def test_the_command_writes_a_csv_without_an_edition(runner, logbook, tmp_path):
    output = tmp_path / "acties.csv"
    result = runner.invoke(args=_command(logbook, output, "--csv", "actions"))
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith("\ufeffGroep;".encode())
    assert not _editions()


def test_the_command_lists_the_places_and_writes_nothing_on_personal_data(
    runner, logbook, tmp_path
):
    db.session.execute(
        update(Finding)
        .where(Finding.text == "Regels over bijverdienen schrikken af")
        .values(text="BSN 123 456 782")
    )
    db.session.commit()
    output = tmp_path / "logboek.docx"
    result = runner.invoke(args=_command(logbook, output))
    assert result.exit_code == 1
    assert logbook.anonymous_case.pseudonym in result.output
    assert "123" not in result.output.replace(logbook.anonymous_case.pseudonym, "")
    assert not output.exists()
    assert not _editions()


def test_the_command_refuses_an_unknown_group(runner, logbook, tmp_path):
    result = runner.invoke(
        args=_command(logbook, tmp_path / "x.docx", "--group", "Casusgroep Zuid")
    )
    assert result.exit_code != 0
    assert "Casusgroep Zuid" in result.output
