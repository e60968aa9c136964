"""Reading the preparation of a meeting: which cases, which questions, what was answered.

:func:`preparation_of` is the one read of a meeting's preparation (its page, the meeting page,
the facilitation screen, the agenda mail), in a fixed number of queries whatever the number of
cases and answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from facilitator.cases.models import Case
from facilitator.extensions import db
from facilitator.meetings.models import AgendaItem, Meeting
from facilitator.preparation.models import PreparationAnswer
from facilitator.proposals.models import CaseProposal, ProposalStatus
from facilitator.protocols.schema import PreparationQuestion, Step


def preparable_case_ids(meeting: Meeting) -> set[int]:
    """The cases that may be prepared for this meeting: those on its agenda and those proposed
    for it and waiting for the procesbegeleider (the inbrenger prepares while the proposal
    waits, so the answers are there when it is accepted).

    The one place that decides it: the policy, the pages and the mail all ask here.
    """
    on_agenda = select(AgendaItem.case_id).where(AgendaItem.meeting_id == meeting.id)
    proposed = select(CaseProposal.case_id).where(
        CaseProposal.meeting_id == meeting.id,
        CaseProposal.status == ProposalStatus.VOORGESTELD,
    )
    return set(db.session.scalars(on_agenda.union(proposed)))


class PreparationState(StrEnum):
    """How far the preparation of one case is."""

    NOT_STARTED = "niet_begonnen"
    PARTLY = "deels"
    DONE = "klaar"

    @property
    def label(self) -> str:
        return str(
            {
                PreparationState.NOT_STARTED: _l("Not prepared yet"),
                PreparationState.PARTLY: _l("Partly prepared"),
                PreparationState.DONE: _l("Prepared"),
            }[self]
        )


@dataclass(frozen=True)
class CasePreparation:
    """The handreiking of one case: each question with its answer (None: not answered)."""

    case: Case
    #: Whether the case is on the meeting's agenda (not only preparable for it).
    on_agenda: bool
    questions: list[PreparationQuestion]
    answers: dict[str, PreparationAnswer] = field(default_factory=dict)

    def text(self, key: str) -> str:
        answer = self.answers.get(key)
        return answer.text if answer is not None else ""

    def version(self, key: str) -> int:
        """The version of the answer the page shows; 0: none yet."""
        answer = self.answers.get(key)
        return answer.version if answer is not None else 0

    @property
    def answered(self) -> list[tuple[PreparationQuestion, PreparationAnswer]]:
        """The questions with a non-empty answer, in the protocol's order."""
        return [(q, self.answers[q.key]) for q in self.questions if self.text(q.key)]

    @property
    def state(self) -> PreparationState:
        """Done when every required question is answered (every question, when none is)."""
        given = {q.key for q, _answer in self.answered}
        if not given:
            return PreparationState.NOT_STARTED
        needed = [q.key for q in self.questions if q.required] or [q.key for q in self.questions]
        return PreparationState.DONE if set(needed) <= given else PreparationState.PARTLY


@dataclass(frozen=True)
class Preparation:
    """The preparation of a meeting's cases, agenda order first."""

    meeting: Meeting
    questions: list[PreparationQuestion]
    cases: list[CasePreparation]

    def of(self, case_id: int) -> CasePreparation | None:
        return next((c for c in self.cases if c.case.id == case_id), None)


def preparation_of(meeting: Meeting) -> Preparation:
    """The questions of the meeting's own protocol and every preparable case's answers, in three
    queries (the cases, their agenda places, the answers)."""
    questions = list(meeting.protocol.preparation)
    ids = preparable_case_ids(meeting)
    if not ids:
        return Preparation(meeting, questions, [])
    rows = db.session.execute(
        select(Case, AgendaItem.position)
        .outerjoin(
            AgendaItem, (AgendaItem.case_id == Case.id) & (AgendaItem.meeting_id == meeting.id)
        )
        .where(Case.id.in_(ids))
        .options(joinedload(Case.organisation))
    ).all()
    rows.sort(key=lambda row: (row[1] is None, row[1] or 0, row[0].pseudonym))
    answers: dict[int, dict[str, PreparationAnswer]] = {case_id: {} for case_id in ids}
    for answer in db.session.scalars(
        select(PreparationAnswer)
        .where(PreparationAnswer.meeting_id == meeting.id, PreparationAnswer.case_id.in_(ids))
        .options(joinedload(PreparationAnswer.updated_by))
    ):
        answers[answer.case_id][answer.question_key] = answer
    return Preparation(
        meeting,
        questions,
        [
            CasePreparation(case, position is not None, questions, answers[case.id])
            for case, position in rows
        ],
    )


def presented_preparation(
    meeting: Meeting, step: Step, case: Case | None
) -> CasePreparation | None:
    """The preparation shown beside a case's presentation step (the protocol's first case
    step); None in any other step."""
    if case is None or step != meeting.protocol.presentation_step:
        return None
    return preparation_of(meeting).of(case.id)
