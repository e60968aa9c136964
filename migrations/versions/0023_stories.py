"""stories: klantverhalen and voorbeeldcasussen of a group, approved by its procesbegeleider

Revision ID: 0023_stories
Revises: 0022_signal_follow_up
Create Date: 2026-11-30 18:00:00.000000

A new table only: the downgrade drops it (the stories go with it).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_stories"
down_revision = "0022_signal_follow_up"
branch_labels = None
depends_on = None

KINDS = ("klantverhaal", "voorbeeldcasus")
STATUSES = ("concept", "ingediend", "goedgekeurd", "teruggestuurd")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", _enum(KINDS, "story_kind"), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", _enum(STATUSES, "story_status"), nullable=False),
        sa.Column("sent_back_reason", sa.Text(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["case_groups.id"],
            name=op.f("fk_stories_group_id_case_groups"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_stories_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["written_by_id"],
            ["users.id"],
            name=op.f("fk_stories_written_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_stories_approved_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stories_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stories_case_id"), ["case_id"], unique=False)


def downgrade():
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stories_case_id"))
        batch_op.drop_index(batch_op.f("ix_stories_group_id"))
    op.drop_table("stories")
