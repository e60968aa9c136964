"""No identity ever leaves in the minutes (issue 10; SECURITY.md P8, P9).

Old records that never passed the guard (inserted straight into the database here) hold a BSN
written with dots, an IBAN and the name of the client of an identifiable case: the export is
refused with the places, each a link to correct it, and no file is made, on the page and on the
command line. Once corrected, no identity value is anywhere in the .docx package; and the file
opens outside python-docx: LibreOffice converts it to PDF.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, update

from facilitator.extensions import db
from facilitator.meetings.models import FieldValue, Finding, Meeting
from tests.factories import IDENTITY
from tests.minutes_helpers import CLARIFIED, hold_world_meeting, package_parts

#: A valid BSN (check digit) of nobody in the world, so the guard's BSN rule finds it.
BSN_WITH_DOTS = "111.222.333"
IBAN = "NL91 ABNA 0417 1643 00"
IDENTITY_VALUES = (
    IDENTITY.full_name,
    "Voorbeeldt",
    IDENTITY.bsn,
    "123.456.782",
    BSN_WITH_DOTS,
    IDENTITY.client_number,
    "1984-03-07",
    "07-03-1984",
    "NL91ABNA0417164300",
    IBAN,
)
MEMBER = "deelnemer@noord.example"


@pytest.fixture
def held(world) -> Meeting:
    return hold_world_meeting(world)


@pytest.fixture
def leaked(world, held) -> Meeting:
    """Hostile old records of the held meeting, written past the guard."""
    db.session.execute(
        update(FieldValue)
        .where(FieldValue.meeting_id == held.id, FieldValue.field_key == "verduidelijking")
        .values(value=f"Cliënt (BSN {BSN_WITH_DOTS}) krijgt zijn uitkering op {IBAN}.")
    )
    db.session.execute(
        update(Finding)
        .where(Finding.meeting_id == held.id, Finding.text == "Bevinding 7 knelpunt")
        .values(text=f"{IDENTITY.full_name} belde zelf de werkgever")
    )
    db.session.commit()
    return held


def _correct(meeting: Meeting) -> None:
    db.session.execute(
        update(FieldValue)
        .where(FieldValue.meeting_id == meeting.id, FieldValue.field_key == "verduidelijking")
        .values(value=CLARIFIED)
    )
    db.session.execute(
        update(Finding)
        .where(Finding.meeting_id == meeting.id, Finding.text.like("%belde zelf%"))
        .values(text="De cliënt belde zelf de werkgever")
    )
    db.session.commit()


def test_the_download_is_refused_with_the_places_and_no_file(client, auth, world, leaked):
    auth.login(MEMBER)
    response = client.get(f"/bijeenkomsten/{leaked.id}/verslag.docx")
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    assert "Content-Disposition" not in response.headers
    page = response.get_data(as_text=True)
    fictional, consent = world.fictional_case, world.consent_case
    clarify = (
        f'href="/bijeenkomsten/{leaked.id}/leiden?stap=c:{fictional.id}:verhelderen'
        '#f-verduidelijking"'
    )
    leaked_finding = db.session.scalar(
        select(Finding).where(Finding.meeting_id == leaked.id, Finding.text.like("%belde zelf%"))
    )
    findings = (
        f'href="/bijeenkomsten/{leaked.id}/leiden?stap=c:{consent.id}:knelpunten_kansen'
        f'#finding-{leaked_finding.id}"'
    )
    assert page.count(clarify) == 2  # the BSN and the IBAN, in one field
    assert "De export is geweigerd: op 3 plekken zijn persoonsgegevens gevonden." in page
    assert findings in page
    assert "Verhelderende vragen: Wat is verhelderd" in page
    assert fictional.pseudonym in page and consent.pseudonym in page
    for kind in ("BSN", "rekeningnummer", "identiteit"):
        assert kind in page, kind
    # Where, never what.
    assert not [value for value in IDENTITY_VALUES if value in page]


def test_the_command_is_refused_with_the_places_and_writes_nothing(runner, world, leaked, tmp_path):
    output = tmp_path / "verslag.docx"
    result = runner.invoke(
        args=["export", "minutes", "--meeting", str(leaked.id), "--output", str(output)]
    )
    assert result.exit_code == 1
    assert world.consent_case.pseudonym in result.output
    assert "Wat is verhelderd" in result.output
    assert not [value for value in IDENTITY_VALUES if value in result.output]
    assert list(tmp_path.iterdir()) == []


def test_after_correction_no_identity_value_is_anywhere_in_the_package(client, auth, world, leaked):
    _correct(leaked)
    auth.login(MEMBER)
    response = client.get(f"/bijeenkomsten/{leaked.id}/verslag.docx")
    assert response.status_code == 200
    parts = package_parts(response.data)
    assert {"word/document.xml", "docProps/core.xml", "docProps/app.xml"} <= set(parts)
    assert any(name.startswith("word/header") for name in parts)
    assert any(name.startswith("word/footer") for name in parts)
    assert any(name.endswith(".rels") for name in parts)
    assert "De cliënt belde zelf de werkgever" in parts["word/document.xml"]
    found = {
        (name, value) for name, text in parts.items() for value in IDENTITY_VALUES if value in text
    }
    assert not found


def test_the_export_scan_of_identities_is_audited(client, auth, world, held):
    from facilitator.audit.models import AuditEvent

    auth.login(MEMBER)
    assert client.get(f"/bijeenkomsten/{held.id}/verslag.docx").status_code == 200
    db.session.expire_all()
    scans = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event_type == "identity_scanned")
    ).all()
    assert [s.case_pseudonym for s in scans] == [world.consent_case.pseudonym]


def test_libreoffice_converts_the_minutes_to_pdf(client, auth, world, held, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt install libreoffice-writer-nogui")
    auth.login(MEMBER)
    response = client.get(f"/bijeenkomsten/{held.id}/verslag.docx")
    source = tmp_path / "verslag.docx"
    source.write_bytes(response.data)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdf = Path(tmp_path / "verslag.pdf")
    assert pdf.exists(), result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
