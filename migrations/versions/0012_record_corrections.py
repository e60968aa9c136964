"""record_corrections: corrections of a completed meeting's records, with the reason

Revision ID: 0012_record_corrections
Revises: 0011_exports
Create Date: 2026-11-30 08:30:00.000000

Findings, the regievoerder's updates, the building-block remarks and the terugkoppeling notes
of a completed meeting can be corrected with a reason, like its field values; each change is
kept here, one row per field, never with personal data in the old value.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_record_corrections"
down_revision = "0011_exports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "record_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_record_corrections_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_record_corrections_changed_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_corrections")),
    )
    with op.batch_alter_table("record_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_corrections_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("record_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_corrections_meeting_id"))
    op.drop_table("record_corrections")
