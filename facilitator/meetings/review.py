"""The review of open actions in a meeting: what it lists where, and what it records.

Every meeting reviews the actions of its group agreed before it and still open, whatever its
protocol (:mod:`facilitator.protocols.review` gives every protocol a place for it). A case
step's review lists that case's actions. A meeting step's review lists the group's others, or,
when the protocol reviews none per case, all of them: those of each agenda case under that
case. No action is listed twice, and none agreed in the meeting itself.

Per action the procesbegeleider records done, goes on (with a new due date) or dropped (with
the reason), always with a terugkoppeling note, in the action's history with the meeting; an
action reviewed here stays in the list with what was recorded, and can be corrected. Per agenda
case the regievoerder's update on how the client is doing is kept in the same review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from facilitator.actions import services as actions
from facilitator.actions.models import OPEN_STATUSES, ActionItem, ActionStatus, ActionUpdate
from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import CaseUpdate, RegievoerderAssignment
from facilitator.cases.regie import regie_history
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.meetings.models import AgendaItem, Meeting, MeetingStatus
from facilitator.meetings.records import NOT_RUNNING
from facilitator.privacy import guard
from facilitator.users.models import User

MAX_UPDATE = 2000


@dataclass(frozen=True)
class ReviewItem:
    action: ActionItem
    #: What was recorded about it in this meeting (the latest), if anything.
    outcome: ActionUpdate | None
    #: The latest terugkoppeling from before this meeting (an owner's update), if any.
    earlier: ActionUpdate | None


@dataclass(frozen=True)
class CaseReview:
    """An agenda case in the review: its actions and the regievoerder's update."""

    item: AgendaItem
    actions: list[ReviewItem]
    update: CaseUpdate | None
    regievoerder: RegievoerderAssignment | None


@dataclass(frozen=True)
class Review:
    #: Whether the protocol reviews the actions of each agenda case in its case steps.
    per_case: bool
    agenda: list[AgendaItem]
    items: list[ReviewItem]
    updates: dict[int, CaseUpdate] = field(default_factory=dict)
    regievoerders: dict[int, RegievoerderAssignment] = field(default_factory=dict)

    def of_case(self, case_id: int) -> CaseReview:
        """The review in a case step: that case's actions and update."""
        item = next(i for i in self.agenda if i.case_id == case_id)
        return CaseReview(
            item, self._of(case_id), self.updates.get(case_id), self.regievoerders.get(case_id)
        )

    def cases(self) -> list[CaseReview]:
        """The agenda cases reviewed in a meeting step: none when the protocol does so per case."""
        return [] if self.per_case else [self.of_case(i.case_id) for i in self.agenda]

    def others(self) -> list[ReviewItem]:
        """The group's actions that belong to no case on the agenda."""
        on_agenda = {i.case_id for i in self.agenda}
        return [r for r in self.items if r.action.case_id not in on_agenda]

    def _of(self, case_id: int) -> list[ReviewItem]:
        return [r for r in self.items if r.action.case_id == case_id]


