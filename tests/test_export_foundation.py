"""The parts every export shares: the last screening, the Word base, CSV for Dutch Excel, and
the editions with the feedback that the next edition reports back on."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import docx
import pytest
from sqlalchemy import select

from facilitator.audit.models import AuditEvent
from facilitator.exceptions import ServiceError
from facilitator.exports import document, editions, feedback
from facilitator.exports.csv import csv_bytes
from facilitator.exports.screening import ExportRefused, Place, TextInScope, screen_export
from facilitator.extensions import db
from facilitator.users.models import Role
from tests import factories


def _place(field: str) -> Place:
    return Place(where="Bijeenkomst 3 december", case_pseudonym="K-TEST", field=field, url="/x")


def test_screening_names_every_place_with_personal_data_and_reads_identities_audited(app):
    world = factories.make_world()
    texts = [
        TextInScope(_place("Situatie"), "BSN 123.456.782 genoemd"),
        TextInScope(_place("Bevinding"), "Jan Willem Voorbeeldt wil werken"),
        TextInScope(_place("Actie"), "Werkgever bellen over de proefplaatsing"),
        TextInScope(_place("Rekening"), "NL91 ABNA 0417 1643 00"),
    ]
    with pytest.raises(ExportRefused) as refused:
        screen_export(texts, [world.consent_case.id], actor=None, reason="test export")
    found = {(hit.place.field, hit.kind) for hit in refused.value.hits}
    assert ("Situatie", "bsn") in found or ("Situatie", "identity") in found
    assert ("Bevinding", "identity") in found
    assert ("Rekening", "iban") in found
    assert not any(field == "Actie" for field, _ in found)
    audited = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.event_type == "identity_scanned", AuditEvent.check_result == "export"
        )
    ).all()
    assert [row.case_pseudonym for row in audited] == [world.consent_case.pseudonym]


def test_screening_lets_clean_text_through(app):
    world = factories.make_world()
    texts = [TextInScope(_place("Bevinding"), "Werkgever en UWV spreken een proefplaatsing af")]
    screen_export(texts, [world.consent_case.id, world.fictional_case.id], actor=None, reason="t")


def test_the_word_base_has_header_page_fields_and_explicit_properties(app):
    doc = document.new_document()
    document.set_running_texts(doc, "Casusgroep Noord · 3 december 2026")
    document.set_properties(doc, title="Verslag", author="Regio Noord")
    document.add_table(doc, ["Wat", "Wie"], [("Bellen", "Piet"), ("Mailen", None)])
    data = document.to_bytes(doc).getvalue()
    opened = docx.Document(io.BytesIO(data))
    assert opened.sections[0].header.paragraphs[0].text == "Casusgroep Noord · 3 december 2026"
    footer = opened.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert opened.core_properties.author == "Regio Noord"
    assert opened.core_properties.last_modified_by == "Regio Noord"
    assert opened.core_properties.comments == ""
    rows = [[cell.text for cell in row.cells] for row in opened.tables[0].rows]
    assert rows == [["Wat", "Wie"], ["Bellen", "Piet"], ["Mailen", ""]]
    assert "w:tblHeader" in opened.tables[0].rows[0]._tr.xml
    # A reference document keeps its header and loses its body.
    again = document.new_document(data)
    assert again.paragraphs == [] and not again.tables
    assert again.sections[0].header.paragraphs[0].text.startswith("Casusgroep Noord")
    assert zipfile.is_zipfile(io.BytesIO(data))


def test_csv_is_for_dutch_excel_and_neutralises_formulas():
    data = csv_bytes(["Tekst", "Aantal"], [('=HYPERLINK("x")', 3), ("Café; ja", None)])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["Tekst", "Aantal"], ['\'=HYPERLINK("x")', "3"], ["Café; ja", ""]]


def test_feedback_is_screened_and_comes_back_for_the_next_edition_of_the_same_scope(app):
    world = factories.make_world()
    leader = world.users[Role.PROJECTLEIDER]
    region = world.group.region

    def issue(groups, start, end):
        return editions.issue_edition(
            region=region,
            groups=groups,
            period_from=start,
            period_to=end,
            content=b"x",
            actor=leader,
        )

    first = issue([world.group], date(2026, 1, 1), date(2026, 3, 31))
    whole_region = issue([], date(2026, 1, 1), date(2026, 3, 31))
    said = feedback.record_feedback(
        first,
        body="klankbordgroep",
        given_on=date(2026, 4, 9),
        summary="Meer werkgevers aan tafel",
        decisions="UWV nodigt ze uit",
        actor=leader,
    )
    with pytest.raises(ServiceError):
        feedback.record_feedback(
            first,
            body="beleidsgroep",
            given_on=date(2026, 4, 9),
            summary="Client 123456782 besproken",
            decisions="",
            actor=leader,
        )
    with pytest.raises(ServiceError):
        feedback.record_feedback(
            first,
            body="beleidsgroep",
            given_on=date(2999, 1, 1),
            summary="Later",
            decisions="",
            actor=leader,
        )
    db.session.flush()
    assert feedback.feedback_before(region.id, [world.group.id], date(2026, 6, 30)) == [said]
    assert feedback.feedback_before(region.id, [], date(2026, 6, 30)) == []
    assert feedback.feedback_before(region.id, [world.group.id], date(2026, 3, 31)) == []
    assert whole_region.sha256 and first.sha256 == editions.editions_of(region.id)[0].sha256


def test_a_table_shares_the_width_as_asked_in_the_grid_and_in_every_cell(app):
    doc = document.new_document()
    document.add_table(doc, ["Bevinding", "Groep"], [("Lang verhaal", "Noord")] * 3, widths=(3, 1))
    opened = docx.Document(io.BytesIO(document.to_bytes(doc).getvalue()))
    table = opened.tables[0]
    grid = [column.width for column in table.columns]
    assert abs(grid[0] - 3 * grid[1]) < 5_000  # EMU: rounding only
    for row in table.rows:
        # A cell's width is kept in twips: equal to the grid's up to the rounding of one.
        assert all(abs(c.width - w) < 635 for c, w in zip(row.cells, grid, strict=True))


def test_feedback_on_a_period_issued_twice_comes_back_whichever_edition_it_was_given_on(app):
    world = factories.make_world()
    leader = world.users[Role.PROJECTLEIDER]
    region = world.group.region
    first, again = (
        editions.issue_edition(
            region=region, groups=[], period_from=date(2026, 1, 1), period_to=date(2026, 3, 31),
            content=b"x", actor=leader,
        )
        for _ in range(2)
    )  # fmt: skip
    said = feedback.record_feedback(
        first, body="beleidsgroep", given_on=date(2026, 4, 20), summary="Meer cijfers",
        decisions="", actor=leader,
    )  # fmt: skip
    later = feedback.record_feedback(
        again, body="klankbordgroep", given_on=date(2026, 4, 21), summary="Meer verhalen",
        decisions="", actor=leader,
    )  # fmt: skip
    db.session.flush()
    assert feedback.feedback_before(region.id, [], date(2026, 6, 30)) == [said, later]
