"""What the klankbordgroep, the beleidsgroep or a focusgroep said about a logbook edition, and
what was decided: recorded by the projectleider, shown in the next edition."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.mentions import named_cases
from facilitator.database import name_key
from facilitator.exceptions import ServiceError
from facilitator.exports.feedback_bodies import bodies_of
from facilitator.exports.models import FeedbackBody, LogbookEdition, LogbookFeedback
from facilitator.extensions import db
from facilitator.localtime import local_today
from facilitator.privacy import guard
from facilitator.users.models import User

MAX_TEXT = 4000


def record_feedback(
    edition: LogbookEdition,
    *,
    body: int | str,
    given_on: date,
    summary: str,
    decisions: str,
    actor: User,
    confirmed: bool = False,
) -> LogbookFeedback:
    """Add a body's feedback on an edition (screened by the guard)."""
    feedback = LogbookFeedback(edition_id=edition.id, recorded_by_id=actor.id)
    screening = _fill(
        feedback, _body_for(edition, body, None), given_on, summary, decisions, actor, confirmed
    )
    edition.feedback.append(feedback)
    db.session.flush()
    screening.record(actor=actor, on=feedback)
    _audit("logbook_feedback_recorded", AuditAction.CREATE, feedback, actor)
    return feedback


def update_feedback(
    feedback: LogbookFeedback,
    *,
    body: int | str,
    given_on: date,
    summary: str,
    decisions: str,
    actor: User,
    confirmed: bool = False,
) -> LogbookFeedback:
    chosen = _body_for(feedback.edition, body, feedback.body_id)
    screening = _fill(feedback, chosen, given_on, summary, decisions, actor, confirmed)
    feedback.recorded_by_id = actor.id
    screening.record(actor=actor, on=feedback)
    db.session.flush()
    _audit("logbook_feedback_updated", AuditAction.UPDATE, feedback, actor)
    return feedback


def delete_feedback(feedback: LogbookFeedback, *, actor: User) -> None:
    _audit("logbook_feedback_deleted", AuditAction.DELETE, feedback, actor)
    db.session.delete(feedback)
    db.session.flush()


def _fill(feedback, body, given_on, summary, decisions, actor, confirmed) -> guard.Screening:
    """Check and set the fields; the caller records any confirmation once the row exists."""
    summary, decisions = (summary or "").strip(), (decisions or "").strip()
    if not summary:
        raise ServiceError(_l("Write down what was said."), field="summary")
    for name, text in (("summary", summary), ("decisions", decisions)):
        if named_cases([text]):  # the beleidsgroep reads the feedback (dashboard, editions)
            raise ServiceError(
                _l("Name no case here: the policy group reads this feedback."), field=name
            )
    for name, text in (("summary", summary), ("decisions", decisions)):
        if len(text) > MAX_TEXT:
            raise ServiceError(_l("Keep this under %(num)d characters.", num=MAX_TEXT), field=name)
    if given_on > local_today():
        raise ServiceError(_l("The date cannot be in the future."), field="given_on")
    screening = guard.check(
        {"summary": summary, "decisions": decisions}, actor=actor, confirmed=confirmed
    )
    if screening.refusals:
        raise screening.refusals[0]
    feedback.body = body
    feedback.given_on = given_on
    feedback.summary = summary
    feedback.decisions = decisions
    return screening


def _body_for(edition: LogbookEdition, chosen: int | str, current_id: int | None) -> FeedbackBody:
    """The chosen body (its id, or its name from the command line or the demo): one of the
    edition's region, active (or the one the feedback had)."""
    if isinstance(chosen, str):
        body = next(
            (b for b in bodies_of(edition.region_id) if name_key(b.name) == name_key(chosen)),
            None,
        )
    else:
        body = db.session.get(FeedbackBody, chosen)
    if (
        body is None
        or body.region_id != edition.region_id
        or not (body.active or body.id == current_id)
    ):
        raise ServiceError(_l("Choose one of the region's bodies."), field="body")
    return body


def _audit(event: str, action: AuditAction, feedback: LogbookFeedback, actor: User) -> None:
    record(
        event,
        action=action,
        actor=actor,
        object_type="logbook_feedback",
        object_id=feedback.id,
        reason=f"edition {feedback.edition_id}",
    )


def feedback_before(region_id: int, group_ids: list[int], before: date) -> list[LogbookFeedback]:
    """The feedback on the latest earlier period of the same scope (region and groups) that
    ended before ``before``: what the next edition reports back on. A period issued more than
    once (a download again) counts as one: the feedback on each of its editions comes back."""
    wanted = set(group_ids)
    editions = db.session.scalars(
        select(LogbookEdition)
        .where(LogbookEdition.region_id == region_id, LogbookEdition.period_to < before)
        .options(
            selectinload(LogbookEdition.groups),
            selectinload(LogbookEdition.feedback).selectinload(LogbookFeedback.recorded_by),
        )
        .order_by(LogbookEdition.period_to.desc(), LogbookEdition.id)
    )
    same_scope = [e for e in editions if {g.id for g in e.groups} == wanted]
    if not same_scope:
        return []
    latest = (same_scope[0].period_from, same_scope[0].period_to)
    given = [
        entry
        for edition in same_scope
        if (edition.period_from, edition.period_to) == latest
        for entry in edition.feedback
    ]
    return sorted(given, key=lambda entry: (entry.given_on, entry.id))


def feedback_on(edition_id: int) -> list[LogbookFeedback]:
    """The feedback on an edition with who recorded it, by date: one query, however many."""
    return list(
        db.session.scalars(
            select(LogbookFeedback)
            .where(LogbookFeedback.edition_id == edition_id)
            .options(joinedload(LogbookFeedback.recorded_by))
            .order_by(LogbookFeedback.given_on, LogbookFeedback.id)
        )
    )


def feedback_counts(region_id: int) -> dict[int, int]:
    """How many feedback entries each edition of the region has, in one query."""
    rows = db.session.execute(
        select(LogbookFeedback.edition_id, func.count(LogbookFeedback.id))
        .join(LogbookEdition, LogbookEdition.id == LogbookFeedback.edition_id)
        .where(LogbookEdition.region_id == region_id)
        .group_by(LogbookFeedback.edition_id)
    )
    return {edition_id: count for edition_id, count in rows}
