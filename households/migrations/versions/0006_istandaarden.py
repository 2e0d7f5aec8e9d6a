"""iWmo/iJw messages: care allocated/started/stopped on a provision, and the product categories.

Adds to ``provision`` the dates from toewijzing (301), start zorg (305) and stop zorg (307)
messages and the reason of a stop; creates the reference table ``productcategorie`` filled
with the defaults of the iStandaarden code lists WMO020 and JZ020 (release 3.2). Written by
hand; the seed rows come from households/istandaarden_codes.py (reference data, sourced).

Revision ID: 0006_istandaarden
Revises: 0005_import_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_istandaarden"
down_revision = "0005_import_keys"
branch_labels = None
depends_on = None

COLUMNS = ("toegewezen_op", "zorg_gestart_op", "zorg_gestopt_op")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("provision", sa.Column(name, sa.Date(), nullable=True))
    op.add_column("provision", sa.Column("reden_beeindiging", sa.String(length=4), nullable=True))
    table = op.create_table(
        "productcategorie",
        sa.Column("standaard", sa.String(length=4), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("omschrijving", sa.String(length=120), nullable=False),
        sa.Column("domein", sa.String(length=8), nullable=False),
        sa.Column("soort", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("standaard", "code", name=op.f("pk_productcategorie")),
    )
    from households.istandaarden_codes import PRODUCT_CATEGORIES

    op.bulk_insert(
        table,
        [
            {"standaard": s, "code": c, "omschrijving": o, "domein": d, "soort": k}
            for s, c, o, d, k in PRODUCT_CATEGORIES
        ],
    )


def downgrade() -> None:
    op.drop_table("productcategorie")
    with op.batch_alter_table("provision") as batch:
        for name in (*COLUMNS, "reden_beeindiging"):
            batch.drop_column(name)
