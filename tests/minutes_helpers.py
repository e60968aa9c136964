"""A held meeting with everything its minutes show, and ways to read a .docx as a reader would."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from io import BytesIO

import docx
from sqlalchemy import update

from facilitator.actions import services as actions
from facilitator.actions.models import ActionItem
from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import attendance, planning, records, review, run
from facilitator.meetings.models import Meeting
from facilitator.users.models import Role
from tests.factories import make_meeting
from tests.holding import case_step, hold, record_case

CLARIFIED = "De cliënt wil graag buiten werken, in de groenvoorziening."
REVIEW_NOTE = "Het driegesprek is gevoerd; de cliënt start met een proefplaats."
EARLIER_ACTION = "Werkgeversadviseur vragen naar leerwerkplekken"
CASE_UPDATE = "Werkt sinds vorige maand twee dagen per week bij een kwekerij."
WIDE_FINDING = "Vaste contactpersonen per organisatie afspreken"
GUEST = "Gerda Gastvrij"


def hold_world_meeting(world) -> Meeting:
    """The world's meeting, held: a typed field per kind, a guest, findings (one a signal) and
    actions for the case with consent, a meeting-wide finding, an earlier action reviewed, the
    regievoerder's update, the building blocks; the extra member sent apologies."""
    leader = world.users[Role.PROCESBEGELEIDER]
    meeting = db.session.get(Meeting, world.meeting.id)
    earlier = actions.create_action(
        world.group,
        description=EARLIER_ACTION,
        owner=world.users[Role.DEELNEMER],
        due_on=local_today() + timedelta(days=3),
        case=world.fictional_case,
        actor=leader,
    )
    # Agreed before the meeting started: the review lists it.
    db.session.execute(
        update(ActionItem)
        .where(ActionItem.id == earlier.id)
        .values(created_at=meeting.started_at - timedelta(days=20))
    )
    db.session.expire_all()
    run.save_field(
        meeting,
        case_step(meeting, world.fictional_case, "text"),
        "verduidelijking",
        CLARIFIED,
        expected_version=0,
        actor=leader,
    )
    run.save_field(
        meeting,
        "m:opening",
        "afspraken",
        ["Wat besproken wordt, blijft vertrouwelijk", "Tijd per casus afgesproken"],
        expected_version=0,
        actor=leader,
    )
    attendance.add_guest(
        meeting,
        name=GUEST,
        role="werkgever",
        organisation_id=world.gemeente.id,
        status="aanwezig",
        actor=leader,
    )
    planning.set_attendance(meeting, world.users[Role.DEELNEMER], "aanwezig", actor=leader)
    planning.set_attendance(meeting, world.extra_member, "afgemeld", actor=leader)
    record_case(meeting, world.consent_case, leader, world.extra_member, number=7)
    records.add_finding(
        meeting,
        "m:opening",
        kind="kans",
        level="beleid_organisatie",
        text=WIDE_FINDING,
        organisations=[world.gemeente],
        signal=False,
        actor=leader,
    )
    review.review_action(
        meeting,
        db.session.get(ActionItem, earlier.id),
        "gereed",
        note=REVIEW_NOTE,
        due_on=None,
        actor=leader,
    )
    item = next(i for i in meeting.agenda if i.case_id == world.fictional_case.id)
    review.record_case_update(meeting, item, CASE_UPDATE, expected_version=0, actor=leader)
    hold(meeting, leader, world.extra_member)
    db.session.commit()
    return meeting


def next_meeting(world, *, start: bool = True) -> Meeting:
    """The group's next meeting, an hour after the held one (running unless ``start`` is off)."""
    leader = world.users[Role.PROCESBEGELEIDER]
    return make_meeting(
        world.group, leader, [world.fictional_case], start=start, when=utcnow() + timedelta(hours=1)
    )


def read_docx(content: bytes) -> docx.document.Document:
    return docx.Document(BytesIO(content))


def body_text(document) -> str:
    """Every paragraph and every table cell of the body, in order, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def table_rows(document) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def package_parts(content: bytes) -> dict[str, str]:
    """Every part of the .docx package (document, headers, footers, properties, relationships),
    as text."""
    with zipfile.ZipFile(BytesIO(content)) as package:
        return {name: package.read(name).decode("utf-8", "replace") for name in package.namelist()}
