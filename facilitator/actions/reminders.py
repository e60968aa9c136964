"""Reminders about actions: to each owner, and a digest of overdue ones to the procesbegeleiders.

:func:`select_reminders` decides who hears about what, in two queries whatever the number of
actions; :func:`drafts` writes that as messages in each recipient's language (pseudonyms,
the group and links, never identity data); :func:`send_reminders` sends them through
:mod:`facilitator.mail`, at most once per action, recipient and day, and audits each message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from facilitator import mail
from facilitator.actions.models import OPEN_STATUSES, ActionItem
from facilitator.audit.models import AuditAction
from facilitator.audit.services import record_committed
from facilitator.auth.access import MEMBER_MAIL_ROLES, receives_member_mail
from facilitator.auth.services import normalise_email
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, GroupMembership, GroupRole, LeaderTitle
from facilitator.localtime import DUE_SOON_DAYS, is_overdue, local_today, within_days
from facilitator.regions.models import Contact
from facilitator.users.models import User

#: Message kinds: the claim of each action is kept per kind (facilitator/mail.py).
REMINDER = "action_reminder"
DIGEST = "overdue_digest"
#: The longest look ahead the command accepts.
MAX_DAYS = 60


@dataclass(frozen=True)
class Reminder:
    """An owner's open actions that are due within the window or overdue, by due date."""

    owner: User | Contact
    actions: list[ActionItem]


@dataclass(frozen=True)
class Digest:
    """The overdue actions of the groups a procesbegeleider leads, by group and due date."""

    procesbegeleider: User
    actions: list[ActionItem]


@dataclass(frozen=True)
class Selection:
    """Everything one run has to say, on ``today`` looking ``days`` ahead."""

    today: date
    days: int
    reminders: list[Reminder] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)


@dataclass(frozen=True)
class PersonalDraft(mail.Draft):
    """A draft that knows the person it is for (a user or a contact), for the audit row."""

    person: User | Contact | None = None


@dataclass
class Outcome:
    """What a run sent: messages, the owners and procesbegeleiders reached."""

    messages: int = 0
    owners: set[tuple[str, int]] = field(default_factory=set)
    procesbegeleiders: set[int] = field(default_factory=set)
    #: Why the run stopped early (the mail server), or "".
    failure: str = ""

    def add(self, draft: PersonalDraft) -> None:
        """Count a message."""
        assert draft.person is not None
        self.messages += 1
        if draft.kind == REMINDER:
            self.owners.add(_person_key(draft.person))
        else:
            self.procesbegeleiders.add(draft.person.id)

    def summary(self, *, dry_run: bool = False) -> str:
        """E.g. "3 berichten verstuurd aan 2 eigenaren en 1 procesbegeleider"."""
        parts = {
            "messages": ngettext("%(num)d message", "%(num)d messages", self.messages),
            "owners": ngettext("%(num)d owner", "%(num)d owners", len(self.owners)),
            "leaders": ngettext(
                "%(num)d process supervisor",
                "%(num)d process supervisors",
                len(self.procesbegeleiders),
            ),
        }
        if dry_run:
            return _(
                "Dry run: %(messages)s to %(owners)s and %(leaders)s; nothing sent or claimed.",
                **parts,
            )
        return _("%(messages)s sent to %(owners)s and %(leaders)s", **parts)


