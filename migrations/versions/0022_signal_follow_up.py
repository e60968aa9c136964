"""signal follow-up: what the beleidsgroep did with a signal, and the timeline of its changes

Revision ID: 0022_signal_follow_up
Revises: 0021_policy_role
Create Date: 2026-11-30 17:30:00.000000

New tables only: a signal without a follow-up stands as "nieuw", so nothing is filled in. The
downgrade drops them (the follow-ups and their timelines go with them).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_signal_follow_up"
down_revision = "0021_policy_role"
branch_labels = None
depends_on = None

STATUSES = ("nieuw", "geagendeerd", "besluit_genomen", "uitgevoerd", "niet_overgenomen")


def _status_enum(name: str) -> sa.Enum:
    return sa.Enum(*STATUSES, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "signal_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("status", _status_enum("signal_status"), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["findings.id"],
            name=op.f("fk_signal_follow_ups_finding_id_findings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_signal_follow_ups_recorded_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_follow_ups")),
        sa.UniqueConstraint("finding_id", name=op.f("uq_signal_follow_ups_finding_id")),
    )
    op.create_table(
        "signal_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("follow_up_id", sa.Integer(), nullable=False),
        sa.Column("status", _status_enum("signal_update_status"), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_signal_updates_by_id_users"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["signal_follow_ups.id"],
            name=op.f("fk_signal_updates_follow_up_id_signal_follow_ups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_updates")),
    )
    with op.batch_alter_table("signal_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signal_updates_follow_up_id"), ["follow_up_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_signal_updates_at"), ["at"], unique=False)


def downgrade():
    with op.batch_alter_table("signal_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signal_updates_at"))
        batch_op.drop_index(batch_op.f("ix_signal_updates_follow_up_id"))
    op.drop_table("signal_updates")
    op.drop_table("signal_follow_ups")
