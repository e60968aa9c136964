"""``facilitator meetings list``."""

import click
from flask.cli import AppGroup

from facilitator.cli_output import echo_table, fail
from facilitator.core.i18n import datetime_filter
from facilitator.extensions import db
from facilitator.groups.services import find_group
from facilitator.meetings.planning import all_meetings

meetings_cli = AppGroup("meetings", help="Meetings of the case groups.")


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
