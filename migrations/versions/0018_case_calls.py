"""case calls: a call for cases per meeting, the proposals members make, and the selection
criteria each proposal confirms

Revision ID: 0018_case_calls
Revises: 0017_preparation
Create Date: 2026-11-30 14:00:00.000000

New tables only: the downgrade drops them (the calls and proposals go with them).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_case_calls"
down_revision = "0017_preparation"
branch_labels = None
depends_on = None

STATUSES = ("voorgesteld", "geaccepteerd", "afgewezen", "ingetrokken")
OPEN_PROPOSAL = sa.text("status = 'voorgesteld'")


def upgrade():
    op.create_table(
        "case_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_case_calls_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"],
            ["users.id"],
            name=op.f("fk_case_calls_opened_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_calls")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_case_calls_meeting_id")),
    )
    op.create_table(
        "case_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                *STATUSES,
                name="proposal_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_proposals_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_case_proposals_decided_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_case_proposals_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["users.id"],
            name=op.f("fk_case_proposals_proposed_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_proposals")),
    )
    with op.batch_alter_table("case_proposals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_proposals_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_proposals_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "uq_case_proposals_open",
            ["meeting_id", "case_id"],
            unique=True,
            sqlite_where=OPEN_PROPOSAL,
            postgresql_where=OPEN_PROPOSAL,
        )
    op.create_table(
        "proposal_criteria",
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["selection_criteria.id"],
            name=op.f("fk_proposal_criteria_criterion_id_selection_criteria"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["case_proposals.id"],
            name=op.f("fk_proposal_criteria_proposal_id_case_proposals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "criterion_id", name=op.f("pk_proposal_criteria")),
    )


def downgrade():
    op.drop_table("proposal_criteria")
    with op.batch_alter_table("case_proposals", schema=None) as batch_op:
        batch_op.drop_index("uq_case_proposals_open")
        batch_op.drop_index(batch_op.f("ix_case_proposals_case_id"))
        batch_op.drop_index(batch_op.f("ix_case_proposals_meeting_id"))
    op.drop_table("case_proposals")
    op.drop_table("case_calls")
