"""preparation: the answers to a protocol's handreiking, per meeting, agenda case and question

Revision ID: 0017_preparation
Revises: 0016_edit_versions
Create Date: 2026-11-30 14:00:00.000000

The questions live in the meeting's copy of its protocol; a row holds one answer, with the
version that keeps two members from overwriting each other silently.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_preparation"
down_revision = "0016_edit_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "preparation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=48), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_preparation_answers_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_preparation_answers_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_preparation_answers_updated_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preparation_answers")),
        sa.UniqueConstraint(
            "meeting_id", "case_id", "question_key", name="uq_preparation_answers_question"
        ),
    )
    with op.batch_alter_table("preparation_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_preparation_answers_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_preparation_answers_case_id"), ["case_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("preparation_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_preparation_answers_case_id"))
        batch_op.drop_index(batch_op.f("ix_preparation_answers_meeting_id"))
    op.drop_table("preparation_answers")
