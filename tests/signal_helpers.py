"""Shared steps of the signal follow-up tests (tests/test_signals_*.py)."""

from __future__ import annotations

from datetime import timedelta

from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings import records, run
from facilitator.signals import services
from facilitator.users.models import Role
from tests.factories import make_meeting
from tests.holding import hold

PROJECTLEIDER = "projectleider@noord.example"
DECISION = "De beleidsgroep stelt een vast overleg tussen UWV en gemeente in."


def held_with_signal(world):
    """The world's meeting held, its finding a signal of it."""
    hold(world.meeting, world.users[Role.PROCESBEGELEIDER])
    db.session.commit()
    return world.meeting


def planned_after(world, group=None, leader=None, hours: int = 2):
    """A planned meeting of the group (the world's by default), after the held one."""
    group = group or world.group
    leader = leader or world.users[Role.PROCESBEGELEIDER]
    return make_meeting(group, leader, [], start=False, when=utcnow() + timedelta(hours=hours))


def add_signals(world, meeting, count: int, *, text: str = "Signaal"):
    """``count`` more signals in a running meeting, each followed up by the projectleider."""
    ref = next(s.ref for s in run.rail(meeting) if s.case is not None)
    for number in range(count):
        finding = records.add_finding(
            meeting,
            ref,
            kind="knelpunt",
            level="beleid_organisatie",
            text=f"{text} {number}",
            organisations=[],
            signal=True,
            actor=world.users[Role.PROCESBEGELEIDER],
        )
        services.record_follow_up(
            finding,
            status="besluit_genomen",
            decision=f"Besluit {number}",
            decided_on=local_today(),
            expected_version=0,
            actor=world.users[Role.PROJECTLEIDER],
        )
    db.session.commit()


def follow_up(world, *, status="besluit_genomen", decision=DECISION, finding=None):
    """The projectleider records a follow-up of the world's signal, outside a form."""
    result = services.record_follow_up(
        finding or world.finding,
        status=status,
        decision=decision,
        decided_on=local_today() - timedelta(days=0),
        expected_version=None,
        actor=world.users[Role.PROJECTLEIDER],
    )
    db.session.commit()
    return result
