"""How far a meeting is: each step done, incomplete or empty, and what must still be filled in.

The rail shows it on every step and closing refuses while something required is open, so both
read the same facts, gathered in one query whatever the number of steps and cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, literal, null, select, union_all

from facilitator.actions.models import ActionItem
from facilitator.cases.models import PrivacyMode, RegievoerderAssignment
from facilitator.enums import LabelledEnum
from facilitator.extensions import db
from facilitator.meetings.models import (
    Attendance,
    AttendanceStatus,
    BuildingBlockScore,
    FieldValue,
    Finding,
    Meeting,
    StepVisit,
)
from facilitator.privacy.models import Consent
from facilitator.privacy.services import today
from facilitator.protocols.schema import FieldType, StepField

if TYPE_CHECKING:
    from facilitator.meetings.run import RailStep


class StepState(LabelledEnum):
    """Empty: not opened and nothing recorded. Once opened or recorded in: done, or incomplete
    while a required field is open (closing lists those)."""

    DONE = "done"
    INCOMPLETE = "incomplete"
    EMPTY = "empty"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.DONE: _l("done"),
            cls.INCOMPLETE: _l("incomplete: something required is open"),
            cls.EMPTY: _l("nothing recorded yet"),
        }


@dataclass(frozen=True)
class MissingField:
    """A required field that is still open, with the step to go to for it."""

    ref: str
    number: int
    step_title: str
    pseudonym: str
    label: str

    def __str__(self) -> str:
        where = self.step_title + (f" ({self.pseudonym})" if self.pseudonym else "")
        return f"{where}: {self.label}"


@dataclass(frozen=True)
class Progress:
    states: dict[str, StepState]
    missing: list[MissingField]


#: Field types whose answer is something the group recorded. A consent check and the review of
#: earlier actions are answered by looking, so they make no step "done" on their own.
_RECORDED = frozenset(FieldType) - {FieldType.CONSENT_CHECK, FieldType.REVIEW_ACTIONS}


def meeting_progress(meeting: Meeting, steps: list[RailStep]) -> Progress:
    """Every step's state and every open required field, from one query."""
    facts = _facts(meeting)
    states: dict[str, StepState] = {}
    missing: list[MissingField] = []
    for rail_step in steps:
        recorded = False
        step_missing = []
        for step_field in rail_step.step.fields:
            answered = _answered(rail_step, step_field, facts)
            recorded = recorded or (answered and step_field.type in _RECORDED)
            if step_field.required and not answered:
                step_missing.append(
                    MissingField(
                        ref=rail_step.ref,
                        number=rail_step.number,
                        step_title=rail_step.step.title,
                        pseudonym=rail_step.case.pseudonym if rail_step.case else "",
                        label=step_field.label,
                    )
                )
        if not recorded and ("visit", rail_step.ref, "", None) not in facts:
            states[rail_step.ref] = StepState.EMPTY
        else:
            states[rail_step.ref] = StepState.INCOMPLETE if step_missing else StepState.DONE
        missing += step_missing
    return Progress(states=states, missing=missing)


def _answered(rail_step: RailStep, step_field: StepField, facts: set) -> bool:
    kind = step_field.type
    case_id = rail_step.case.id if rail_step.case else None
    if kind in (
        FieldType.TEXT,
        FieldType.SHORTTEXT,
        FieldType.CHOICE,
        FieldType.RATING,
        FieldType.CHECKLIST,
    ):
        return ("value", rail_step.ref, step_field.key, None) in facts
    if kind == FieldType.ATTENDANCE:
        return ("present", "", "", None) in facts
    if kind == FieldType.FINDINGS:
        return ("finding", rail_step.ref, "", None) in facts
    if kind == FieldType.ACTIONS:
        return ("action", rail_step.ref, "", None) in facts
    if kind == FieldType.REGIEVOERDER:
        return case_id is not None and ("regie", "", "", case_id) in facts
    if kind == FieldType.BUILDING_BLOCKS:
        return ("blocks", "", "", None) in facts
    if kind == FieldType.CONSENT_CHECK:
        case = rail_step.case
        return (
            case is None
            or case.privacy_mode != PrivacyMode.TOESTEMMING
            or ("consent", "", "", case_id) in facts
        )
    return True  # review_actions: going through the list is the answer


def _facts(meeting: Meeting) -> set[tuple[str, str, str, int | None]]:
    """(what, step, field, case) for everything recorded in the meeting, in one UNION query."""
    case_ids = [item.case_id for item in meeting.agenda]
    blank = literal("", String)
    no_case = null().cast(Integer)

    def fact(kind: str, *columns):
        return select(literal(kind, String).label("kind"), *columns)

    parts = [
        fact("value", FieldValue.step_ref, FieldValue.field_key, no_case).where(
            FieldValue.meeting_id == meeting.id, FieldValue.value.not_in(("", "[]"))
        ),
        fact("finding", Finding.step_ref, blank, no_case)
        .where(Finding.meeting_id == meeting.id)
        .distinct(),
        fact("action", ActionItem.step_ref, blank, no_case)
        .where(ActionItem.meeting_id == meeting.id)
        .distinct(),
        fact("visit", StepVisit.step_ref, blank, no_case).where(StepVisit.meeting_id == meeting.id),
        fact("present", blank, blank, no_case)
        .where(Attendance.meeting_id == meeting.id, Attendance.status == AttendanceStatus.AANWEZIG)
        .distinct(),
        fact("blocks", blank, blank, no_case).where(BuildingBlockScore.meeting_id == meeting.id),
    ]
    if case_ids:
        parts += [
            fact("regie", blank, blank, RegievoerderAssignment.case_id).where(
                RegievoerderAssignment.case_id.in_(case_ids),
                RegievoerderAssignment.ended_at.is_(None),
            ),
            fact("consent", blank, blank, Consent.case_id).where(
                Consent.case_id.in_(case_ids), Consent.active_on(today())
            ),
        ]
    return {tuple(row) for row in db.session.execute(union_all(*parts))}
