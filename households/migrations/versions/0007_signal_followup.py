"""Meldingen registered in the hub, and the Wgs follow-up of an arrears signal.

Adds to ``signal`` who registered it (``created_by``) and the dates of the Wgs follow-up
steps: contact gezocht, contact gemaakt, hulp aangeboden, aanvaard, geweigerd. Written by
hand; no table is rebuilt (so ``created_by`` holds an ``app_user.id`` without a foreign-key
constraint: SQLite cannot add one to an existing table without copying it).

Revision ID: 0007_signal_followup
Revises: 0006_istandaarden
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_signal_followup"
down_revision = "0006_istandaarden"
branch_labels = None
depends_on = None

STEPS = ("contact_gezocht_op", "contact_gemaakt_op", "hulp_aangeboden_op", "aanvaard_op",
         "geweigerd_op")  # fmt: skip


def upgrade() -> None:
    op.add_column("signal", sa.Column("created_by", sa.Integer(), nullable=True))
    for name in STEPS:
        op.add_column("signal", sa.Column(name, sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signal") as batch:
        for name in (*STEPS, "created_by"):
            batch.drop_column(name)
