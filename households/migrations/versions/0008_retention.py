"""Retention periods per data category (DESIGN 8.4) as reference data.

Creates ``bewaartermijn`` (categorie, jaren, bron) filled with the defaults of
households/retention_defaults.py. Written by hand.

Revision ID: 0008_retention
Revises: 0007_signal_followup
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_retention"
down_revision = "0007_signal_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "bewaartermijn",
        sa.Column("categorie", sa.String(length=20), nullable=False),
        sa.Column("jaren", sa.Integer(), nullable=False),
        sa.Column("bron", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("categorie", name=op.f("pk_bewaartermijn")),
    )
    from households.retention_defaults import RETENTION_DEFAULTS

    op.bulk_insert(
        table,
        [{"categorie": c, "jaren": j, "bron": b} for c, (j, b) in RETENTION_DEFAULTS.items()],
    )


def downgrade() -> None:
    op.drop_table("bewaartermijn")
