"""``facilitator groups ...``."""

from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from facilitator.cli_output import echo_table
from facilitator.extensions import db
from facilitator.groups.models import CaseGroup, GroupMembership, GroupRole

groups_cli = AppGroup("groups", help="Case groups (casusgroepen).")


@groups_cli.command("list")
def list_groups():
    """Print every group, tab-separated, with a header row."""
    groups = db.session.scalars(
        select(CaseGroup)
        .options(
            selectinload(CaseGroup.region),
            selectinload(CaseGroup.memberships).selectinload(GroupMembership.user),
        )
        .order_by(CaseGroup.name)
    )
    echo_table(
        ("name", "region", "procesbegeleiders", "members", "default protocol"),
        (
            (
                group.name,
                group.region.name,
                ",".join(
                    m.user.email for m in group.memberships if m.role == GroupRole.PROCESBEGELEIDER
                ),
                len(group.memberships),
                group.default_protocol,
            )
            for group in groups
        ),
    )
