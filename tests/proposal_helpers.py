"""A call for cases and a proposal on the world's group (tests/factories.make_world), through
the services: shared by the proposal tests and the one-door scenarios."""

from __future__ import annotations

from datetime import timedelta

from facilitator.database import utcnow
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.proposals import services
from facilitator.users.models import Role
from tests import factories

#: The group's mandatory criterion (the world has one optional criterion only).
MANDATORY = "Cliënt wil betaald werk"


def planned_meeting(world, *, weeks: int = 2, cases=()):
    """A meeting of the world's group, planned ``weeks`` ahead."""
    return factories.make_meeting(
        world.group,
        world.users[Role.PROCESBEGELEIDER],
        list(cases),
        start=False,
        when=utcnow() + timedelta(weeks=weeks),
    )


def open_call(world, meeting=None, *, deadline_in: int = 7, message: str = ""):
    meeting = meeting or planned_meeting(world)
    call = services.open_call(
        meeting,
        deadline=local_today() + timedelta(days=deadline_in),
        message=message,
        actor=world.users[Role.PROCESBEGELEIDER],
    )
    db.session.commit()
    return call


def proposal(world, call=None, *, case=None, by=None):
    """The deelnemer proposes the world's fictitious case, confirming every criterion."""
    call = call or open_call(world)
    made = services.propose_case(
        call.meeting,
        case or world.fictional_case,
        actor=by or world.users[Role.DEELNEMER],
        criteria_ids={c.id for c in world.group.active_criteria},
        note="Graag opvolging bespreken",
    )
    db.session.commit()
    return made
