"""exports: approved minutes, logbook editions with their feedback, a region's house style

Revision ID: 0011_exports
Revises: 0010_review
Create Date: 2026-11-30 08:00:00.000000

The files are kept as issued (the approved minutes, every logbook edition), with their SHA-256.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_exports"
down_revision = "0010_review"
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade():
    op.create_table(
        "minutes_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("approved_in_meeting_id", sa.Integer(), nullable=True),
        sa.Column("corrections", sa.Text(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        _fk("minutes_approvals", "meeting_id", "meetings", "CASCADE"),
        _fk("minutes_approvals", "approved_in_meeting_id", "meetings", "SET NULL"),
        _fk("minutes_approvals", "approved_by_id", "users", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_approvals")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_minutes_approvals_meeting_id")),
    )
    op.create_table(
        "logbook_editions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        _fk("logbook_editions", "region_id", "regions", "RESTRICT"),
        _fk("logbook_editions", "issued_by_id", "users", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logbook_editions")),
    )
    with op.batch_alter_table("logbook_editions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_logbook_editions_region_id"), ["region_id"], unique=False
        )
    op.create_table(
        "logbook_edition_groups",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        _fk("logbook_edition_groups", "edition_id", "logbook_editions", "CASCADE"),
        _fk("logbook_edition_groups", "group_id", "case_groups", "CASCADE"),
        sa.PrimaryKeyConstraint("edition_id", "group_id", name=op.f("pk_logbook_edition_groups")),
    )
    op.create_table(
        "logbook_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column(
            "body",
            sa.Enum(
                "klankbordgroep",
                "beleidsgroep",
                "focusgroep",
                name="feedback_body",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("decisions", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _fk("logbook_feedback", "edition_id", "logbook_editions", "CASCADE"),
        _fk("logbook_feedback", "recorded_by_id", "users", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logbook_feedback")),
    )
    with op.batch_alter_table("logbook_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_logbook_feedback_edition_id"), ["edition_id"], unique=False
        )
    op.create_table(
        "house_styles",
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        _fk("house_styles", "region_id", "regions", "CASCADE"),
        _fk("house_styles", "uploaded_by_id", "users", "RESTRICT"),
        sa.PrimaryKeyConstraint("region_id", name=op.f("pk_house_styles")),
    )


def downgrade():
    op.drop_table("house_styles")
    with op.batch_alter_table("logbook_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_logbook_feedback_edition_id"))
    op.drop_table("logbook_feedback")
    op.drop_table("logbook_edition_groups")
    with op.batch_alter_table("logbook_editions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_logbook_editions_region_id"))
    op.drop_table("logbook_editions")
    op.drop_table("minutes_approvals")
