"""Story workflows: write, edit, submit, approve, send back and delete a draft.

Each takes the acting user, screens what was typed, writes its audit row and flushes, never
commits. Who may call which is the policy's (stories.policy, applied by the views); these
functions guard the order of the steps: only a story waiting for approval is approved, and an
approved story that is edited waits for approval again.

A story leaves the group: the dashboard and the logbook show it to readers who may never see a
pseudonym (the beleidsgroep). So besides the guard (identity, BSN, bidi controls), a story's
title and text may hold nothing shaped like a pseudonym: the link to a case is the separate,
optional ``case``, which members see and nobody outside the group does.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from facilitator.audit.models import AuditAction
from facilitator.audit.services import record
from facilitator.cases.mentions import named_cases
from facilitator.cases.models import Case
from facilitator.cases.pseudonyms import ALPHABET
from facilitator.database import utcnow
from facilitator.exceptions import ServiceError
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup
from facilitator.privacy import guard
from facilitator.privacy.normalise import normalise
from facilitator.stories.models import MAX_TEXT, MAX_TITLE, Story, StoryKind, StoryStatus
from facilitator.users.models import User
from facilitator.versions import claim_version

#: Any word shaped like a pseudonym ("K7-QF3"), as typed or after normalising look-alikes.
PSEUDONYM_SHAPE = re.compile(rf"(?<![\w-])[{ALPHABET}]{{2}}-[{ALPHABET}]{{3}}(?![\w-])")
MAX_REASON = 1000


def write_story(
    group: CaseGroup,
    *,
    kind: StoryKind | str,
    title: str,
    text: str,
    actor: User,
    case: Case | None = None,
    confirmed: bool = False,
) -> Story:
    """Write a story of ``group`` as a draft, optionally about one of its cases."""
    _check_story(group, title, text, case)
    story = Story(
        group_id=group.id,
        case_id=case.id if case is not None else None,
        kind=StoryKind(kind),
        title=title.strip(),
        text=text.strip(),
        status=StoryStatus.CONCEPT,
        written_by_id=actor.id,
    )
    guard.screen({"title": title, "text": text}, actor=actor, on=story, confirmed=confirmed)
    db.session.add(story)
    db.session.flush()
    _record("story_written", AuditAction.CREATE, story, actor, case=case)
    return story


def edit_story(
    story: Story,
    *,
    kind: StoryKind | str,
    title: str,
    text: str,
    case: Case | None,
    actor: User,
    confirmed: bool = False,
    seen_version: int | None = None,
) -> Story:
    """Change a story; an approved one goes back to the procesbegeleider for approval."""
    claim_version(story, seen_version)
    _check_story(story.group, title, text, case)
    guard.screen({"title": title, "text": text}, actor=actor, on=story, confirmed=confirmed)
    changed = sorted(
        name
        for name, differs in (
            ("kind", StoryKind(kind) != story.kind),
            ("title", title.strip() != story.title),
            ("text", text.strip() != story.text),
            ("case", case is not story.case),
        )
        if differs
    )
    story.kind = StoryKind(kind)
    story.title = title.strip()
    story.text = text.strip()
    story.case = case
    reapprove = story.status == StoryStatus.GOEDGEKEURD and bool(changed)
    if reapprove:
        story.status = StoryStatus.INGEDIEND
        story.approved_by_id = story.approved_at = None
    db.session.flush()
    reason = ",".join(changed) or "unchanged"
    _record("story_edited", AuditAction.UPDATE, story, actor, reason=reason)
    return story


def submit_story(story: Story, *, actor: User, seen_version: int | None = None) -> Story:
    """Put a draft (or a story sent back) forward for the procesbegeleider's approval."""
    claim_version(story, seen_version)
    if not story.status.is_draft:
        raise ServiceError(_l("This story was already submitted."))
    return _move(story, StoryStatus.INGEDIEND, actor, "story_submitted")


def approve_story(story: Story, *, actor: User, seen_version: int | None = None) -> Story:
    """Approve a story waiting for approval: the dashboard and the logbook show it from now."""
    claim_version(story, seen_version)
    if story.status != StoryStatus.INGEDIEND:
        raise ServiceError(_l("Only a story waiting for approval can be approved."))
    story.approved_by_id = actor.id
    story.approved_at = utcnow()
    story.sent_back_reason = ""
    return _move(story, StoryStatus.GOEDGEKEURD, actor, "story_approved")


def send_back_story(
    story: Story, *, reason: str, actor: User, seen_version: int | None = None
) -> Story:
    """Send a submitted or approved story back to its author, saying why."""
    claim_version(story, seen_version)
    if story.status not in (StoryStatus.INGEDIEND, StoryStatus.GOEDGEKEURD):
        raise ServiceError(_l("Only a submitted or approved story can be sent back."))
    if not reason.strip():
        raise ServiceError(_l("Say why the story goes back to its author."), field="reason")
    if len(reason.strip()) > MAX_REASON:
        raise ServiceError(_l("This reason is too long."), field="reason")
    _refuse_pseudonyms({"reason": reason})
    guard.screen({"reason": reason}, actor=actor, on=story)
    story.sent_back_reason = reason.strip()
    story.approved_by_id = story.approved_at = None
    return _move(story, StoryStatus.TERUGGESTUURD, actor, "story_sent_back")


def delete_story(story: Story, *, actor: User) -> None:
    """Delete a draft, or a story sent back; one put forward is sent back first."""
    if not story.status.is_draft:
        raise ServiceError(_l("Only a draft can be deleted."))
    _record("story_deleted", AuditAction.DELETE, story, actor, reason=story.status.value)
    db.session.delete(story)
    db.session.flush()


def _move(story: Story, status: StoryStatus, actor: User, event: str) -> Story:
    before = story.status
    story.status = status
    db.session.flush()
    _record(event, AuditAction.UPDATE, story, actor, reason=f"{before.value}->{status.value}")
    return story


def _record(
    event: str,
    action: AuditAction,
    story: Story,
    actor: User,
    *,
    case: Case | None = None,
    reason: str = "",
) -> None:
    case = case if case is not None else story.case
    record(
        event,
        action=action,
        actor=actor,
        object_type="story",
        object_id=story.id,
        case_pseudonym=case.pseudonym if case is not None else "",
        reason=reason,
    )


def _check_story(group: CaseGroup, title: str, text: str, case: Case | None) -> None:
    if not title.strip():
        raise ServiceError(_l("Give the story a title."), field="title")
    if len(title.strip()) > MAX_TITLE:
        raise ServiceError(_l("This title is too long."), field="title")
    if not text.strip():
        raise ServiceError(_l("Write the story."), field="text")
    if len(text.strip()) > MAX_TEXT:
        raise ServiceError(_l("This story is too long."), field="text")
    if case is not None and case.group_id != group.id:
        raise ServiceError(_l("Choose a case of this group."), field="case_id")
    _refuse_pseudonyms({"title": title, "text": text})


def _refuse_pseudonyms(texts: dict[str, str]) -> None:
    """Refuse a pseudonym in a story: any case's, in any letter case and with any dash
    (cases.mentions), or anything shaped so."""
    for name, text in texts.items():
        if PSEUDONYM_SHAPE.search(normalise(text).text) or named_cases([text]):
            raise ServiceError(
                _l(
                    "A story is read outside the group, where no pseudonym may be shown. "
                    'Leave the pseudonym out; link the case with the field "Case" instead.'
                ),
                field=name,
            )
