"""Who lived where: the ``bewoning`` table (DESIGN 5.4).

A person's household over time; stacking, combinations and the trend on a date count a
person's provisions for the household they lived in on that date. Written by hand.

Revision ID: 0009_residence
Revises: 0008_retention
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_residence"
down_revision = "0008_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bewoning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sleutel", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("vanaf", sa.Date(), nullable=False),
        sa.Column("tot", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_bewoning_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_bewoning_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bewoning")),
        sa.UniqueConstraint("sleutel", name=op.f("uq_bewoning_sleutel")),
    )
    op.create_index("ix_bewoning_household_id", "bewoning", ["household_id"], unique=False)
    op.create_index("ix_bewoning_person_vanaf", "bewoning", ["person_id", "vanaf"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_bewoning_person_vanaf", table_name="bewoning")
    op.drop_index("ix_bewoning_household_id", table_name="bewoning")
    op.drop_table("bewoning")
