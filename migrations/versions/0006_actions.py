"""actions: contacts without an account; actions of a group with their history; the regie of a
case with a contact, an achterwacht and handovers

Revision ID: 0006_actions
Revises: 0005_one_door
Create Date: 2026-12-02 10:00:00.000000

Data: every action gets the group of its meeting, and its owner becomes ``owner_user_id``
(an action that had none goes to whoever recorded it: the check constraint wants an owner).
Every regie assignment starts ``since`` the Amsterdam date it was recorded on; should a case
have more than one in force, all but the newest end, so the partial unique index holds.

Downgrade: what the old tables cannot hold is removed (actions without a meeting, regie of a
contact) or simplified (an action of a contact loses its owner; "in uitvoering" becomes open).
"""

from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_actions"
down_revision = "0005_one_door"
branch_labels = None
depends_on = None

#: Migrations import no application code: the product's time zone, as facilitator.localtime has it.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OLD_STATUSES = ("open", "gereed", "vervallen")
STATUSES = ("open", "in_uitvoering", "gereed", "vervallen")
ONE_OWNER = (
    "(owner_user_id IS NOT NULL AND owner_contact_id IS NULL)"
    " OR (owner_user_id IS NULL AND owner_contact_id IS NOT NULL)"
)
ONE_REGIEVOERDER = (
    "(user_id IS NOT NULL AND contact_id IS NULL) OR (user_id IS NULL AND contact_id IS NOT NULL)"
)
AT_MOST_ONE_ACHTERWACHT = "achterwacht_user_id IS NULL OR achterwacht_contact_id IS NULL"


def _status_enum(name: str) -> sa.Enum:
    return sa.Enum(*STATUSES, name=name, native_enum=False, create_constraint=True, length=32)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade():
    _create_contacts()
    _create_action_updates()
    _upgrade_action_items()
    _upgrade_regievoerder_assignments()


def _create_contacts():
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_contacts_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contacts_organisation_id"), ["organisation_id"], unique=False
        )


def _create_action_updates():
    op.create_table(
        "action_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("status_from", _status_enum("action_status_from"), nullable=False),
        sa.Column("status_to", _status_enum("action_status_to"), nullable=False),
        sa.Column("due_from", sa.Date(), nullable=True),
        sa.Column("due_to", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action_items.id"],
            name=op.f("fk_action_updates_action_id_action_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_action_updates_by_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_action_updates_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_updates")),
    )
    with op.batch_alter_table("action_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_updates_action_id"), ["action_id"], unique=False
        )


