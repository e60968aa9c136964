"""Demo regie: a handover to a professional without an account, and a discussed case that
nobody holds the regie of.

The privacy work group's protocol (klantreis) has no regie step, so its cases leave their
meetings without a regievoerder. For its first case the group agreed one in its first meeting
anyway, and handed the regie over later, with the reason; its other case stays "zonder regie"
and is on the agenda of the next meeting, so the group page, that agenda and both case pages
show each on first login.
"""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from facilitator.cases import regie
from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import from_local, local_date, local_today
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.regions import contacts
from facilitator.regions.models import Organisation
from facilitator.users.models import User

#: The regievoerder without an account: invented, like every name in the demo.
CONTACT = ("Karin Smeets", "karin.smeets@lindewaard.example", "UWV Lindewaard")
HANDOVER_REASON = (
    "De cliënt vraagt een herbeoordeling aan bij UWV; de arbeidsdeskundige houdt nu de "
    "lijnen bij elkaar, de jobcoach blijft achterwacht."
)
HANDOVER_WEEKS_AGO = 3


def seed_demo_regie(group: CaseGroup, leader: User, case: Case) -> None:
    """The regie of ``case``: agreed in the group's first meeting with the professional who
    brought it, handed over weeks later to a contact without an account."""
    first_meeting = db.session.scalars(
        select(Meeting)
        .where(Meeting.group_id == group.id, Meeting.status == MeetingStatus.AFGEROND)
        .order_by(Meeting.scheduled_at)
    ).first()
    bringer = case.brought_by
    first = regie.assign_regievoerder(
        case,
        bringer,
        actor=leader,
        since=local_date(first_meeting.scheduled_at),
        meeting_id=first_meeting.id,
    )
    handover_day = local_today() - timedelta(weeks=HANDOVER_WEEKS_AGO)
    second = regie.assign_regievoerder(
        case,
        _contact(group),
        actor=leader,
        since=handover_day,
        reason=HANDOVER_REASON,
        achterwacht=bringer,
    )
    # Recorded when it happened, not on the day of seeding.
    first.created_at = first_meeting.scheduled_at + timedelta(hours=1)
    first.ended_at = second.created_at = from_local(handover_day, time(10, 0))
    db.session.flush()


def _contact(group: CaseGroup):
    name, email, organisation_name = CONTACT
    organisation = db.session.scalar(
        select(Organisation).where(
            Organisation.region_id == group.region_id, Organisation.name == organisation_name
        )
    )
    return contacts.create_contact(organisation, name=name, email=email, actor=None)
