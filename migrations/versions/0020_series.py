"""series: a year of meetings planned at once; a host organisation and a notulist per meeting

Revision ID: 0020_series
Revises: 0019_table
Create Date: 2026-11-30 14:00:00.000000

Existing meetings belong to no series and have no host or notulist yet: the procesbegeleider
names them on the meeting's edit form. Downgrade drops the three columns and the series table
(the meetings themselves stay).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020_series"
down_revision = "0019_table"
branch_labels = None
depends_on = None

RHYTHMS = ("maandelijks", "zeswekelijks", "per_kwartaal", "elke_n_weken")


def upgrade():
    op.create_table(
        "meeting_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column(
            "rhythm",
            sa.Enum(
                *RHYTHMS, name="series_rhythm", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("interval_weeks", sa.Integer(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("online_link", sa.String(length=500), nullable=False),
        sa.Column("protocol_id", sa.String(length=64), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["case_groups.id"],
            name=op.f("fk_meeting_series_group_id_case_groups"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_meeting_series_created_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_series")),
    )
    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_series_group_id"), ["group_id"], unique=False)
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("host_organisation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("notulist_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_meetings_series_id"), ["series_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_meetings_series_id_meeting_series"),
            "meeting_series",
            ["series_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_meetings_host_organisation_id_organisations"),
            "organisations",
            ["host_organisation_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_meetings_notulist_id_users"),
            "users",
            ["notulist_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_meetings_notulist_id_users"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_meetings_host_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_meetings_series_id_meeting_series"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_meetings_series_id"))
        batch_op.drop_column("notulist_id")
        batch_op.drop_column("host_organisation_id")
        batch_op.drop_column("series_id")
    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_series_group_id"))
    op.drop_table("meeting_series")
