"""audit_right: the right to read the audit log, granted per user by a beheerder

Revision ID: 0013_audit_right
Revises: 0012_record_corrections
Create Date: 2026-11-30 10:45:00.000000
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_audit_right"
down_revision = "0012_record_corrections"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("can_read_audit", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("can_read_audit")
