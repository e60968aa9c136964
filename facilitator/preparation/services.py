"""Saving the answers to a meeting's handreiking for one case on its agenda.

:func:`save_answers` takes the acting user, screens every answer through the guard, keeps each
answer's version (someone else's save in between is shown, never overwritten), writes one
audit row and flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.models import Case
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.meetings.models import Meeting
from facilitator.preparation.models import PreparationAnswer
from facilitator.preparation.policy import can_answer
from facilitator.preparation.queries import preparable_case_ids
from facilitator.privacy import guard
from facilitator.users.models import User

#: What one answer may hold: a paragraph or two, as the form allows.
MAX_ANSWER = 2000


class PreparationConflict(ServiceError):
    """Someone else saved answers of this case since the form was shown (SECURITY.md R3)."""

    def __init__(self, current: dict[str, PreparationAnswer]) -> None:
        super().__init__(_l("Someone else changed this in the meantime."))
        #: The answers as they now are, by question key.
        self.current = current


def save_answers(
    meeting: Meeting,
    case: Case,
    answers: Mapping[str, str],
    *,
    actor: User,
    seen_versions: Mapping[str, int] | None = None,
    confirmed: bool = False,
) -> list[PreparationAnswer]:
    """Keep the answers to the meeting's handreiking for ``case``; return those changed.

    ``answers`` maps question keys of the meeting's own protocol to the text. ``seen_versions``
    holds the version of each answer the form showed (0: none yet); an answer saved by someone
    else since is refused with every answer as it now is. None (the command line, the demo):
    the versions loaded are compared.
    """
    if not can_answer(actor, meeting):
        raise ServiceError(_l("The preparation can be changed only before the meeting."))
    if case.id not in preparable_case_ids(meeting):
        raise ServiceError(_l("This case is not on the meeting's agenda."))
    keys = [q.key for q in meeting.protocol.preparation]
    unknown = sorted(set(answers) - set(keys))
    if unknown:
        raise ServiceError(_l("The protocol of this meeting has no such question."))
    texts = {key: (answers[key] or "").strip() for key in keys if key in answers}
    for key, text in texts.items():
        if len(text) > MAX_ANSWER:
            raise ServiceError(_l("This answer is too long."), field=_field(key))
    # Screened before anything is written: SQLite's savepoint below may be the transaction.
    guard.screen(
        {_field(key): text for key, text in texts.items()},
        actor=actor,
        on=meeting,
        confirmed=confirmed,
        field_prefix=f"preparation/{case.id}/",
    )
    stored = _answers(meeting, case)
    changed = [key for key, text in texts.items() if text != _text(stored.get(key))]
    seen = seen_versions or {}
    saved = []
    for key in changed:
        expected = seen.get(key, _version(stored.get(key)))
        saved.append(_save_one(meeting, case, key, texts[key], stored.get(key), expected, actor))
    if changed:
        db.session.flush()
        record(
            "preparation_saved",
            action=AuditAction.UPDATE if stored else AuditAction.CREATE,
            actor=actor,
            object_type="meeting",
            object_id=meeting.id,
            case_pseudonym=case.pseudonym,
            reason="questions " + ",".join(changed),
        )
    return saved


def _save_one(
    meeting: Meeting,
    case: Case,
    key: str,
    text: str,
    current: PreparationAnswer | None,
    expected: int,
    actor: User,
) -> PreparationAnswer:
    if current is None:
        if expected != 0:  # the form showed an answer that is gone: the meeting was replanned
            raise PreparationConflict(_answers(meeting, case))
        current = PreparationAnswer(
            meeting_id=meeting.id,
            case_id=case.id,
            question_key=key,
            text=text,
            updated_by_id=actor.id,
        )
        try:
            with db.session.begin_nested():
                db.session.add(current)
        except IntegrityError:  # answered by someone else a moment ago
            raise PreparationConflict(_answers(meeting, case)) from None
        return current
    result = db.session.execute(
        update(PreparationAnswer)
        .where(PreparationAnswer.id == current.id, PreparationAnswer.version == expected)
        .values(
            text=text,
            version=PreparationAnswer.version + 1,
            updated_by_id=actor.id,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise PreparationConflict(_answers(meeting, case))
    db.session.refresh(current)
    return current


def _answers(meeting: Meeting, case: Case) -> dict[str, PreparationAnswer]:
    found = db.session.scalars(
        select(PreparationAnswer)
        .where(PreparationAnswer.meeting_id == meeting.id, PreparationAnswer.case_id == case.id)
        .execution_options(populate_existing=True)
    )
    return {answer.question_key: answer for answer in found}


def _text(answer: PreparationAnswer | None) -> str:
    return answer.text if answer is not None else ""


def _version(answer: PreparationAnswer | None) -> int:
    return answer.version if answer is not None else 0


def _field(key: str) -> str:
    """The form field of a question's answer."""
    return f"answer_{key}"
