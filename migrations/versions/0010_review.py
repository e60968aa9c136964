"""review: the regievoerder's update on a client, told in a meeting's review of the actions

Revision ID: 0010_review
Revises: 0008_closure_reasons
Create Date: 2026-12-03 10:00:00.000000

One row per case and meeting; it stays with the case when the meeting goes.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_review"
down_revision = "0008_closure_reasons"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_updates_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_case_updates_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_case_updates_recorded_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_updates")),
        sa.UniqueConstraint("case_id", "meeting_id", name="uq_case_updates_meeting"),
    )
    with op.batch_alter_table("case_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_updates_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_updates_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("case_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_updates_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_case_updates_case_id"))
    op.drop_table("case_updates")