def meeting_review(meeting: Meeting) -> Review:
    """Everything the review shows, in four queries whatever the number of actions and cases."""
    actions_ = db.session.scalars(
        _reviewed(meeting)
        .options(
            joinedload(ActionItem.owner_user),
            joinedload(ActionItem.owner_contact),
            joinedload(ActionItem.organisation),
            joinedload(ActionItem.case),
            selectinload(ActionItem.updates).joinedload(ActionUpdate.by),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    ).unique()
    updates = db.session.scalars(
        select(CaseUpdate)
        .where(CaseUpdate.meeting_id == meeting.id)
        .options(joinedload(CaseUpdate.recorded_by))
    )
    agenda = list(meeting.agenda)
    in_force = regie_history([i.case_id for i in agenda])
    return Review(
        per_case=meeting.protocol.reviews_per_case,
        agenda=agenda,
        items=[_item(action, meeting) for action in actions_],
        updates={u.case_id: u for u in updates},
        regievoerders={a.case_id: a for a in in_force if a.in_force},
    )


def _item(action: ActionItem, meeting: Meeting) -> ReviewItem:
    here = [u for u in action.updates if u.meeting_id == meeting.id]
    before = [u for u in action.updates if u.meeting_id != meeting.id and u.note]
    return ReviewItem(action, here[-1] if here else None, before[-1] if before else None)


def _reviewed(meeting: Meeting) -> Select:
    """The group's actions agreed before this meeting and still open, and those reviewed in it.

    Agreed before: in a meeting held earlier, or outside a meeting before this one started.
    """
    earlier = select(Meeting.id).where(
        Meeting.group_id == meeting.group_id, Meeting.scheduled_at < meeting.scheduled_at
    )
    outside = ActionItem.meeting_id.is_(None)
    if meeting.started_at is not None:
        outside = and_(outside, ActionItem.created_at < meeting.started_at)
    reviewed_here = select(ActionUpdate.action_id).where(ActionUpdate.meeting_id == meeting.id)
    return select(ActionItem).where(
        ActionItem.group_id == meeting.group_id,
        or_(
            and_(
                ActionItem.status.in_(OPEN_STATUSES),
                or_(outside, ActionItem.meeting_id.in_(earlier)),
            ),
            ActionItem.id.in_(reviewed_here),
        ),
    )


def _require_running(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.LOPEND:
        raise ServiceError(NOT_RUNNING)


def review_action(
    meeting: Meeting,
    action: ActionItem,
    status: ActionStatus | str,
    *,
    note: str,
    due_on: date | None,
    actor: User,
    confirmed: bool = False,
    seen_version: int | None = None,
) -> ActionUpdate:
    """Record in a running meeting what became of an earlier action: done, goes on until a new
    due date, or dropped with the reason; always with a terugkoppeling note. Refused when
    someone else changed the action since ``seen_version`` (facilitator.versions)."""
    _require_running(meeting)
    listed = _reviewed(meeting).where(ActionItem.id == action.id).with_only_columns(ActionItem.id)
    if db.session.scalar(listed) is None:
        raise ServiceError(
            _l("Only open actions of this group agreed before this meeting are reviewed here.")
        )
    status = ActionStatus(status)
    if status.is_open and due_on is None:
        raise ServiceError(_l("An action that goes on needs a new due date."), field="due_on")
    if status.is_open and due_on < local_today():
        raise ServiceError(_l("The new due date lies in the past."), field="due_on")
    if status == ActionStatus.VERVALLEN and not note.strip():
        raise ServiceError(_l("Give the reason why the action is dropped."), field="note")
    return actions.change_status(
        action,
        status,
        note=note,
        actor=actor,
        due_on=due_on if status.is_open else None,  # a date is for an action that goes on
        meeting=meeting,
        confirmed=confirmed,
        seen_version=seen_version,
    )


class CaseUpdateConflict(ServiceError):
    """Someone else saved the update since the user read it (SECURITY.md R3)."""

    def __init__(self, current: CaseUpdate) -> None:
        super().__init__(
            _l(
                "Someone else saved this update in the meantime. Their text: “%(theirs)s”. "
                "Save again to replace it with yours.",
                theirs=current.text,
            ),
            field="text",
        )
        self.current = current


def record_case_update(
    meeting: Meeting,
    item: AgendaItem,
    text: str,
    *,
    expected_version: int,
    actor: User,
    confirmed: bool = False,
) -> CaseUpdate:
    """Keep the regievoerder's word on how the client of an agenda case is doing, if nobody
    else saved it since ``expected_version`` (0: none yet)."""
    _require_running(meeting)
    if item.meeting_id != meeting.id:
        raise ServiceError(_l("This case is not on the meeting's agenda."))
    text = text.strip()
    if not text:
        raise ServiceError(_l("Write in a few sentences how the client is doing."), field="text")
    if len(text) > MAX_UPDATE:
        raise ServiceError(_l("This text is too long."), field="text")
    # Screened before anything is written: SQLite's savepoint below may be the transaction.
    guard.screen(
        {"text": text},
        actor=actor,
        on=meeting,
        confirmed=confirmed,
        field_prefix=f"case_update/{item.case_id}/",
    )
    current = _case_update(item)
    if current is None:
        current = CaseUpdate(
            case_id=item.case_id, meeting_id=meeting.id, text=text, recorded_by_id=actor.id
        )
        try:
            with db.session.begin_nested():
                db.session.add(current)
        except IntegrityError:  # saved by someone else a moment ago
            raise CaseUpdateConflict(_case_update(item)) from None
    else:
        saved = db.session.execute(
            update(CaseUpdate)
            .where(CaseUpdate.id == current.id, CaseUpdate.version == expected_version)
            .values(
                text=text,
                version=CaseUpdate.version + 1,
                recorded_by_id=actor.id,
                recorded_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(current)
        if saved.rowcount != 1:
            raise CaseUpdateConflict(current)
    record(
        "case_update_saved",
        action=AuditAction.CREATE if current.version == 1 else AuditAction.UPDATE,
        actor=actor,
        object_type="case_update",
        object_id=current.id,
        case_pseudonym=item.case.pseudonym,
    )
    return current


def _case_update(item: AgendaItem) -> CaseUpdate | None:
    return db.session.scalar(
        select(CaseUpdate).where(
            CaseUpdate.case_id == item.case_id, CaseUpdate.meeting_id == item.meeting_id
        )
    )
