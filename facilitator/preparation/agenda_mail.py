"""The agenda mail: a set number of days before a planned meeting, its agenda with the
preparation of each case goes to the group's members.

:func:`select_agendas` finds the planned meetings of the active groups from today up to
``days`` ahead (FACILITATOR_AGENDA_MAIL_DAYS) and their members; :func:`send_agendas` sends
each member one message per meeting through :mod:`facilitator.mail`, and audits each message.
A message names the cases by pseudonym with their preparation state and links, never identity.

Once per meeting and member: the claim in ``mail_deliveries`` is keyed by the meeting and kept
for the meeting's own date (not the day of sending), so a daily run finds it taken until the
meeting is moved to another day, when the new date goes out again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import partial

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from facilitator import mail
from facilitator.audit.models import AuditAction
from facilitator.audit.services import record_committed
from facilitator.auth.access import MEMBER_MAIL_ROLES
from facilitator.auth.services import normalise_email
from facilitator.core.i18n import datetime_filter
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, GroupMembership
from facilitator.localtime import from_local, local_date, local_today, within_days
from facilitator.meetings.models import Meeting, MeetingStatus
from facilitator.preparation.queries import Preparation, preparation_of
from facilitator.users.models import User

#: The message kind: its claims are kept per meeting (facilitator/mail.py).
AGENDA = "meeting_agenda"
#: The longest look ahead the command accepts.
MAX_DAYS = 60
MIDNIGHT = time(0, 0)


@dataclass(frozen=True)
class Agenda:
    """A planned meeting with the preparation of its agenda cases, and who hears of it."""

    meeting: Meeting
    preparation: Preparation
    members: list[User]

    @property
    def day(self) -> date:
        """The meeting's own (Dutch) date: the day its claims are kept for."""
        return local_date(self.meeting.scheduled_at)


@dataclass(frozen=True)
class MemberDraft(mail.Draft):
    """A draft that knows its member and meeting, for the audit row."""

    member: User | None = None
    agenda: Agenda | None = None


@dataclass
class Outcome:
    """What a run sent: messages, meetings and members reached."""

    messages: int = 0
    meetings: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)
    failure: str = ""

    def add(self, draft: MemberDraft) -> None:
        assert draft.member is not None and draft.agenda is not None
        self.messages += 1
        self.meetings.add(draft.agenda.meeting.id)
        self.members.add(draft.member.id)

    def summary(self, *, dry_run: bool = False) -> str:
        """E.g. "4 berichten verstuurd over 1 bijeenkomst aan 4 leden"."""
        parts = {
            "messages": ngettext("%(num)d message", "%(num)d messages", self.messages),
            "meetings": ngettext("%(num)d meeting", "%(num)d meetings", len(self.meetings)),
            "members": ngettext("%(num)d member", "%(num)d members", len(self.members)),
        }
        if dry_run:
            return _(
                "Dry run: %(messages)s about %(meetings)s to %(members)s; nothing sent or claimed.",
                **parts,
            )
        return _("%(messages)s sent about %(meetings)s to %(members)s", **parts)


def agenda_days() -> int:
    """How many days before a meeting its agenda goes out (FACILITATOR_AGENDA_MAIL_DAYS)."""
    return int(current_app.config["AGENDA_MAIL_DAYS"])


def select_agendas(days: int | None = None, today: date | None = None) -> list[Agenda]:
    """The planned meetings of active groups from today up to ``days`` ahead, each with its
    preparation and its active members of the working roles (access.MEMBER_MAIL_ROLES: never
    a beheerder or a beleidsgroeplid, the mail names cases)."""
    today = today or local_today()
    days = agenda_days() if days is None else days
    found = db.session.scalars(
        select(Meeting)
        .join(Meeting.group)
        .where(
            CaseGroup.active,
            Meeting.status == MeetingStatus.GEPLAND,
            Meeting.scheduled_at >= from_local(today, MIDNIGHT),
            Meeting.scheduled_at < from_local(today + timedelta(days=days + 1), MIDNIGHT),
        )
        .options(
            contains_eager(Meeting.group),
            joinedload(Meeting.host_organisation),
            joinedload(Meeting.notulist),
        )
        .order_by(Meeting.scheduled_at, Meeting.id)
    ).all()
    meetings = [m for m in found if within_days(local_date(m.scheduled_at), days, today)]
    if not meetings:
        return []
    members: dict[int, list[User]] = defaultdict(list)
    for membership in db.session.scalars(
        select(GroupMembership)
        .join(GroupMembership.user)
        .where(
            GroupMembership.group_id.in_({m.group_id for m in meetings}),
            User.active,
            User.role.in_(MEMBER_MAIL_ROLES),
        )
        .options(contains_eager(GroupMembership.user))
        .order_by(User.email)
    ):
        members[membership.group_id].append(membership.user)
    return [Agenda(m, preparation_of(m), members[m.group_id]) for m in meetings]


