"""``facilitator meetings list``, ``send-agenda`` and ``remind-call`` (the latter in
facilitator.proposals.cli)."""

import click
from flask.cli import AppGroup

from facilitator import mail_cli
from facilitator.cli_output import echo_table, fail
from facilitator.core.i18n import datetime_filter
from facilitator.extensions import db
from facilitator.groups.services import find_group
from facilitator.meetings.planning import all_meetings
from facilitator.preparation import agenda_mail
from facilitator.proposals.cli import remind_call

meetings_cli = AppGroup("meetings", help="Meetings of the case groups.")
meetings_cli.add_command(remind_call)


@meetings_cli.command("list")
@click.option("--group", "group_name", help="Only the meetings of this group.")
def list_meetings(group_name):
    """Print meetings, tab-separated: id, group, date, status, protocol, host, notulist."""
    group = None
    if group_name:
        group = find_group(group_name)
        if group is None:
            fail(f"no single group named {group_name!r}")
    echo_table(
        ("id", "group", "date", "status", "protocol", "host", "notulist"),
        (
            (
                m.id,
                m.group.name,
                datetime_filter(m.scheduled_at, "yyyy-MM-dd HH:mm"),
                m.status.value,
                f"{m.protocol_id} v{m.protocol_version}",
                m.host_organisation.name if m.host_organisation else "",
                m.notulist.email if m.notulist else "",
            )
            for m in db.session.scalars(all_meetings(group))
        ),
    )


@meetings_cli.command("send-agenda")
@click.option("--dry-run", is_flag=True, help="Print the messages; send and claim nothing.")
@click.option(
    "--days",
    type=click.IntRange(0, agenda_mail.MAX_DAYS),
    default=None,
    help="Look this many days ahead (default: FACILITATOR_AGENDA_MAIL_DAYS, 7).",
)
def send_agenda(dry_run, days):
    """E-mail each member of a group the agenda of its planned meetings within DAYS days, with
    the preparation of each case; once per meeting and member. Run daily."""
    mail_cli.require_links()
    agendas = agenda_mail.select_agendas(days)
    if dry_run:
        drafts = agenda_mail.pending(agendas)
        outcome = agenda_mail.Outcome()
        for draft in drafts:
            outcome.add(draft)
        mail_cli.print_dry_run(drafts, outcome)
        return
    mail_cli.report(agenda_mail.send_agendas(agendas))
