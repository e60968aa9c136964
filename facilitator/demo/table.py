"""Demo: who is at the table. The privacy work group is led by a trekker (seed 000,
Stedendriehoek: a werkgroep's chair from the projectgroep, who reports back to it); in the
Casusgroep's first held meeting the candidate sat at the table for the first case, without a
name. The region's feedback bodies, the projectgroep among them, come with the region."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.groups import services as groups
from facilitator.groups.models import CaseGroup, LeaderTitle
from facilitator.meetings.models import Meeting, MeetingStatus


def seed_demo_table(casusgroep: CaseGroup, work_group: CaseGroup) -> None:
    """Give the work group a trekker and put the candidate at one discussed case."""
    groups.update_group(work_group, leader_title=LeaderTitle.TREKKER, actor=None)
    held = db.session.scalars(
        select(Meeting)
        .where(Meeting.group_id == casusgroep.id, Meeting.status == MeetingStatus.AFGEROND)
        .order_by(Meeting.scheduled_at)
    ).first()
    if held is not None and held.agenda:
        # Recorded while the meeting ran, in a real region: the demo writes its history after.
        held.agenda[0].candidate_present = True
    db.session.flush()
