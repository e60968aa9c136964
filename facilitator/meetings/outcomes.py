"""One read of what a meeting produced: per agenda case its findings, regievoerder and actions;
the meeting-wide findings and actions; the building-block scores and remarks.

The meeting page, the case page and the minutes read it here, in a fixed number of queries
whatever the number of cases and records; no page assembles outcomes on its own. Cases appear
under their pseudonym only: nothing here reads an identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import LazyString
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from facilitator.actions.models import ActionItem, ActionStatus
from facilitator.cases.models import RegievoerderAssignment
from facilitator.cases.regie import regie_history
from facilitator.extensions import db
from facilitator.localtime import local_date, local_today
from facilitator.meetings.models import (
    BUILDING_BLOCKS,
    AgendaItem,
    BuildingBlockScore,
    Finding,
    FindingKind,
    FindingLevel,
    Meeting,
)

_LEVELS = list(FindingLevel)
_KINDS = list(FindingKind)


@dataclass(frozen=True)
class FindingOutcome:
    kind: FindingKind
    level: FindingLevel
    text: str
    #: A signal for the beleidsgroep.
    signal: bool
    organisations: tuple[str, ...]
    #: The step it was recorded in: where the minutes point to correct it.
    step_ref: str = ""
    id: int = 0


@dataclass(frozen=True)
class ActionOutcome:
    id: int
    description: str
    owner: str
    #: False for a contact without an account.
    owner_has_account: bool
    organisation: str
    due_on: date
    status: ActionStatus
    #: Still open and past its due date, today.
    overdue: bool


@dataclass(frozen=True)
class RegieOutcome:
    name: str
    organisation: str
    since: date
    achterwacht: str
    #: Agreed in this meeting (else: already in force when it took place).
    agreed_here: bool


@dataclass(frozen=True)
class LevelFindings:
    level: FindingLevel
    findings: tuple[FindingOutcome, ...]


def by_level(findings: tuple[FindingOutcome, ...]) -> list[LevelFindings]:
    """The findings per level, in the order of the levels; levels without any left out."""
    return [
        LevelFindings(level, tuple(f for f in findings if f.level == level))
        for level in _LEVELS
        if any(f.level == level for f in findings)
    ]


@dataclass(frozen=True)
class CaseOutcome:
    case_id: int
    pseudonym: str
    findings: tuple[FindingOutcome, ...]
    regievoerder: RegieOutcome | None
    actions: tuple[ActionOutcome, ...]
    #: At the table for this case, without a name (facilitator.meetings.table).
    candidate_present: bool = False
    employer_present: bool = False

    @property
    def findings_by_level(self) -> list[LevelFindings]:
        return by_level(self.findings)


@dataclass(frozen=True)
class BlockScore:
    key: str
    #: Translated when shown, in the reader's language.
    label: LazyString
    score: int


@dataclass(frozen=True)
class MeetingOutcomes:
    meeting_id: int
    #: In agenda order.
    cases: tuple[CaseOutcome, ...]
    #: Recorded outside the case steps (opening and closing).
    findings: tuple[FindingOutcome, ...]
    actions: tuple[ActionOutcome, ...]
    #: Empty when the group gave no scores.
    building_blocks: tuple[BlockScore, ...] = ()
    went_well: str = ""
    could_be_better: str = ""

    @property
    def findings_by_level(self) -> list[LevelFindings]:
        return by_level(self.findings)

    @property
    def finding_count(self) -> int:
        return len(self.findings) + sum(len(c.findings) for c in self.cases)

    @property
    def action_count(self) -> int:
        return len(self.actions) + sum(len(c.actions) for c in self.cases)

    @property
    def candidates_present(self) -> int:
        """For how many cases the candidate sat at the table."""
        return sum(1 for c in self.cases if c.candidate_present)

    @property
    def employers_present(self) -> int:
        return sum(1 for c in self.cases if c.employer_present)

    @property
    def signals(self) -> tuple[FindingOutcome, ...]:
        """Every finding marked as a signal for the beleidsgroep, the case ones first."""
        return tuple(
            f
            for findings in (*(c.findings for c in self.cases), self.findings)
            for f in findings
            if f.signal
        )


def findings_where(condition) -> list[Finding]:
    """The findings that meet ``condition``, with their organisations, in one query."""
    return db.session.scalars(
        select(Finding)
        .where(condition)
        .options(selectinload(Finding.organisations))
        .order_by(Finding.id)
    ).all()


def actions_where(condition) -> list[ActionItem]:
    """The actions that meet ``condition``, with owner and organisation, in one query."""
    return db.session.scalars(
        select(ActionItem)
        .where(condition)
        .options(
            joinedload(ActionItem.owner_user),
            joinedload(ActionItem.owner_contact),
            joinedload(ActionItem.organisation),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    ).all()


def meeting_outcomes(meeting: Meeting) -> MeetingOutcomes:
    """Everything the meeting recorded, grouped per agenda case, in six queries."""
    agenda = list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.position)
        ).unique()
    )
    findings = findings_where(Finding.meeting_id == meeting.id)
    actions = actions_where(ActionItem.meeting_id == meeting.id)
    regie = regie_history([item.case_id for item in agenda])
    blocks = db.session.scalar(
        select(BuildingBlockScore).where(BuildingBlockScore.meeting_id == meeting.id)
    )
    today = local_today()
    found = [(f.case_id, finding_outcome(f)) for f in findings]
    done = [(a.case_id, action_outcome(a, today)) for a in actions]
    cases = tuple(
        CaseOutcome(
            case_id=item.case_id,
            pseudonym=item.case.pseudonym,
            findings=sorted_findings(f for case_id, f in found if case_id == item.case_id),
            regievoerder=_regie_at(meeting, [r for r in regie if r.case_id == item.case_id]),
            actions=tuple(a for case_id, a in done if case_id == item.case_id),
            candidate_present=item.candidate_present,
            employer_present=item.employer_present,
        )
        for item in agenda
    )
    on_agenda = {item.case_id for item in agenda}
    wide = sorted_findings(f for case_id, f in found if case_id not in on_agenda)
    return MeetingOutcomes(
        meeting_id=meeting.id,
        cases=cases,
        findings=wide,
        actions=tuple(a for case_id, a in done if case_id not in on_agenda),
        building_blocks=_blocks(blocks),
        went_well=blocks.went_well if blocks else "",
        could_be_better=blocks.could_be_better if blocks else "",
    )


def finding_outcome(finding: Finding) -> FindingOutcome:
    """A finding as the record shows it (its organisations loaded with it)."""
    return FindingOutcome(
        kind=finding.kind,
        level=finding.level,
        text=finding.text,
        signal=finding.signal,
        organisations=tuple(o.name for o in finding.organisations),
        step_ref=finding.step_ref,
        id=finding.id,
    )


def sorted_findings(findings) -> tuple[FindingOutcome, ...]:
    """By level, then knelpunt before kans, then as recorded."""
    return tuple(sorted(findings, key=lambda f: (_LEVELS.index(f.level), _KINDS.index(f.kind))))


def action_outcome(action: ActionItem, today: date) -> ActionOutcome:
    """An action as the record shows it, overdue or not on ``today`` (its people loaded)."""
    return ActionOutcome(
        id=action.id,
        description=action.description,
        owner=action.owner.name,
        owner_has_account=action.owner_user_id is not None,
        organisation=action.organisation.name,
        due_on=action.due_on,
        status=action.status,
        overdue=action.is_overdue(today),
    )


def _regie_at(meeting: Meeting, assignments: list[RegievoerderAssignment]) -> RegieOutcome | None:
    """The regie agreed in the meeting, else the one in force on its day (newest first)."""
    day = local_date(meeting.scheduled_at)
    chosen = next((a for a in assignments if a.meeting_id == meeting.id), None) or next(
        (
            a
            for a in assignments
            if a.since <= day and (a.ended_at is None or a.ended_at >= meeting.scheduled_at)
        ),
        None,
    )
    if chosen is None:
        return None
    return RegieOutcome(
        name=chosen.person.name,
        organisation=chosen.organisation.name,
        since=chosen.since,
        achterwacht=chosen.achterwacht.name if chosen.achterwacht is not None else "",
        agreed_here=chosen.meeting_id == meeting.id,
    )


def _blocks(row: BuildingBlockScore | None) -> tuple[BlockScore, ...]:
    if row is None:
        return ()
    return tuple(BlockScore(key, label, getattr(row, key)) for key, label in BUILDING_BLOCKS)
