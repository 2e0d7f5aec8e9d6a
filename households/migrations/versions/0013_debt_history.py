"""Debt history and the gemeente's norms: tables ``schuldstand`` and ``norm`` (DESIGN 5.4).

``schuldstand``: the outstanding amount of a debt on a peildatum (import kind
``schuldstanden``). ``norm``: terms in days that ``beheer`` sets, seeded with the Wgs term
for an offer of help after an arrears signal (14 days). Both are data tables: a write raises
the data version (households/dataversion.py), so cached figures are recomputed. Written by
hand.

Revision ID: 0013_debt_history
Revises: 0012_audit_seal
"""

import sqlalchemy as sa
from alembic import op

from households.dataversion import create_triggers, drop_triggers

revision = "0013_debt_history"
down_revision = "0012_audit_seal"
branch_labels = None
depends_on = None

TABLES = ("schuldstand", "norm")


def upgrade() -> None:
    op.create_table(
        "schuldstand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sleutel", sa.String(length=80), nullable=False),
        sa.Column("debt_id", sa.Integer(), nullable=False),
        sa.Column("peildatum", sa.Date(), nullable=False),
        sa.Column("openstaand_cent", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("openstaand_cent >= 0", name=op.f("ck_schuldstand_openstaand")),
        sa.ForeignKeyConstraint(["debt_id"], ["debt.id"], name=op.f("fk_schuldstand_debt_id_debt")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schuldstand")),
        sa.UniqueConstraint("sleutel", name=op.f("uq_schuldstand_sleutel")),
    )
    op.create_index(
        "ix_schuldstand_debt_peildatum", "schuldstand", ["debt_id", "peildatum"], unique=False
    )
    norm = op.create_table(
        "norm",
        sa.Column("naam", sa.String(length=40), nullable=False),
        sa.Column("dagen", sa.Integer(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.CheckConstraint("dagen >= 1 AND dagen <= 365", name=op.f("ck_norm_dagen")),
        sa.PrimaryKeyConstraint("naam", name=op.f("pk_norm")),
    )
    op.bulk_insert(
        norm,
        [
            {
                "naam": "wgs_hulpaanbod",
                "dagen": 14,
                "toelichting": "Dagen tussen een betalingsachterstand (Wgs-signaal) en het "
                "hulpaanbod van de gemeente.",
            }
        ],
    )

    create_triggers(op.execute, op.get_bind().dialect.name, TABLES)


def downgrade() -> None:
    drop_triggers(op.execute, op.get_bind().dialect.name, TABLES)
    op.drop_table("norm")
    op.drop_index("ix_schuldstand_debt_peildatum", table_name="schuldstand")
    op.drop_table("schuldstand")
