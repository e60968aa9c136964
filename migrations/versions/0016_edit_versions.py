"""edit_versions: a version on action items and consents, so two people editing one never
overwrite each other silently (SECURITY.md R3)

Revision ID: 0016_edit_versions
Revises: 0015_two_factor
Create Date: 2026-11-30 11:00:00.000000

Every existing row starts at version 1; each edit through a form raises it by one, and a form
that shows an older version is refused with what changed.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016_edit_versions"
down_revision = "0015_two_factor"
branch_labels = None
depends_on = None

TABLES = ("action_items", "consents")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
