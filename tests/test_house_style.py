"""A region's house style through HTTP: the beheerder uploads a reference .docx, sees its effect
in a sample, replaces and removes it; anything that is no usable reference is refused with a
message that says what is wrong, and nothing is stored."""

from __future__ import annotations

import io
import os
import re
from html import unescape

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from facilitator.audit.models import AuditAction, AuditEvent
from facilitator.exports.models import HouseStyle
from facilitator.extensions import db
from facilitator.users.models import Role
from tests.helpers import csrf_token, post_form
from tests.reference_docs import (
    BODY_TEXT,
    FOOTER_TEXT,
    HEADER_TEXT,
    HEADING_COLOUR,
    HEADING_FONT,
    LOGO,
    reference_docx,
    with_parts,
    zip_bomb,
    zip_of,
)

BEHEERDER = "beheerder@noord.example"


def page_of(region) -> str:
    return f"/beheer/regios/{region.id}/huisstijl"


def multipart(token: str, content: bytes, filename: str) -> dict:
    """The body a browser sends, built in memory (the test client spools a large one to a
    temporary file that nothing closes when the app refuses it unread)."""
    boundary, body = encode_multipart(
        {"csrf_token": token, "file": FileStorage(io.BytesIO(content), filename=filename)}
    )
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def upload(client, region, content: bytes, filename: str = "huisstijl-noord.docx"):
    token = csrf_token(client, page_of(region))
    return client.post(page_of(region), **multipart(token, content, filename))


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(HouseStyle))


def audit_events(event_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.event_type == event_type)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def sample(client, region) -> docx.document.Document:
    response = client.get(f"{page_of(region)}/voorbeeld.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in response.headers["Content-Disposition"]
    return docx.Document(io.BytesIO(response.data))


def header_images(document) -> list[bytes]:
    header = document.sections[0].header
    return [
        relationship.target_part.blob
        for relationship in header.part.rels.values()
        if relationship.reltype.endswith("/image")
    ]


def test_an_upload_dresses_the_sample_in_the_references_header_footer_logo_and_headings(
    client, auth, world
):
    auth.login(BEHEERDER)
    response = upload(client, world.region, reference_docx())
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "De huisstijl van Regio Noord is opgeslagen." in text_of(page)
    assert "huisstijl-noord.docx" in text_of(page)
    style = db.session.get(HouseStyle, world.region.id)
    assert style.uploaded_by_id == world.users[Role.BEHEERDER].id and len(style.sha256) == 64
    [event] = audit_events("house_style_set")
    assert event.action == AuditAction.CREATE and event.object_id == str(world.region.id)

    document = sample(client, world.region)
    header = document.sections[0].header
    assert HEADER_TEXT in header.paragraphs[0].text
    assert header_images(document) == [LOGO]
    assert header._element.xpath(".//w:drawing"), "the logo is drawn in the header"
    footer = document.sections[0].footer
    assert FOOTER_TEXT in [p.text for p in footer.paragraphs]
    assert " NUMPAGES " in footer._element.xml
    heading = document.styles["Heading 1"]
    assert heading.font.color.rgb == HEADING_COLOUR and heading.font.name == HEADING_FONT
    texts = [p.text for p in document.paragraphs]
    assert BODY_TEXT not in texts, "the reference's own text is left behind"
    assert [p.style.style_id for p in document.paragraphs if p.style.style_id.startswith("H")] == [
        "Heading1",
        "Heading2",
        "Heading3",
    ]
    assert texts[0] == "Voorbeeld in de huisstijl van Regio Noord"
    assert document.core_properties.author == "Regio Noord"
    assert len(document.tables) == 1


def test_without_a_house_style_the_sample_has_the_built_in_style(client, auth, world):
    auth.login(BEHEERDER)
    page = client.get(page_of(world.region))
    assert "Deze regio heeft geen huisstijl" in text_of(page)
    document = sample(client, world.region)
    assert header_images(document) == []
    assert document.styles["Heading 1"].font.color.rgb != HEADING_COLOUR


def test_a_reference_from_dutch_word_is_taken_and_its_kop_styles_used(client, auth, world):
    auth.login(BEHEERDER)
    assert upload(client, world.region, reference_docx(heading_ids="Kop")).status_code == 302
    styles = [p.style.style_id for p in sample(client, world.region).paragraphs]
    assert {"Kop1", "Kop2", "Kop3"} <= set(styles)


def test_a_new_upload_replaces_the_house_style(client, auth, world):
    auth.login(BEHEERDER)
    upload(client, world.region, reference_docx())
    first = db.session.get(HouseStyle, world.region.id).sha256
    replacement = with_parts(reference_docx(), {"customXml/versie.xml": b"<v>2</v>"})
    assert upload(client, world.region, replacement, "huisstijl-2027.docx").status_code == 302
    db.session.expire_all()
    style = db.session.get(HouseStyle, world.region.id)
    assert (style.filename, stored()) == ("huisstijl-2027.docx", 1)
    assert style.sha256 != first
    assert [e.action for e in audit_events("house_style_set")] == [
        AuditAction.CREATE,
        AuditAction.UPDATE,
    ]


REFUSED = {
    "not a zip": (b"%PDF-1.7\n" + b"0" * 4000, "geen zip-archief"),
    "a zip that is no docx": (zip_of({"notulen.txt": b"agenda"}), "geen Word-document"),
    "no Heading 3": (reference_docx(without=(3,)), "ontbreekt de stijl Heading 3 (Kop 3)"),
    "too many parts": (
        with_parts(reference_docx(), {f"word/media/i{n}.png": b"x" for n in range(200)}),
        "meer dan 200 onderdelen",
    ),
    "a zip bomb": (zip_bomb(40), "uitgepakt groter dan 20 MB"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_file_that_is_no_usable_reference_is_refused_saying_why_and_nothing_stored(
    client, auth, world, case
):
    content, message = REFUSED[case]
    auth.login(BEHEERDER)
    response = upload(client, world.region, content)
    assert response.status_code == 200
    shown = text_of(response)
    assert message in shown
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert stored() == 0 and audit_events("house_style_set") == []


def test_an_upload_over_the_request_limit_gets_a_clear_message_and_stores_nothing(
    client, auth, world, app
):
    auth.login(BEHEERDER)
    limit = app.config["MAX_CONTENT_LENGTH"]
    big = with_parts(reference_docx(), {"word/media/foto.bin": os.urandom(limit)})
    response = upload(client, world.region, big)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page_of(world.region))
    page = client.get(response.headers["Location"])
    assert "Het bestand is te groot: een huisstijl mag ten hoogste 2 MB zijn." in text_of(page)
    assert stored() == 0


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("huisstijl 111222333.docx", "BSN"),
        ("huisstijl 111.222.333.docx", "BSN"),
        ("huisstijl \u202ecod.docx", "tekens die niet zijn toegestaan"),
        ("huisstijl.pdf", "Alleen een Word-document (.docx)"),
    ],
)
def test_a_filename_with_personal_data_or_another_extension_is_refused(
    client, auth, world, filename, message
):
    auth.login(BEHEERDER)
    response = upload(client, world.region, reference_docx(), filename)
    assert response.status_code == 200
    assert message in text_of(response)
    assert stored() == 0