def _upgrade_action_items():
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("owner_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("owner_contact_id", sa.Integer(), nullable=True))

    op.execute(
        "UPDATE action_items SET group_id = "
        "(SELECT meetings.group_id FROM meetings WHERE meetings.id = action_items.meeting_id), "
        "owner_user_id = COALESCE(owner_id, created_by_id)"
    )

    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.alter_column("group_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index(batch_op.f("ix_action_items_owner_id"))
        batch_op.drop_constraint(batch_op.f("fk_action_items_owner_id_users"), type_="foreignkey")
        batch_op.drop_column("owner_id")
        batch_op.drop_constraint(
            batch_op.f("fk_action_items_meeting_id_meetings"), type_="foreignkey"
        )
        batch_op.alter_column("meeting_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_meeting_id_meetings"),
            "meetings",
            ["meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_group_id_case_groups"),
            "case_groups",
            ["group_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_owner_user_id_users"),
            "users",
            ["owner_user_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_owner_contact_id_contacts"),
            "contacts",
            ["owner_contact_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.drop_constraint(batch_op.f("ck_action_items_action_status"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_action_items_action_status"), _in("status", STATUSES)
        )
        batch_op.create_check_constraint(batch_op.f("ck_action_items_one_owner"), ONE_OWNER)
        batch_op.create_index(batch_op.f("ix_action_items_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_items_owner_user_id"), ["owner_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_items_owner_contact_id"), ["owner_contact_id"], unique=False
        )


def _upgrade_regievoerder_assignments():
    with op.batch_alter_table("regievoerder_assignments", schema=None) as batch_op:
        batch_op.alter_column(
            "started_at", new_column_name="created_at", existing_type=sa.DateTime()
        )
        batch_op.add_column(sa.Column("since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("achterwacht_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("achterwacht_contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("handover_reason", sa.String(length=300), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))

    _date_and_end_assignments()

    with op.batch_alter_table("regievoerder_assignments", schema=None) as batch_op:
        batch_op.alter_column("since", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column(
            "handover_reason", existing_type=sa.String(length=300), server_default=None
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_regievoerder_assignments_contact_id_contacts"),
            "contacts",
            ["contact_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_regievoerder_assignments_achterwacht_user_id_users"),
            "users",
            ["achterwacht_user_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_regievoerder_assignments_achterwacht_contact_id_contacts"),
            "contacts",
            ["achterwacht_contact_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_regievoerder_assignments_created_by_id_users"),
            "users",
            ["created_by_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_regievoerder_assignments_one_regievoerder"), ONE_REGIEVOERDER
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_regievoerder_assignments_one_achterwacht"), AT_MOST_ONE_ACHTERWACHT
        )
        batch_op.create_index(
            "uq_regievoerder_assignments_in_force",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )


def _date_and_end_assignments():
    """``since``: the Amsterdam date each was recorded; only the newest per case in force."""
    assignments = sa.table(
        "regievoerder_assignments",
        sa.column("id", sa.Integer()),
        sa.column("case_id", sa.Integer()),
        sa.column("created_at", sa.DateTime()),
        sa.column("ended_at", sa.DateTime()),
        sa.column("since", sa.Date()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            assignments.c.id, assignments.c.case_id, assignments.c.created_at, assignments.c.ended_at
        ).order_by(assignments.c.case_id, assignments.c.created_at.desc(), assignments.c.id.desc())
    ).all()
    in_force: set[int] = set()
    for row in rows:
        values = {"since": row.created_at.replace(tzinfo=UTC).astimezone(AMSTERDAM).date()}
        if row.ended_at is None and row.case_id in in_force:
            values["ended_at"] = row.created_at  # a second one in force: ended when recorded
        elif row.ended_at is None:
            in_force.add(row.case_id)
        connection.execute(
            assignments.update().where(assignments.c.id == row.id).values(**values)
        )


def downgrade():
    _downgrade_regievoerder_assignments()
    _downgrade_action_items()
    with op.batch_alter_table("action_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_updates_action_id"))
    op.drop_table("action_updates")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_organisation_id"))
    op.drop_table("contacts")


def _downgrade_regievoerder_assignments():
    op.execute("DELETE FROM regievoerder_assignments WHERE user_id IS NULL")
    with op.batch_alter_table("regievoerder_assignments", schema=None) as batch_op:
        batch_op.drop_index("uq_regievoerder_assignments_in_force")
        batch_op.drop_constraint(
            batch_op.f("ck_regievoerder_assignments_one_achterwacht"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("ck_regievoerder_assignments_one_regievoerder"), type_="check"
        )
        for name in (
            "fk_regievoerder_assignments_created_by_id_users",
            "fk_regievoerder_assignments_achterwacht_contact_id_contacts",
            "fk_regievoerder_assignments_achterwacht_user_id_users",
            "fk_regievoerder_assignments_contact_id_contacts",
        ):
            batch_op.drop_constraint(batch_op.f(name), type_="foreignkey")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        for column in (
            "created_by_id",
            "handover_reason",
            "achterwacht_contact_id",
            "achterwacht_user_id",
            "contact_id",
            "since",
        ):
            batch_op.drop_column(column)
        batch_op.alter_column(
            "created_at", new_column_name="started_at", existing_type=sa.DateTime()
        )


def _downgrade_action_items():
    op.execute("DELETE FROM action_items WHERE meeting_id IS NULL")
    op.execute("UPDATE action_items SET status = 'open' WHERE status = 'in_uitvoering'")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
    op.execute("UPDATE action_items SET owner_id = owner_user_id")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_owner_contact_id"))
        batch_op.drop_index(batch_op.f("ix_action_items_owner_user_id"))
        batch_op.drop_index(batch_op.f("ix_action_items_group_id"))
        batch_op.drop_constraint(batch_op.f("ck_action_items_one_owner"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_action_items_action_status"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_action_items_action_status"), _in("status", OLD_STATUSES)
        )
        for name in (
            "fk_action_items_owner_contact_id_contacts",
            "fk_action_items_owner_user_id_users",
            "fk_action_items_group_id_case_groups",
            "fk_action_items_meeting_id_meetings",
        ):
            batch_op.drop_constraint(batch_op.f(name), type_="foreignkey")
        batch_op.drop_column("owner_contact_id")
        batch_op.drop_column("owner_user_id")
        batch_op.drop_column("group_id")
        batch_op.alter_column("meeting_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_meeting_id_meetings"),
            "meetings",
            ["meeting_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_owner_id_users"),
            "users",
            ["owner_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_index(batch_op.f("ix_action_items_owner_id"), ["owner_id"], unique=False)
