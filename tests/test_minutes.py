"""The minutes of a held meeting as a Word file (issue 10): what they say, draft and final, the
header, footer and properties, the query count of their read model, and the command line."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import format_date

from facilitator.exports.minutes import minutes_data
from facilitator.exports.minutes_docx import build_minutes_docx
from facilitator.exports.minutes_services import approve_minutes
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import records
from facilitator.meetings.models import Meeting
from facilitator.users.models import Role
from tests.factories import make_case, make_meeting
from tests.holding import case_step, hold, record_case
from tests.minutes_helpers import (
    CASE_UPDATE,
    CLARIFIED,
    EARLIER_ACTION,
    GUEST,
    REVIEW_NOTE,
    WIDE_FINDING,
    body_text,
    hold_world_meeting,
    next_meeting,
    package_parts,
    read_docx,
    table_rows,
)


@pytest.fixture
def held(world) -> Meeting:
    return hold_world_meeting(world)


def _today() -> str:
    return format_date(local_today(), "d MMMM yyyy")


def test_the_draft_minutes_say_what_the_meeting_recorded(world, held):
    document = read_docx(build_minutes_docx(minutes_data(held)).getvalue())
    text = body_text(document)
    assert document.paragraphs[0].text == "Verslag van de bijeenkomst van Casusgroep Noord"
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[1].text.startswith("CONCEPT — Dit verslag is een concept")
    assert "Vastgesteld op" not in text
    # The cover block: group, date, time, place, protocol, procesbegeleider, status.
    cover = dict(row for row in table_rows(document) if len(row) == 2)
    assert cover["Groep"] == "Casusgroep Noord"
    assert cover["Datum"] == _today()
    assert re.fullmatch(r"\d\d:\d\d tot \d\d:\d\d uur", cover["Tijd"])
    assert cover["Locatie"] == "Stadskantoor, zaal 3"
    assert cover["Protocol"] == "Casusgroep: samenwerking rond de casus (versie 1.2)"
    assert cover["Procesbegeleider"] == world.users[Role.PROCESBEGELEIDER].name
    assert cover["Status"] == "concept (CONCEPT)"
    # Attendance per organisation: present, apologies, absent, guests.
    rows = table_rows(document)
    assert ["Organisatie", "Aanwezig", "Afgemeld", "Afwezig", "Gasten"] in rows
    gemeente = next(r for r in rows if r[0] == "Gemeente Noord" and len(r) == 5)
    assert world.users[Role.PROCESBEGELEIDER].name in gemeente[1]
    assert gemeente[2] == "Extra Lid"
    assert gemeente[4] == f"{GUEST} (werkgever)"
    # What was typed per step, under the protocol's titles and labels.
    assert "Afspraken bevestigd: Wat besproken wordt, blijft vertrouwelijk; Tijd per" in text
    assert f"Wat is verhelderd: {CLARIFIED}" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Verhelderende vragen" in headings
    for heading in ("Aanwezigheid", "Terugblik op de acties", "Besproken casussen", "Bouwstenen"):
        assert any(h.startswith(heading) for h in headings), heading
    # Per case, in agenda order: pseudonym, bringing organisation, findings, regie, actions.
    first, second = world.fictional_case.pseudonym, world.consent_case.pseudonym
    assert headings.index(f"Casus {first}") < headings.index(f"Casus {second}")
    assert "Ingebracht door: GGZ Noord" in text
    case_part = text[text.index(f"Casus {second}") :]
    assert "Uitvoering\nKnelpunt: Bevinding 7 knelpunt — signaal voor de beleidsgroep" in case_part
    assert "Kennis en competenties\nKans: Bevinding 7 kans" in case_part
    assert "Extra Lid (Gemeente Noord), sinds" in case_part
    assert "Actie 7 voor de casus | Extra Lid | Gemeente Noord |" in case_part
    assert f"Stand van zaken\n{CASE_UPDATE}" in text
    # The meeting-wide finding, the review of the earlier action, the building blocks.
    assert f"Kans: {WIDE_FINDING} (Gemeente Noord)" in text
    review = next(r for r in rows if r[0] == EARLIER_ACTION)
    assert review[2:4] == [first, "Gereed"] and review[5] == REVIEW_NOTE
    assert ["Vertrouwen", "4"] in rows
    assert "Wat ging goed: Goede voorbereiding" in text
    assert "Wat kan beter: Meer tijd voor acties" in text


def test_the_header_footer_and_properties_name_the_group_and_date_and_no_client(world, held):
    content = build_minutes_docx(minutes_data(held)).getvalue()
    document = read_docx(content)
    header = document.sections[0].header.paragraphs[0].text
    assert header == f"Casusgroep Noord · {_today()}"
    footer = package_parts(content)
    footer_xml = next(v for k, v in footer.items() if k.startswith("word/footer"))
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer_xml)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footer_xml)
    assert "Pagina" in footer_xml and " van " in footer_xml
    properties = document.core_properties
    assert properties.title == f"Verslag Casusgroep Noord {_today()}"
    assert properties.author == properties.last_modified_by == "Regio Noord"
    assert properties.comments == "" and properties.category == ""
    assert "concept" in properties.keywords


def test_final_minutes_say_when_and_in_which_meeting_they_were_approved(world, held):
    approving = next_meeting(world)
    approval = approve_minutes(
        held,
        in_meeting=approving,
        corrections="Bij de vervolgacties de organisatie aangevuld.",
        actor=world.users[Role.PROCESBEGELEIDER],
    )
    db.session.commit()
    document = read_docx(approval.content)
    text = body_text(document)
    assert f"Definitief — Vastgesteld op {_today()} in de bijeenkomst van {_today()}." in text
    assert "Correcties bij de vaststelling: Bij de vervolgacties de organisatie aangevuld." in text
    leader = world.users[Role.PROCESBEGELEIDER].name
    assert f"Vastgelegd door {leader}." in text
    assert "CONCEPT" not in text
    assert "vastgesteld" in document.core_properties.keywords


def test_the_read_model_keeps_its_number_of_queries_whatever_the_meeting_recorded(
    world, held, count_queries
):
    leader = world.users[Role.PROCESBEGELEIDER]
    bringer = world.users[Role.DEELNEMER]
    cases = [make_case(world.group, bringer) for _ in range(4)]
    large = make_meeting(world.group, leader, cases, when=held.scheduled_at + timedelta(hours=2))
    for number, case in enumerate(cases, start=10):
        record_case(large, case, leader, world.extra_member, number=number)
        records.add_finding(
            large,
            case_step(large, case, "findings"),
            kind="kans",
            level="wet_regelgeving",
            text=f"Nog een bevinding {number}",
            organisations=[world.gemeente, world.ggz],
            signal=True,
            actor=leader,
        )
    hold(large, leader, world.extra_member)
    db.session.commit()

    def queries(meeting) -> int:
        db.session.expire_all()
        meeting = db.session.get(Meeting, meeting.id)
        with count_queries() as counted:
            data = minutes_data(meeting)
        assert data.cases
        return len(counted)

    assert queries(held) == queries(large)


def test_the_command_writes_the_minutes(runner, world, held, tmp_path):
    output = tmp_path / "verslag.docx"
    result = runner.invoke(
        args=["export", "minutes", "--meeting", str(held.id), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    text = body_text(read_docx(output.read_bytes()))
    assert "Casusgroep Noord" in text and "CONCEPT" in text
    assert [p.name for p in tmp_path.iterdir()] == ["verslag.docx"]


def test_the_command_refuses_a_meeting_that_is_not_held(runner, world, tmp_path):
    output = tmp_path / "verslag.docx"
    result = runner.invoke(
        args=["export", "minutes", "--meeting", str(world.meeting.id), "--output", str(output)]
    )
    assert result.exit_code == 1
    assert not output.exists()
    unknown = runner.invoke(args=["export", "minutes", "--meeting", "999999", "--output", "x"])
    assert unknown.exit_code == 1 and "no meeting" in unknown.output
