"""calendar and mail: the meeting's calendar sequence, calendar feeds, mail deliveries

Revision ID: 0007_calendar_mail
Revises: 0005_one_door
Create Date: 2026-12-02 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_calendar_mail"
down_revision = "0005_one_door"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_deliveries")),
        # At most one message per kind, recipient, subject and day, whichever host sends it.
        sa.UniqueConstraint(
            "kind", "recipient", "subject", "day", name="uq_mail_deliveries_once"
        ),
    )


def downgrade():
    op.drop_table("mail_deliveries")
