"""``facilitator meetings list`` (and ``remind-call``, in facilitator.proposals.cli)."""

import click
from flask.cli import AppGroup

from facilitator.cli_output import echo_table, fail
from facilitator.core.i18n import datetime_filter
from facilitator.extensions import db
from facilitator.groups.services import find_group
from facilitator.meetings.planning import all_meetings
from facilitator.proposals.cli import remind_call

meetings_cli = AppGroup("meetings", help="Meetings of the case groups.")
meetings_cli.add_command(remind_call)


@meetings_cli.command("list")
@click.option("--group", "group_name", help="Only the meetings of this group.")
def list_meetings(group_name):
    """Print meetings, tab-separated: id, group, date, status, protocol."""
    group = None
    if group_name:
        group = find_group(group_name)
        if group is None:
            fail(f"no single group named {group_name!r}")
    echo_table(
        ("id", "group", "date", "status", "protocol"),
        (
            (
                m.id,
                m.group.name,
                datetime_filter(m.scheduled_at, "yyyy-MM-dd HH:mm"),
                m.status.value,
                f"{m.protocol_id} v{m.protocol_version}",
            )
            for m in db.session.scalars(all_meetings(group))
        ),
    )
