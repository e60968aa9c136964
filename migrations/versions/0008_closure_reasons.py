"""closure reasons: why a case ended, as structured outflow figures

Revision ID: 0008_closure_reasons
Revises: 0007_calendar_mail
Create Date: 2026-11-30 05:30:00.000000

Cases closed before this revision had only a free-text reason: they become "anders" with that
text as the explanation, so no reason is lost and none is guessed.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_closure_reasons"
down_revision = "0007_calendar_mail"
branch_labels = None
depends_on = None

REASONS = (
    "betaald_werk",
    "opleiding_traject",
    "vrijwilligerswerk_dagbesteding",
    "geen_vervolg",
    "toestemming_ingetrokken",
    "verhuisd",
    "anders",
)


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "closure_kind",
                sa.Enum(
                    *REASONS,
                    name="closure_reason",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=True,
            )
        )
    op.execute("UPDATE cases SET closure_kind = 'anders' WHERE status = 'afgesloten'")


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_cases_closure_reason"), type_="check")
        batch_op.drop_column("closure_kind")
