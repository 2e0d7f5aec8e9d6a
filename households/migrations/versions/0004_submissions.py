"""Idempotent forms: the ``inzending`` table of processed submission tokens.

A form's token is claimed in the same transaction as the write it carries; the
primary key makes a second claim of the same token fail, so a double click or a
retried request writes once. Written by hand.

Revision ID: 0004_submissions
Revises: 0003_login_sessions
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_submissions"
down_revision = "0003_login_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inzending",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("formulier", sa.String(length=60), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("verwerkt_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_inzending_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_inzending")),
    )
    op.create_index("ix_inzending_user_id", "inzending", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_inzending_user_id", table_name="inzending")
    op.drop_table("inzending")
