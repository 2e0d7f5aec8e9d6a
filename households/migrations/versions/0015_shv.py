"""Schuldhulpverlening as a process (issue 15): ``schuldhulptraject`` (one trajectory per
household from aanmelding to beëindigd, at most one open), ``schuldhulp_stap`` (its steps
with dates) and ``schuldhulp_schuld`` (the debts in its arrangement); the ``norm`` table
gets a target share (``doel_pct``) and terms up to three years (budgetbeheer is re-assessed
after 18 months). The new tables are data tables (households/dataversion.py). Written by hand.

Revision ID: 0015_shv
Revises: 0014_scale
"""

import sqlalchemy as sa
from alembic import op

from households.dataversion import create_triggers, drop_triggers

revision = "0015_shv"
down_revision = "0014_scale"
branch_labels = None
depends_on = None

TABLES = ("schuldhulptraject", "schuldhulp_stap", "schuldhulp_schuld")
STEPS = (
    "'aanmelding','eerste_gesprek','plan_van_aanpak','stabilisatie','budgetbeheer',"
    "'beschermingsbewind','schuldregeling','saneringskrediet','wsnp','nazorg','beeindigd'"
)
CRISIS = "'ontruiming','afsluiting_energie','afsluiting_water','zorgverzekering'"
REASONS = (
    "'schuldenvrij','regeling_afgerond','stabiel_zonder_regeling','geen_vervolg',"
    "'uitgevallen','afgewezen','verhuisd','overleden','doorverwezen'"
)


def upgrade() -> None:
    op.create_table(
        "schuldhulptraject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("bron", sa.String(length=10), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=True),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("aangemeld_op", sa.Date(), nullable=False),
        sa.Column("aangemeld_door", sa.Integer(), nullable=True),
        sa.Column("stap", sa.String(length=24), nullable=False),
        sa.Column("stap_sinds", sa.Date(), nullable=False),
        sa.Column("crisis", sa.Boolean(), nullable=False),
        sa.Column("crisis_soort", sa.String(length=24), nullable=True),
        sa.Column("beeindigd_op", sa.Date(), nullable=True),
        sa.Column("reden_einde", sa.String(length=30), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "bron IN ('zelf', 'signaal', 'gbd', 'partner')", name=op.f("ck_schuldhulptraject_bron")
        ),
        sa.CheckConstraint(f"stap IN ({STEPS})", name=op.f("ck_schuldhulptraject_stap")),
        sa.CheckConstraint(
            f"crisis_soort IS NULL OR crisis_soort IN ({CRISIS})",
            name=op.f("ck_schuldhulptraject_crisis_soort"),
        ),
        sa.CheckConstraint(
            f"reden_einde IS NULL OR reden_einde IN ({REASONS})",
            name=op.f("ck_schuldhulptraject_reden_einde"),
        ),
        sa.CheckConstraint(
            "(stap = 'beeindigd') = (beeindigd_op IS NOT NULL AND reden_einde IS NOT NULL)",
            name=op.f("ck_schuldhulptraject_einde"),
        ),
        sa.CheckConstraint(
            "(crisis AND crisis_soort IS NOT NULL) OR (NOT crisis AND crisis_soort IS NULL)",
            name=op.f("ck_schuldhulptraject_crisis"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"],
            name=op.f("fk_schuldhulptraject_household_id_household"),
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signal.id"], name=op.f("fk_schuldhulptraject_signal_id_signal")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institution.id"],
            name=op.f("fk_schuldhulptraject_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["aangemeld_door"], ["app_user.id"],
            name=op.f("fk_schuldhulptraject_aangemeld_door_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schuldhulptraject")),
    )
    op.create_index(
        op.f("ix_schuldhulptraject_household_id"), "schuldhulptraject", ["household_id"]
    )
    op.create_index("ix_schuldhulptraject_aangemeld_op", "schuldhulptraject", ["aangemeld_op"])
    op.create_index(
        "uq_schuldhulptraject_open", "schuldhulptraject", ["household_id"], unique=True,
        sqlite_where=sa.text("beeindigd_op IS NULL"),
        postgresql_where=sa.text("beeindigd_op IS NULL"),
    )
    op.create_table(
        "schuldhulp_stap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("traject_id", sa.Integer(), nullable=False),
        sa.Column("stap", sa.String(length=24), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("door_user_id", sa.Integer(), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"stap IN ({STEPS})", name=op.f("ck_schuldhulp_stap_stap")),
        sa.ForeignKeyConstraint(
            ["traject_id"], ["schuldhulptraject.id"],
            name=op.f("fk_schuldhulp_stap_traject_id_schuldhulptraject"),
        ),
        sa.ForeignKeyConstraint(
            ["door_user_id"], ["app_user.id"], name=op.f("fk_schuldhulp_stap_door_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schuldhulp_stap")),
    )
    op.create_index(op.f("ix_schuldhulp_stap_traject_id"), "schuldhulp_stap", ["traject_id"])
    op.create_table(
        "schuldhulp_schuld",
        sa.Column("traject_id", sa.Integer(), nullable=False),
        sa.Column("debt_id", sa.Integer(), nullable=False),
        sa.Column("opgenomen_op", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["traject_id"], ["schuldhulptraject.id"],
            name=op.f("fk_schuldhulp_schuld_traject_id_schuldhulptraject"),
        ),
        sa.ForeignKeyConstraint(
            ["debt_id"], ["debt.id"], name=op.f("fk_schuldhulp_schuld_debt_id_debt")
        ),
        sa.PrimaryKeyConstraint("traject_id", "debt_id", name=op.f("pk_schuldhulp_schuld")),
    )
    op.create_index(op.f("ix_schuldhulp_schuld_debt_id"), "schuldhulp_schuld", ["debt_id"])

    dialect = op.get_bind().dialect.name
    drop_triggers(op.execute, dialect, ("norm",))  # SQLite rebuilds the table
    with op.batch_alter_table("norm", recreate="always" if dialect == "sqlite" else "auto") as b:
        b.add_column(sa.Column("doel_pct", sa.Integer(), nullable=True))
        b.drop_constraint(op.f("ck_norm_dagen"), type_="check")
        b.create_check_constraint(op.f("ck_norm_dagen"), "dagen >= 1 AND dagen <= 1095")
        b.create_check_constraint(
            op.f("ck_norm_doel_pct"), "doel_pct IS NULL OR (doel_pct >= 1 AND doel_pct <= 100)"
        )
    create_triggers(op.execute, dialect, ("norm", *TABLES))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    drop_triggers(op.execute, dialect, ("norm", *TABLES))
    with op.batch_alter_table("norm", recreate="always" if dialect == "sqlite" else "auto") as b:
        b.drop_constraint(op.f("ck_norm_doel_pct"), type_="check")
        b.drop_constraint(op.f("ck_norm_dagen"), type_="check")
        b.create_check_constraint(op.f("ck_norm_dagen"), "dagen >= 1 AND dagen <= 365")
        b.drop_column("doel_pct")
    create_triggers(op.execute, dialect, ("norm",))
    op.drop_table("schuldhulp_schuld")
    op.drop_table("schuldhulp_stap")
    op.drop_index("uq_schuldhulptraject_open", table_name="schuldhulptraject")
    op.drop_table("schuldhulptraject")
