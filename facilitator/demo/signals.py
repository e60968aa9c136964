"""Demo follow-ups of signals: the policy group decided on one of the Casusgroep Lindewaard's
signals, put another on its agenda, and has yet to take up the rest ("nieuw").

Recorded on the day of seeding, after the group's last held meeting, so its next meeting hears
back; each decision dated after the meeting that raised the signal, and never in the future.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.localtime import local_date, local_today
from facilitator.meetings.models import Finding, Meeting
from facilitator.signals.models import SignalStatus
from facilitator.signals.services import record_follow_up
from facilitator.users.models import User

DECISION = (
    "De beleidsgroep spreekt een vast maandelijks overleg af tussen klantmanagers en "
    "behandelaars; de gemeente zit het voor."
)


def seed_demo_signals(group: CaseGroup, projectleider: User) -> None:
    """The oldest signal of ``group`` decided (after being on the agenda), the next one on the
    agenda; the others stay new."""
    signals = db.session.execute(
        select(Finding, Meeting.scheduled_at)
        .join(Meeting, Meeting.id == Finding.meeting_id)
        .where(Meeting.group_id == group.id, Finding.signal.is_(True))
        .order_by(Meeting.scheduled_at, Finding.id)
    ).all()
    steps = (
        ((SignalStatus.GEAGENDEERD, "", 7), (SignalStatus.BESLUIT_GENOMEN, DECISION, 21)),
        ((SignalStatus.GEAGENDEERD, "", 10),),
    )
    for (finding, scheduled_at), changes in zip(signals, steps, strict=False):
        for status, decision, days_after in changes:
            decided_on = local_date(scheduled_at) + timedelta(days=days_after)
            record_follow_up(
                finding,
                status=status,
                decision=decision,
                decided_on=min(decided_on, local_today()),
                expected_version=None,
                actor=projectleider,
            )
