"""policy role: the beleidsgroeplid, who reads a region's results and never a case

Revision ID: 0021_policy_role
Revises: 0020_series
Create Date: 2026-11-30 17:20:00.000000
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021_policy_role"
down_revision = "0020_series"
branch_labels = None
depends_on = None

BEFORE = ("beheerder", "projectleider", "procesbegeleider", "deelnemer")
AFTER = (*BEFORE, "beleidsgroeplid")


def _role_column(values):
    return sa.Enum(*values, name="user_role", native_enum=False, create_constraint=True, length=32)


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_user_role"), type_="check")
        batch_op.alter_column("role", existing_type=sa.String(length=32), type_=_role_column(AFTER))


def downgrade():
    op.execute("UPDATE users SET active = false WHERE role = 'beleidsgroeplid'")
    op.execute("UPDATE users SET role = 'deelnemer' WHERE role = 'beleidsgroeplid'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_user_role"), type_="check")
        batch_op.alter_column(
            "role", existing_type=sa.String(length=32), type_=_role_column(BEFORE)
        )
