"""A kept file is checked again before it leaves (issue 10, SECURITY.md P8, P9).

Approved minutes and logbook editions are kept as issued. A client's name can reach such a file
before the case's identity is known (the approval came first, the consent later): the next
download finds it in the file itself. Approved minutes whose text was corrected since are
issued again from the corrected records; a kept edition is refused, with the edition as the
place. Every name in the minutes is screened too (a contact can carry a client's name), and a
refusal is audited.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from facilitator.actions.models import ActionItem
from facilitator.audit.models import AuditEvent, AuditOutcome
from facilitator.exceptions import ServiceError
from facilitator.exports.editions import download_edition, issue_edition
from facilitator.exports.minutes import minutes_data
from facilitator.exports.minutes_services import approval_of, approve_minutes, export_minutes
from facilitator.exports.screening import ExportRefused
from facilitator.extensions import db
from facilitator.groups.models import GroupMembership, GroupRole
from facilitator.meetings.models import Finding, Meeting
from facilitator.privacy.identity import read_identity
from facilitator.regions import contacts
from facilitator.users.models import Role
from tests.factories import IDENTITY, make_meeting, make_user
from tests.holding import hold
from tests.minutes_helpers import hold_world_meeting, next_meeting, package_parts
from tests.reference_docs import empty_docx

FINDING = "Bevinding 7 knelpunt"


@pytest.fixture
def held(world) -> Meeting:
    return hold_world_meeting(world)


def _name_in_finding(meeting: Meeting, text: str) -> None:
    db.session.execute(
        update(Finding)
        .where(Finding.meeting_id == meeting.id, Finding.text.like(f"%{FINDING[-8:]}%"))
        .values(text=text)
    )
    db.session.commit()


def _without_identity(world):
    """The consent case's identity, put aside: as if the consent came after the approval."""
    identity = world.consent_case.identity
    db.session.delete(identity)
    db.session.commit()
    return identity


def test_approved_minutes_corrected_since_are_issued_again_without_the_name(app, world, held):
    leader = world.users[Role.PROCESBEGELEIDER]
    identity_row = world.consent_case.identity
    assert read_identity(world.consent_case).full_name == IDENTITY.full_name
    stored = {c.key: getattr(identity_row, c.key) for c in identity_row.__table__.columns}
    _without_identity(world)
    _name_in_finding(held, f"{IDENTITY.full_name} belde zelf {FINDING}")
    approval = approve_minutes(held, in_meeting=next_meeting(world), corrections="", actor=leader)
    db.session.commit()
    old_hash = approval.sha256
    # The identity becomes known: the kept file now holds a client's name.
    db.session.add(type(identity_row)(**stored))
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(ExportRefused):
        export_minutes(held, actor=leader)
    _name_in_finding(held, f"De cliënt belde zelf {FINDING}")
    issued = export_minutes(held, actor=leader)
    db.session.commit()
    assert issued.final
    assert not any(IDENTITY.full_name in part for part in package_parts(issued.content).values())
    assert approval_of(held).sha256 != old_hash
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "minutes_reissued"))


def test_every_name_in_the_minutes_is_screened(app, world, held):
    """A contact named like the client owns an action of the meeting: the export refuses."""
    leader = world.users[Role.PROCESBEGELEIDER]
    contact = contacts.create_contact(
        world.gemeente, name="Jan Jansen", email="jan@noord.example", actor=None
    )
    db.session.execute(
        type(contact)
        .__table__.update()
        .where(type(contact).__table__.c.id == contact.id)
        .values(name=IDENTITY.full_name)
    )
    db.session.execute(
        update(ActionItem)
        .where(ActionItem.meeting_id == held.id)
        .values(owner_user_id=None, owner_contact_id=contact.id)
    )
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(ExportRefused) as refused:
        export_minutes(held, actor=leader)
    assert {hit.place.field for hit in refused.value.hits} == {"Uitvoerder"}
    refusal = db.session.scalar(select(AuditEvent).where(AuditEvent.event_type == "export_refused"))
    assert refusal.outcome == AuditOutcome.FAILURE and refusal.check_result == "identity"


def test_a_kept_edition_holding_a_clients_name_is_refused(app, world):
    from facilitator.exports import document

    doc = document.new_document()
    doc.add_paragraph(f"Casus besproken met {IDENTITY.full_name}.")
    content = document.to_bytes(doc).getvalue()
    leader = world.users[Role.PROJECTLEIDER]
    kept = issue_edition(
        region=world.region, groups=[], period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31), content=content, actor=leader,
    )  # fmt: skip
    clean = issue_edition(
        region=world.region, groups=[], period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31), content=empty_docx(), actor=leader,
    )  # fmt: skip
    db.session.commit()
    with pytest.raises(ExportRefused) as refused:
        download_edition(kept, actor=leader)
    assert [hit.kind for hit in refused.value.hits] == ["identity"]
    assert download_edition(clean, actor=leader) == clean.content


def test_only_the_previous_meetings_minutes_are_approved(app, world, held):
    leader = world.users[Role.PROCESBEGELEIDER]
    second = next_meeting(world)
    hold(second, leader)
    third = make_meeting(world.group, leader, [], when=second.scheduled_at + timedelta(hours=1))
    with pytest.raises(ServiceError, match="vorige bijeenkomst"):
        approve_minutes(held, in_meeting=third, corrections="", actor=leader)
    assert approve_minutes(second, in_meeting=third, corrections="", actor=leader)


def test_a_member_who_joined_after_the_meeting_is_not_listed_as_absent(app, world, held):
    late = make_user(world.gemeente, email="later@noord.example", name="Later Lid")
    db.session.add(
        GroupMembership(
            group_id=world.group.id, user_id=late.id, role=GroupRole.LID,
            added_at=held.scheduled_at + timedelta(days=1),
        )
    )  # fmt: skip
    early = make_user(world.gemeente, email="eerder@noord.example", name="Eerder Lid")
    db.session.add(
        GroupMembership(
            group_id=world.group.id, user_id=early.id, role=GroupRole.LID,
            added_at=held.scheduled_at - timedelta(days=1),
        )
    )  # fmt: skip
    db.session.flush()
    absent = [name for row in minutes_data(held).attendance for name in row.absent]
    assert "Eerder Lid" in absent and "Later Lid" not in absent
