"""who is at the table: the candidate and the employer per agenda case, the title of a group's
leader, and the feedback bodies of a region as a list the region keeps

Revision ID: 0019_table
Revises: 0018_case_calls
Create Date: 2026-11-30 14:00:00.000000

Every region gets the four usual bodies. The feedback recorded before this revision named one
of three fixed bodies: it now points at the region's body of that name, so nothing is lost.
Downgrading maps the bodies back to those three by name; feedback on a body added since
(a projectgroep, or one the region named itself) goes back as klankbordgroep, the one body
every region had.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019_table"
down_revision = "0018_case_calls"
branch_labels = None
depends_on = None

LEADER_TITLES = ("procesbegeleider", "trekker", "voorzitter", "gespreksleider")
#: The fixed bodies before this revision and the name their region's body gets.
OLD_BODIES = (
    ("klankbordgroep", "Klankbordgroep"),
    ("beleidsgroep", "Beleidsgroep"),
    ("focusgroep", "Focusgroep ervaringsdeskundigen"),
)
DEFAULT_BODIES = ("Klankbordgroep", "Beleidsgroep", "Projectgroep", "Focusgroep ervaringsdeskundigen")


def upgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("candidate_present", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("employer_present", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("case_groups", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "leader_title",
                sa.Enum(
                    *LEADER_TITLES,
                    name="leader_title",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=False,
                server_default="procesbegeleider",
            )
        )
        batch_op.add_column(
            sa.Column("leader_independent", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    bodies = op.create_table(
        "feedback_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"],
            ["regions.id"],
            name=op.f("fk_feedback_bodies_region_id_regions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_bodies")),
        sa.UniqueConstraint("region_id", "name", name="uq_feedback_bodies_region_name"),
    )
    with op.batch_alter_table("feedback_bodies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_bodies_region_id"), ["region_id"], unique=False
        )
    connection = op.get_bind()
    region_ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM regions"))]
    op.bulk_insert(
        bodies,
        [
            {"region_id": region_id, "name": name, "active": True, "position": position}
            for region_id in region_ids
            for position, name in enumerate(DEFAULT_BODIES)
        ],
    )

    with op.batch_alter_table("logbook_feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_id", sa.Integer(), nullable=True))
    for old, name in OLD_BODIES:
        connection.execute(
            sa.text(
                "UPDATE logbook_feedback SET body_id = ("
                " SELECT feedback_bodies.id FROM feedback_bodies"
                " JOIN logbook_editions ON logbook_editions.region_id = feedback_bodies.region_id"
                " WHERE logbook_editions.id = logbook_feedback.edition_id"
                " AND feedback_bodies.name = :name)"
                " WHERE body = :old"
            ),
            {"name": name, "old": old},
        )
    with op.batch_alter_table("logbook_feedback", schema=None) as batch_op:
        batch_op.alter_column("body_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_logbook_feedback_body_id"), ["body_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_logbook_feedback_body_id_feedback_bodies"),
            "feedback_bodies",
            ["body_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.drop_constraint(batch_op.f("ck_logbook_feedback_feedback_body"), type_="check")
        batch_op.drop_column("body")


def downgrade():
    with op.batch_alter_table("logbook_feedback", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "body",
                sa.Enum(
                    *(old for old, _name in OLD_BODIES),
                    name="feedback_body",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                nullable=False,
                server_default="klankbordgroep",
            )
        )
    connection = op.get_bind()
    for old, name in OLD_BODIES:
        connection.execute(
            sa.text(
                "UPDATE logbook_feedback SET body = :old WHERE body_id IN ("
                " SELECT id FROM feedback_bodies WHERE name = :name)"
            ),
            {"name": name, "old": old},
        )
    with op.batch_alter_table("logbook_feedback", schema=None) as batch_op:
        batch_op.alter_column("body", existing_type=sa.String(length=32), server_default=None)
        batch_op.drop_constraint(
            batch_op.f("fk_logbook_feedback_body_id_feedback_bodies"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_logbook_feedback_body_id"))
        batch_op.drop_column("body_id")
    with op.batch_alter_table("feedback_bodies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_bodies_region_id"))
    op.drop_table("feedback_bodies")

    with op.batch_alter_table("case_groups", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_case_groups_leader_title"), type_="check")
        batch_op.drop_column("leader_independent")
        batch_op.drop_column("leader_title")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("employer_present")
        batch_op.drop_column("candidate_present")
