"""KISS steering goals (issue 14): ``stuurdoel`` and its tussendoelen ``stuurdoel_tussendoel``.

A goal binds a target (absolute, or relative to the value at its start), a start and
a deadline to one indicator computed from the data (coordination/indicators.py). No
steering figure depends on these rows, so they carry no data-version trigger.

Written by hand. Revision ID: 0017_steering. Revises: 0016_centraal
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_steering"
down_revision = "0016_centraal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stuurdoel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("titel", sa.String(length=160), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("doelsoort", sa.String(length=10), nullable=False),
        sa.Column("streefwaarde", sa.Float(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("aangemaakt_door", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "doelsoort IN ('absoluut','relatief')", name=op.f("ck_stuurdoel_doelsoort")
        ),
        sa.CheckConstraint("deadline > start", name=op.f("ck_stuurdoel_periode")),
        sa.ForeignKeyConstraint(
            ["aangemaakt_door"], ["app_user.id"], name=op.f("fk_stuurdoel_aangemaakt_door_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stuurdoel")),
        sa.UniqueConstraint("titel", name=op.f("uq_stuurdoel_titel")),
    )
    op.create_table(
        "stuurdoel_tussendoel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("streefwaarde", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["stuurdoel.id"], name=op.f("fk_stuurdoel_tussendoel_goal_id_stuurdoel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stuurdoel_tussendoel")),
        sa.UniqueConstraint("goal_id", "datum", name="uq_stuurdoel_tussendoel_datum"),
    )
    op.create_index(op.f("ix_stuurdoel_tussendoel_goal_id"), "stuurdoel_tussendoel", ["goal_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_stuurdoel_tussendoel_goal_id"), table_name="stuurdoel_tussendoel")
    op.drop_table("stuurdoel_tussendoel")
    op.drop_table("stuurdoel")