def drafts(agendas: list[Agenda]) -> list[MemberDraft]:
    """A message per member and meeting, about that meeting."""
    return [
        MemberDraft(
            kind=AGENDA,
            recipient=member.email,
            subjects={str(agenda.meeting.id): agenda},
            write=partial(_agenda_letter, member),
            language=member.language,
            member=member,
            agenda=agenda,
        )
        for agenda in agendas
        for member in agenda.members
    ]


def pending(agendas: list[Agenda]) -> list[MemberDraft]:
    """The messages a run would send now, without those sent already (--dry-run)."""
    if not agendas:
        return []
    taken = {
        tuple(row)
        for row in db.session.execute(
            select(
                mail.MailDelivery.recipient, mail.MailDelivery.subject, mail.MailDelivery.day
            ).where(
                mail.MailDelivery.kind == AGENDA,
                mail.MailDelivery.subject.in_([str(a.meeting.id) for a in agendas]),
            )
        )
    }
    return [
        draft
        for draft in drafts(agendas)
        if (normalise_email(draft.recipient), str(draft.agenda.meeting.id), draft.agenda.day)
        not in taken
    ]


def send_agendas(agendas: list[Agenda]) -> Outcome:
    """Send (or log) each member's agenda once per meeting; audit each message.

    Stops at a mail server that cannot be reached; what went before stays sent and counted.
    """
    outcome = Outcome()

    def sent(draft: mail.Draft, _keys: list[str]) -> None:
        assert isinstance(draft, MemberDraft)
        outcome.add(draft)
        _audit(draft)

    by_day: dict[date, list[MemberDraft]] = defaultdict(list)
    for draft in drafts(agendas):
        by_day[draft.agenda.day].append(draft)
    try:
        for day, found in by_day.items():
            mail.send(found, day=day, on_sent=sent)
    except mail.MailServerError as error:
        outcome.failure = str(error)
    return outcome


def _audit(draft: MemberDraft) -> None:
    """One row per case the message named (one without a case for an empty agenda)."""
    agenda = draft.agenda
    pseudonyms = sorted(c.case.pseudonym for c in _agenda_cases(agenda)) or [""]
    for pseudonym in pseudonyms:
        record_committed(
            AGENDA,
            action=AuditAction.EXECUTE,
            object_type="user",
            object_id=draft.member.id,
            case_pseudonym=pseudonym,
            reason=f"meeting {agenda.meeting.id}",
        )


def _agenda_cases(agenda: Agenda):
    return [c for c in agenda.preparation.cases if c.on_agenda]


# --- the letter, written in the member's language (mail.compose sets it) ----------------------


def _agenda_letter(member: User, agendas: list[Agenda]) -> mail.Letter:
    (agenda,) = agendas
    meeting = agenda.meeting
    when = datetime_filter(meeting.scheduled_at)
    lines = [
        _("Hello %(name)s,", name=member.name),
        "",
        _("The agenda of the meeting of %(group)s:", group=meeting.group.name),
        "",
        _("When: %(when)s", when=when),
    ]
    if meeting.location:
        lines.append(_("Place: %(place)s", place=meeting.location))
    if meeting.online_link:
        lines.append(_("Online: %(link)s", link=meeting.online_link))
    if meeting.host_organisation is not None:
        lines.append(_("Host: %(organisation)s", organisation=meeting.host_organisation.name))
    if meeting.notulist is not None:
        lines.append(_("Minutes: %(name)s", name=meeting.notulist.name))
    cases = _agenda_cases(agenda)
    lines += [
        "",
        ngettext("%(num)d case on the agenda:", "%(num)d cases on the agenda:", len(cases)),
    ]
    if not cases:
        lines.append(_("No cases on the agenda yet."))
    for prepared in cases:
        lines += [
            f"* {prepared.case.pseudonym}: {prepared.state.label}",
            "  "
            + mail.external_url(
                "preparation.prepare", meeting_id=meeting.id, case_id=prepared.case.id
            ),
        ]
    lines += [
        "",
        _(
            "Read the preparation of each case before the meeting; if you bring a case, "
            "answer the questions of its preparation."
        ),
        mail.external_url("meetings.meeting_detail", meeting_id=meeting.id),
    ]
    subject = _("Casustafel: agenda of %(group)s, %(when)s", group=meeting.group.name, when=when)
    return mail.Letter(subject=subject, body="\n".join(lines))
