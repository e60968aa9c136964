"""Who is called, and who is reminded before a call's deadline.

:func:`members_to_call` is everyone the call is for: the group's active members other than the
one who opened it. :func:`select_reminders` finds, in three queries whatever the number of
calls, the open calls whose deadline lies within a few days and the members among them who
have proposed nothing for that meeting yet (withdrawn and declined proposals count: they
answered). :func:`send_reminders` sends each member's reminder once per call
(facilitator.proposals.letters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from facilitator import mail
from facilitator.auth.access import receives_member_mail
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, GroupMembership
from facilitator.localtime import local_today, within_days
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.proposals import letters
from facilitator.proposals.models import CaseCall, CaseProposal
from facilitator.users.models import User

#: Default and longest look ahead of `facilitator meetings remind-call`.
DEFAULT_DAYS = 2
MAX_DAYS = 30


def members_to_call(call: CaseCall) -> list[User]:
    """The group's active members who may propose, but not the one who opened the call."""
    return sorted(
        (
            m.user
            for m in call.meeting.group.memberships
            if receives_member_mail(m.user) and m.user_id != call.opened_by_id
        ),
        key=lambda user: user.email,
    )


@dataclass(frozen=True)
class Reminder:
    call: CaseCall
    members: list[User]


@dataclass
class Outcome:
    messages: int = 0
    calls: set[int] = field(default_factory=set)
    failure: str = ""

    def summary(self, *, dry_run: bool = False) -> str:
        parts = {
            "messages": ngettext("%(num)d reminder", "%(num)d reminders", self.messages),
            "calls": ngettext("%(num)d call for cases", "%(num)d calls for cases", len(self.calls)),
        }
        if dry_run:
            return _("Dry run: %(messages)s for %(calls)s; nothing sent or claimed.", **parts)
        return _("%(messages)s sent for %(calls)s", **parts)


def select_reminders(days: int = DEFAULT_DAYS, today: date | None = None) -> list[Reminder]:
    """The open calls due within ``days`` days (today included), each with who is to hear."""
    today = today or local_today()
    calls = [
        call
        for call in db.session.scalars(
            select(CaseCall)
            .join(CaseCall.meeting)
            .join(Meeting.group)
            .where(
                CaseGroup.active,
                Meeting.status == MeetingStatus.GEPLAND,
                CaseCall.closed.is_(False),
                CaseCall.deadline >= today,
                CaseCall.deadline <= today + timedelta(days=days),
            )
            .options(contains_eager(CaseCall.meeting).contains_eager(Meeting.group))
            .order_by(CaseCall.deadline, CaseCall.id)
        )
        if within_days(call.deadline, days, today)
    ]
    if not calls:
        return []
    groups = {call.meeting.group_id for call in calls}
    memberships = db.session.scalars(
        select(GroupMembership)
        .join(GroupMembership.user)
        .where(GroupMembership.group_id.in_(groups))
        .options(contains_eager(GroupMembership.user))
    ).all()
    answered = {
        (meeting_id, user_id)
        for meeting_id, user_id in db.session.execute(
            select(CaseProposal.meeting_id, CaseProposal.proposed_by_id).where(
                CaseProposal.meeting_id.in_({call.meeting_id for call in calls})
            )
        )
    }
    reminders = []
    for call in calls:
        members = sorted(
            (
                m.user
                for m in memberships
                if m.group_id == call.meeting.group_id
                and receives_member_mail(m.user)
                and m.user_id != call.opened_by_id
                and (call.meeting_id, m.user_id) not in answered
            ),
            key=lambda user: user.email,
        )
        if members:
            reminders.append(Reminder(call, members))
    return reminders


def drafts(reminder: Reminder) -> list[letters.MemberDraft]:
    return letters.call_drafts(reminder.call, reminder.members, kind=letters.REMINDER)


def pending(reminders: list[Reminder]) -> list[letters.MemberDraft]:
    """The reminders a run would send now, without those claimed already (--dry-run)."""
    taken = {
        (row.recipient, row.subject)
        for row in db.session.scalars(
            select(mail.MailDelivery).where(mail.MailDelivery.kind == letters.REMINDER)
        )
    }
    return [
        draft
        for reminder in reminders
        for draft in drafts(reminder)
        if (draft.recipient.lower(), str(reminder.call.id)) not in taken
    ]


def send_reminders(reminders: list[Reminder]) -> Outcome:
    """Send each reminder once per member and call; stop at a mail server that is down."""
    outcome = Outcome()
    for reminder in reminders:
        try:
            sent = letters.send_call_drafts(drafts(reminder), reminder.call)
        except mail.MailServerError as error:
            outcome.failure = str(error)
            break
        outcome.messages += sent
        if sent:
            outcome.calls.add(reminder.call.id)
    return outcome