def test_a_path_sent_as_the_filename_is_kept_as_the_files_own_name(client, auth, world):
    auth.login(BEHEERDER)
    upload(client, world.region, reference_docx(), "/home/communicatie/sjablonen/huisstijl.docx")
    assert db.session.get(HouseStyle, world.region.id).filename == "huisstijl.docx"


def test_removing_asks_first_then_leaves_the_built_in_style(client, auth, world):
    auth.login(BEHEERDER)
    upload(client, world.region, reference_docx())
    confirm = client.get(f"{page_of(world.region)}/verwijderen")
    assert "huisstijl-noord.docx" in text_of(confirm)
    assert stored() == 1
    response = post_form(client, f"{page_of(world.region)}/verwijderen")
    assert response.status_code == 302
    assert "De huisstijl is verwijderd." in text_of(client.get(response.headers["Location"]))
    assert stored() == 0
    [event] = audit_events("house_style_removed")
    assert event.action == AuditAction.DELETE
    assert header_images(sample(client, world.region)) == []


def test_removing_a_house_style_that_is_not_there_says_so(client, auth, world):
    auth.login(BEHEERDER)
    page = client.get(f"{page_of(world.region)}/verwijderen")
    assert "Deze regio heeft geen huisstijl." in text_of(page)
    response = post_form(client, f"{page_of(world.region)}/verwijderen")
    assert "Deze regio heeft geen huisstijl." in text_of(client.get(response.headers["Location"]))


def test_the_beheerder_keeps_the_house_style_of_every_region(client, auth, world):
    """The beheerder works across regions (README, Roles), as on the other region pages."""
    auth.login(BEHEERDER)
    assert upload(client, world.other_region, reference_docx()).status_code == 302
    assert db.session.get(HouseStyle, world.other_region.id) is not None
    assert client.get("/beheer/regios/999999/huisstijl").status_code == 404


@pytest.mark.parametrize("role", [Role.PROJECTLEIDER, Role.PROCESBEGELEIDER, Role.DEELNEMER])
def test_only_the_beheerder_may_see_or_change_a_house_style(client, auth, world, role):
    auth.login(world.users[role].email)
    base = page_of(world.region)
    for url in (base, f"{base}/voorbeeld.docx", f"{base}/verwijderen"):
        assert client.get(url).status_code == 403, url
    token = csrf_token(client, "/account/")
    response = client.post(base, **multipart(token, reference_docx(), "h.docx"))
    assert response.status_code == 403
    assert stored() == 0
    denied = audit_events("access_denied")
    assert denied and all(e.user_id == world.users[role].id for e in denied)


def test_the_region_pages_link_to_the_house_style(client, auth, world):
    auth.login(BEHEERDER)
    assert page_of(world.region) in client.get("/beheer/regios").get_data(as_text=True)
    edit = client.get(f"/beheer/regios/{world.region.id}/bewerken").get_data(as_text=True)
    assert page_of(world.region) in edit


def test_the_sample_keeps_a_drawing_of_the_reference_header_in_the_word_xml(client, auth, world):
    """The header's relationship to its image survives: the r:embed of the drawing resolves."""
    auth.login(BEHEERDER)
    upload(client, world.region, reference_docx())
    header = sample(client, world.region).sections[0].header
    [blip] = header._element.xpath(".//a:blip")
    assert header.part.related_parts[blip.get(qn("r:embed"))].blob == LOGO
