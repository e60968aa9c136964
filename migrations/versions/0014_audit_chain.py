"""audit_chain: every audit row sealed with an HMAC over the one before, appended only

Revision ID: 0014_audit_chain
Revises: 0013_audit_right
Create Date: 2026-11-30 11:00:00.000000

Existing rows are numbered again without gaps (a rolled-back insert leaves one in a sequence)
and sealed in id order under AUDIT_KEY; then the triggers go on.
"""

from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = "0014_audit_chain"
down_revision = "0013_audit_right"
branch_labels = None
depends_on = None


def upgrade():
    from facilitator.audit import append_only, chain

    op.create_table(
        "audit_chain_lock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("appends", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_lock")),
    )
    op.execute(sa.text("INSERT INTO audit_chain_lock (id, appends) VALUES (1, 0)"))
    op.create_table(
        "audit_chain_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_purged_id", sa.Integer(), nullable=False),
        sa.Column("last_purged_chain", sa.String(length=64), nullable=False),
        sa.Column("purged_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_anchors")),
    )
    op.create_table(
        "audit_purge_permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("before", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_purge_permits")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain", sa.String(length=64), nullable=True))

    _seal_existing_rows(op.get_bind(), chain)

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("chain", existing_type=sa.String(length=64), nullable=False)
    append_only.install(op.get_bind())


def _seal_existing_rows(connection, chain):
    events = sa.table(
        "audit_events",
        *(
            sa.column(name, sa.DateTime() if name == "occurred_at" else None)
            for name in (*chain.CONTENT, "chain")
        ),
    )
    key = chain.audit_key(current_app._get_current_object())
    ids = [row.id for row in connection.execute(sa.select(events.c.id).order_by(events.c.id))]
    previous = chain.GENESIS
    for new_id, old_id in enumerate(ids, start=1):
        if new_id != old_id:
            connection.execute(events.update().where(events.c.id == old_id).values(id=new_id))
        row = connection.execute(
            sa.select(*(events.c[name] for name in chain.CONTENT)).where(events.c.id == new_id)
        ).one()
        values = dict(row._mapping)
        values["occurred_at"] = _aware(values["occurred_at"])
        previous = chain.seal(key, previous, values)
        connection.execute(events.update().where(events.c.id == new_id).values(chain=previous))


def _aware(moment):
    from datetime import UTC

    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def downgrade():
    from facilitator.audit import append_only

    append_only.remove(op.get_bind())
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("chain")
    op.drop_table("audit_purge_permits")
    op.drop_table("audit_chain_anchors")
    op.drop_table("audit_chain_lock")
