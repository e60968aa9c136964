"""The mails of a call for cases: the call itself, the reminder before its deadline, and a
declined proposal. Each names the group, the meeting's date, a case's pseudonym and links:
never a client's identity, and nothing the members did not see on the meeting page.

Sent through :mod:`facilitator.mail` (claims in ``mail_deliveries``), each message with an
audit row like ``facilitator actions remind``. A reminder's claim is dated on the call's
deadline, so a member hears of a call once, however often cron runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from flask_babel import format_date
from flask_babel import gettext as _

from facilitator import mail
from facilitator.audit.models import AuditAction
from facilitator.audit.services import record_committed
from facilitator.auth.access import receives_member_mail
from facilitator.core.i18n import datetime_filter
from facilitator.groups.policy import is_member
from facilitator.proposals.models import CaseCall, CaseProposal
from facilitator.users.models import User

#: Message kinds: each claimed per kind in mail_deliveries.
CALL = "case_call"
REMINDER = "case_call_reminder"
DECLINED = "proposal_declined"


@dataclass(frozen=True)
class MemberDraft(mail.Draft):
    """A draft that knows the member it is for and the call it is about, for the audit row."""

    member: User | None = None
    call: CaseCall | None = None


def call_drafts(call: CaseCall, members: list[User], kind: str = CALL) -> list[MemberDraft]:
    """The call (or its reminder) to each member, in their own language."""
    return [
        MemberDraft(
            kind=kind,
            recipient=member.email,
            subjects={str(call.id): call},
            write=partial(_call_letter, member, reminder=kind == REMINDER),
            language=member.language,
            member=member,
            call=call,
        )
        for member in members
    ]


def announce_call(call: CaseCall, members: list[User], *, actor: User | None) -> int:
    """Mail the call to the group's members at once; return the number of messages sent.

    Raises :class:`facilitator.mail.MailServerError` when the server cannot be reached.
    """
    return len(mail.send(call_drafts(call, members), on_sent=partial(_audit, actor=actor)))


def send_call_drafts(drafts: list[MemberDraft], call: CaseCall) -> int:
    """Send reminders, claimed once per member and call (the claim is dated on the deadline)."""
    return len(mail.send(drafts, day=call.deadline, on_sent=partial(_audit, actor=None)))


def tell_declined(proposal: CaseProposal, *, actor: User) -> int:
    """Tell the proposer that their proposal was declined, and why: only while they are an
    active member of the group (the mail names the case), else nobody (0)."""
    proposer = proposal.proposed_by
    if not (receives_member_mail(proposer) and is_member(proposer, proposal.meeting.group)):
        return 0
    draft = MemberDraft(
        kind=DECLINED,
        recipient=proposer.email,
        subjects={str(proposal.id): proposal},
        write=partial(_declined_letter, proposer),
        language=proposer.language,
        member=proposer,
    )
    sent = mail.send([draft])
    for _message in sent:
        record_committed(
            DECLINED,
            action=AuditAction.EXECUTE,
            actor=actor,
            object_type="user",
            object_id=proposer.id,
            case_pseudonym=proposal.case.pseudonym,
            reason=f"proposal {proposal.id}",
        )
    return len(sent)


def _audit(draft: mail.Draft, keys: list[str], *, actor: User | None) -> None:
    assert isinstance(draft, MemberDraft) and draft.member is not None
    record_committed(
        draft.kind,
        action=AuditAction.EXECUTE,
        actor=actor,
        object_type="user",
        object_id=draft.member.id,
        reason="call " + ",".join(keys),
    )


# --- the letters, written in the recipient's language (mail.compose sets it) -----------------


def _call_letter(member: User, calls: list[CaseCall], *, reminder: bool) -> mail.Letter:
    (call,) = calls
    meeting, group = call.meeting, call.meeting.group
    when = datetime_filter(meeting.scheduled_at)
    deadline = format_date(call.deadline, "d MMMM yyyy")
    lines = [_("Hello %(name)s,", name=member.name), ""]
    if reminder:
        lines.append(
            _(
                "You have not proposed a case yet for the meeting of %(group)s on %(date)s. "
                "Proposals are welcome until %(deadline)s.",
                group=group.name,
                date=when,
                deadline=deadline,
            )
        )
    else:
        lines.append(
            _(
                "The process supervisor of %(group)s asks for cases for the meeting on "
                "%(date)s. Propose a case until %(deadline)s.",
                group=group.name,
                date=when,
                deadline=deadline,
            )
        )
    if call.message:
        lines += ["", *("> " + line for line in call.message.splitlines())]
    criteria = group.active_criteria
    if criteria:
        lines += ["", _("A case for this group meets its selection criteria:")]
        lines += [f"* {c.text}" + (f" ({_('mandatory')})" if c.mandatory else "") for c in criteria]
    lines += [
        "",
        _("Propose a case of the group, or register a new one, here:"),
        mail.external_url("proposals.propose", meeting_id=meeting.id),
    ]
    subject = (
        _("Casustafel: reminder, cases wanted for %(group)s", group=group.name)
        if reminder
        else _("Casustafel: cases wanted for %(group)s", group=group.name)
    )
    return mail.Letter(subject=subject, body="\n".join(lines))


def _declined_letter(proposer: User, proposals: list[CaseProposal]) -> mail.Letter:
    (proposal,) = proposals
    meeting = proposal.meeting
    lines = [
        _("Hello %(name)s,", name=proposer.name),
        "",
        _(
            "Your proposal of case %(pseudonym)s for the meeting of %(group)s on %(date)s "
            "was declined. The reason:",
            pseudonym=proposal.case.pseudonym,
            group=meeting.group.name,
            date=datetime_filter(meeting.scheduled_at),
        ),
        "",
        *("> " + line for line in proposal.decline_reason.splitlines()),
        "",
        mail.external_url("proposals.propose", meeting_id=meeting.id),
    ]
    subject = _(
        "Casustafel: proposal of case %(pseudonym)s declined", pseudonym=proposal.case.pseudonym
    )
    return mail.Letter(subject=subject, body="\n".join(lines))