def select_reminders(days: int = DUE_SOON_DAYS, today: date | None = None) -> Selection:
    """Who hears about which open actions of the active groups, in two queries.

    Owners hear of their actions due from today up to ``days`` ahead and of the overdue
    ones, unless deactivated or no longer of a working role; each active procesbegeleider
    of a group hears of its overdue actions, whoever owns them.
    """
    today = today or local_today()
    found = db.session.scalars(
        select(ActionItem)
        .join(ActionItem.group)
        .where(
            CaseGroup.active,
            ActionItem.status.in_(OPEN_STATUSES),
            ActionItem.due_on <= today + timedelta(days=days),
        )
        .options(
            contains_eager(ActionItem.group),
            joinedload(ActionItem.case),
            joinedload(ActionItem.owner_user),
            joinedload(ActionItem.owner_contact),
            joinedload(ActionItem.organisation),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    # The query bounds the window; localtime decides what "due within" and "overdue" mean.
    actions = [
        action
        for action in found
        if is_overdue(action.due_on, today) or within_days(action.due_on, days, today)
    ]
    owned: dict[tuple[str, int], list[ActionItem]] = defaultdict(list)
    for action in actions:
        if _hears(action.owner):
            owned[_person_key(action.owner)].append(action)
    reminders = [Reminder(found[0].owner, found) for found in owned.values()]
    reminders.sort(key=lambda reminder: (reminder.owner.email, _person_key(reminder.owner)))
    overdue = [action for action in actions if is_overdue(action.due_on, today)]
    return Selection(today, days, reminders, _digests(overdue))


def _hears(owner: User | Contact) -> bool:
    """An active contact, or an active user of the working roles (never a beleidsgroeplid)."""
    return receives_member_mail(owner) if isinstance(owner, User) else owner.active


def _digests(overdue: list[ActionItem]) -> list[Digest]:
    if not overdue:
        return []
    leaders = db.session.scalars(
        select(GroupMembership)
        .join(GroupMembership.user)
        .where(
            GroupMembership.group_id.in_({action.group_id for action in overdue}),
            GroupMembership.role == GroupRole.PROCESBEGELEIDER,
            User.active,
            User.role.in_(MEMBER_MAIL_ROLES),
        )
        .options(contains_eager(GroupMembership.user))
    )
    led: dict[int, set[int]] = defaultdict(set)
    people: dict[int, User] = {}
    for membership in leaders:
        led[membership.user_id].add(membership.group_id)
        people[membership.user_id] = membership.user
    order = sorted(overdue, key=lambda a: (a.group.name, a.group_id, a.due_on, a.id))
    return [
        Digest(people[user_id], [action for action in order if action.group_id in groups])
        for user_id, groups in sorted(led.items(), key=lambda item: people[item[0]].email)
    ]


def drafts(selection: Selection) -> list[PersonalDraft]:
    """The messages of a selection, each about its actions keyed by id."""
    owners = [
        PersonalDraft(
            kind=REMINDER,
            recipient=reminder.owner.email,
            subjects={str(action.id): action for action in reminder.actions},
            write=partial(_reminder_letter, reminder.owner, selection.today),
            language=_language(reminder.owner),
            person=reminder.owner,
        )
        for reminder in selection.reminders
    ]
    leaders = [
        PersonalDraft(
            kind=DIGEST,
            recipient=digest.procesbegeleider.email,
            subjects={str(action.id): action for action in digest.actions},
            write=partial(_digest_letter, digest.procesbegeleider, selection.today),
            language=digest.procesbegeleider.language,
            person=digest.procesbegeleider,
        )
        for digest in selection.digests
    ]
    return owners + leaders


def pending(selection: Selection) -> list[PersonalDraft]:
    """The messages a run would send now: what went out today already left out (--dry-run)."""
    return [
        draft for draft in _not_sent_today(drafts(selection), selection.today) if draft.subjects
    ]


def send_reminders(selection: Selection) -> Outcome:
    """Send (or log) the selection's messages once a day per action and recipient; audit each.

    Stops at a mail server that cannot be reached; what went before stays sent and counted.
    """
    outcome = Outcome()

    def sent(draft: mail.Draft, keys: list[str]) -> None:
        assert isinstance(draft, PersonalDraft)
        outcome.add(draft)
        _audit(draft, [draft.subjects[key] for key in keys])

    try:
        mail.send(drafts(selection), day=selection.today, on_sent=sent)
    except mail.MailServerError as error:
        outcome.failure = str(error)
    return outcome


def _audit(draft: PersonalDraft, actions: list[ActionItem]) -> None:
    """One row per case the message named (one without a case when it named none)."""
    person = draft.person
    pseudonyms = sorted({a.case.pseudonym for a in actions if a.case is not None}) or [""]
    for pseudonym in pseudonyms:
        record_committed(
            draft.kind,
            action=AuditAction.EXECUTE,
            object_type="user" if isinstance(person, User) else "contact",
            object_id=person.id,
            case_pseudonym=pseudonym,
            reason="actions " + ",".join(str(a.id) for a in actions),
        )


def _not_sent_today(found: list[PersonalDraft], day: date) -> list[PersonalDraft]:
    """The drafts without the subjects already claimed today, for an honest dry run."""
    taken = {
        tuple(row)
        for row in db.session.execute(
            select(
                mail.MailDelivery.kind, mail.MailDelivery.recipient, mail.MailDelivery.subject
            ).where(mail.MailDelivery.day == day, mail.MailDelivery.kind.in_((REMINDER, DIGEST)))
        )
    }
    return [
        PersonalDraft(
            kind=draft.kind,
            recipient=draft.recipient,
            subjects={
                key: item
                for key, item in draft.subjects.items()
                if (draft.kind, normalise_email(draft.recipient), key) not in taken
            },
            write=draft.write,
            language=draft.language,
            person=draft.person,
        )
        for draft in found
    ]


def _person_key(person: User | Contact) -> tuple[str, int]:
    return ("user" if isinstance(person, User) else "contact", person.id)


def _language(person: User | Contact) -> str | None:
    """A user's own language; a contact has none and reads the default (Dutch)."""
    return person.language if isinstance(person, User) else None


# --- the letters, written in the recipient's language (mail.compose sets it) -----------------


def _reminder_letter(owner: User | Contact, today: date, actions: list[ActionItem]) -> mail.Letter:
    count = len(actions)
    lines = [
        _("Hello %(name)s,", name=owner.name),
        "",
        ngettext(
            "An action of yours is due soon or overdue:",
            "%(num)d actions of yours are due soon or overdue:",
            count,
        ),
    ]
    for action in actions:
        lines += ["", *_action_lines(action, today, digest=False, link=isinstance(owner, User))]
    lines += ["", _closing(owner, actions)]
    subject = ngettext(
        "Casustafel: %(num)d action due soon or overdue",
        "Casustafel: %(num)d actions due soon or overdue",
        count,
    )
    return mail.Letter(subject=subject, body="\n".join(lines))


def _digest_letter(leader: User, today: date, actions: list[ActionItem]) -> mail.Letter:
    count = len(actions)
    lines = [
        _("Hello %(name)s,", name=leader.name),
        "",
        ngettext(
            "An action in a group you lead is overdue:",
            "%(num)d actions in groups you lead are overdue:",
            count,
        ),
    ]
    group_id = None
    for action in actions:
        if action.group_id != group_id:
            group_id = action.group_id
            lines += [
                "",
                action.group.name,
                mail.external_url("actions.board", group_id=group_id),
            ]
        lines += ["", *_action_lines(action, today, digest=True, link=True)]
    lines += ["", _("Take them up with their owners, or review them in the group's next meeting.")]
    subject = ngettext(
        "Casustafel: %(num)d overdue action in your groups",
        "Casustafel: %(num)d overdue actions in your groups",
        count,
    )
    return mail.Letter(subject=subject, body="\n".join(lines))


def _action_lines(action: ActionItem, today: date, *, digest: bool, link: bool) -> list[str]:
    """An action as a few lines: when, what; the case's pseudonym with the group (a reminder)
    or with the owner (a digest, whose actions stand under their group); a link."""
    description = "\n  ".join(action.description.splitlines())
    lines = [f"* {_when(action.due_on, today)}: {description}"]
    where = [] if digest else [action.group.name]
    if action.case is not None:
        where.append(_("case %(pseudonym)s", pseudonym=action.case.pseudonym))
    if digest:
        person = action.owner
        who = _(
            "%(name)s (%(organisation)s)", name=person.name, organisation=action.organisation.name
        )
        where.append(who if person.active else _("%(who)s, no longer active", who=who))
    lines.append("  " + " · ".join(where))
    if link:
        lines.append("  " + action_link(action))
    return lines


def action_link(action: ActionItem) -> str:
    """Where a user sees the action and records how it stands: the action's own page."""
    return mail.external_url("actions.action_detail", action_id=action.id)


def _when(due_on: date, today: date) -> str:
    when = format_date(due_on, "d MMMM yyyy")
    if is_overdue(due_on, today):
        late = (today - due_on).days
        return ngettext(
            "%(num)d day overdue (due %(date)s)",
            "%(num)d days overdue (due %(date)s)",
            late,
            date=when,
        )
    if due_on == today:
        return _("due today (%(date)s)", date=when)
    ahead = (due_on - today).days
    return ngettext(
        "due in %(num)d day (%(date)s)", "due in %(num)d days (%(date)s)", ahead, date=when
    )


def _closing(owner: User | Contact, actions: list[ActionItem]) -> str:
    if isinstance(owner, User):
        return _(
            "Record in Casustafel how each action stands, with a short note, "
            "or ask for a new due date in time."
        )
    titles = {action.group.leader_title for action in actions}
    if len(titles) == 1 and (title := titles.pop()) != LeaderTitle.PROCESBEGELEIDER:
        # The group names its leader by the region's title (a trekker, a voorzitter).
        return _(
            "You have no account in Casustafel: tell the group's %(title)s how each action "
            "stands, or ask for a new due date in time.",
            title=title.label.lower(),
        )
    return _(
        "You have no account in Casustafel: tell the group's process supervisor how each action "
        "stands, or ask for a new due date in time."
    )
