"""Lawful basis (DESIGN 8.3): the day the resident was told the domains are combined, the
regie decision that the problems are multiple and connected, and consent for sharing with
partner institutions (scope, date, expiry, withdrawal).

Revision ID: 0018_grondslag
Revises: 0017_steering
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_grondslag"
down_revision = "0017_steering"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("help_request", sa.Column("bewoner_geinformeerd_op", sa.Date(), nullable=True))
    op.add_column("regie", sa.Column("samenhang", sa.Text(), nullable=True))
    op.create_table(
        "toestemming",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("gegeven_op", sa.Date(), nullable=False),
        sa.Column("geldig_tot", sa.Date(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("vastgelegd_door", sa.Integer(), nullable=True),
        sa.Column("vastgelegd_op", sa.DateTime(), nullable=False),
        sa.Column("ingetrokken_op", sa.DateTime(), nullable=True),
        sa.Column("ingetrokken_door", sa.Integer(), nullable=True),
        sa.CheckConstraint("geldig_tot >= gegeven_op", name=op.f("ck_toestemming_periode")),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"],
                                name=op.f("fk_toestemming_household_id_household")),
        sa.ForeignKeyConstraint(["vastgelegd_door"], ["app_user.id"],
                                name=op.f("fk_toestemming_vastgelegd_door_app_user")),
        sa.ForeignKeyConstraint(["ingetrokken_door"], ["app_user.id"],
                                name=op.f("fk_toestemming_ingetrokken_door_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toestemming")),
    )  # fmt: skip
    op.create_index("ix_toestemming_household_id", "toestemming", ["household_id"])
    op.create_table(
        "toestemming_instelling",
        sa.Column("toestemming_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["toestemming_id"], ["toestemming.id"],
                                name=op.f("fk_toestemming_instelling_toestemming_id_toestemming")),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                name=op.f("fk_toestemming_instelling_institution_id_institution")),
        sa.PrimaryKeyConstraint("toestemming_id", "institution_id",
                                name=op.f("pk_toestemming_instelling")),
    )  # fmt: skip
    op.create_index(
        "ix_toestemming_instelling_institution_id", "toestemming_instelling", ["institution_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_toestemming_instelling_institution_id", "toestemming_instelling")
    op.drop_table("toestemming_instelling")
    op.drop_index("ix_toestemming_household_id", "toestemming")
    op.drop_table("toestemming")
    # ALTER TABLE ... DROP COLUMN on both databases (SQLite >= 3.35): no table rebuild, so
    # rows that other tables reference (agenda items, regie parties) stay where they are
    op.execute("ALTER TABLE regie DROP COLUMN samenhang")
    op.execute("ALTER TABLE help_request DROP COLUMN bewoner_geinformeerd_op")
