"""Hold a test meeting to its close, through the services the facilitation screen uses."""

from __future__ import annotations

from datetime import timedelta

from facilitator.cases import regie
from facilitator.localtime import local_today
from facilitator.meetings import planning, records, run
from facilitator.meetings.models import BUILDING_BLOCKS, Meeting
from facilitator.protocols.schema import FieldType
from facilitator.users.models import User


def case_step(meeting: Meeting, case, field_type: str) -> str:
    """The step of ``case`` that has a field of ``field_type``."""
    return next(
        s.ref
        for s in run.rail(meeting)
        if s.case is not None
        and s.case.id == case.id
        and any(f.type.value == field_type for f in s.step.fields)
    )


def has_regie_step(meeting: Meeting) -> bool:
    return any(f.type == FieldType.REGIEVOERDER for s in meeting.protocol.steps for f in s.fields)


def record_case(meeting: Meeting, case, leader: User, owner, *, number: int = 1) -> None:
    """A bottleneck that is a signal, an opportunity, and an action for ``case``."""
    for kind, level, signal in (
        ("knelpunt", "uitvoering", True),
        ("kans", "kennis_competenties", False),
    ):
        records.add_finding(
            meeting,
            case_step(meeting, case, "findings"),
            kind=kind,
            level=level,
            text=f"Bevinding {number} {kind}",
            organisations=[],
            signal=signal,
            actor=leader,
        )
    records.add_action(
        meeting,
        case_step(meeting, case, "actions"),
        description=f"Actie {number} voor de casus",
        owner=owner,
        due_on=local_today() + timedelta(days=number),
        actor=leader,
    )


def hold(meeting: Meeting, leader: User, regievoerder=None) -> None:
    """Fill what the protocol requires and close the meeting. With a regie step, every agenda
    case without a regievoerder gets ``regievoerder`` (the leader when not given)."""
    planning.set_attendance(meeting, leader, "aanwezig", actor=leader)
    if has_regie_step(meeting):
        for item in meeting.agenda:
            if regie.current_regievoerder(item.case) is None:
                records.assign_regievoerder(
                    meeting, item.case, regievoerder or leader, actor=leader
                )
    records.save_building_blocks(
        meeting,
        {key: 4 for key, _ in BUILDING_BLOCKS},
        went_well="Goede voorbereiding",
        could_be_better="Meer tijd voor acties",
        actor=leader,
    )
    run.close_meeting(meeting, actor=leader)
