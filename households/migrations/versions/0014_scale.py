"""Settings that ``beheer`` sets (``instelling``), first: how many days opening a household
gives a GBD-er access (default 30); an index for a user's recent openings.

Revision ID: 0014_scale
Revises: 0013_debt_history
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_scale"
down_revision = "0013_debt_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "instelling",
        sa.Column("sleutel", sa.String(length=60), nullable=False),
        sa.Column("waarde", sa.Integer(), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(), nullable=True),
        sa.Column("gewijzigd_door", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["gewijzigd_door"], ["app_user.id"], name=op.f("fk_instelling_gewijzigd_door_app_user")
        ),
        sa.PrimaryKeyConstraint("sleutel", name=op.f("pk_instelling")),
    )
    op.bulk_insert(table, [{"sleutel": "toegang_na_openen_dagen", "waarde": 30}])
    op.create_index(
        "ix_household_opening_user_geopend", "household_opening", ["user_id", "geopend_op"]
    )


def downgrade() -> None:
    op.drop_index("ix_household_opening_user_geopend", table_name="household_opening")
    op.drop_table("instelling")
