"""The loop (DESIGN 4.4): household plan, goals and their history, referrals to partners and
their responses, institutions party to an agenda item, escalations to KISS, the reference
list of blocking rules and systeemknelpunten; the ``partner`` role bound to an institution,
table members "met mandaat", and a decision that replaces one after a tegenspraak.

Revision ID: 0010_loop
Revises: 0009_residence
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_loop"
down_revision = "0009_residence"
branch_labels = None
depends_on = None


def RECREATE() -> str:  # noqa: N802 - reads like the constant it stands for
    """SQLite rebuilds app_user for the changed CHECK; PostgreSQL alters it in place."""
    return "always" if op.get_bind().dialect.name == "sqlite" else "auto"


ROLES_OLD = "rol IN ('voordeur','gbd','ervaringswerker','kiss','beheer')"
ROLES_NEW = "rol IN ('voordeur','gbd','ervaringswerker','partner','kiss','beheer')"


def upgrade() -> None:
    op.create_table(
        "knelpunt_regel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("naam", sa.String(length=160), nullable=False),
        sa.Column("omschrijving", sa.Text(), nullable=True),
        sa.Column("domein", sa.String(length=40), nullable=True),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knelpunt_regel")),
        sa.UniqueConstraint("code", name=op.f("uq_knelpunt_regel_code")),
    )
    op.create_table(
        "huishoudplan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("aangemaakt_door", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["aangemaakt_door"],
            ["app_user.id"],
            name=op.f("fk_huishoudplan_aangemaakt_door_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_huishoudplan_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_huishoudplan")),
        sa.UniqueConstraint("household_id", name=op.f("uq_huishoudplan_household_id")),
    )
    op.create_table(
        "agenda_partij",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_agenda_partij_agenda_item_id_agenda_item"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_agenda_partij_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_partij")),
        sa.UniqueConstraint(
            "agenda_item_id", "institution_id", name="uq_agenda_partij_item_instelling"
        ),
    )
    with op.batch_alter_table("agenda_partij", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_partij_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_agenda_partij_institution_id"), ["institution_id"], unique=False
        )

    op.create_table(
        "escalatie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_table_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("vraag", sa.Text(), nullable=False),
        sa.Column("gesteld_door", sa.Integer(), nullable=True),
        sa.Column("gesteld_op", sa.Date(), nullable=False),
        sa.Column("antwoord", sa.Text(), nullable=True),
        sa.Column("beantwoord_door", sa.Integer(), nullable=True),
        sa.Column("beantwoord_op", sa.Date(), nullable=True),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(antwoord IS NULL) = (beantwoord_op IS NULL)", name=op.f("ck_escalatie_antwoord")
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_item.id"],
            name=op.f("fk_escalatie_agenda_item_id_agenda_item"),
        ),
        sa.ForeignKeyConstraint(
            ["beantwoord_door"], ["app_user.id"], name=op.f("fk_escalatie_beantwoord_door_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["case_table_id"], ["case_table.id"], name=op.f("fk_escalatie_case_table_id_case_table")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_escalatie_decision_id_decision")
        ),
        sa.ForeignKeyConstraint(
            ["gesteld_door"], ["app_user.id"], name=op.f("fk_escalatie_gesteld_door_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalatie")),
    )
    with op.batch_alter_table("escalatie", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_escalatie_agenda_item_id"), ["agenda_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_escalatie_case_table_id"), ["case_table_id"], unique=False
        )

    op.create_table(
        "plan_doel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("levensgebied", sa.String(length=40), nullable=False),
        sa.Column("hoek", sa.String(length=20), nullable=False),
        sa.Column("doel", sa.Text(), nullable=False),
        sa.Column("eigenaar_user_id", sa.Integer(), nullable=True),
        sa.Column("eigenaar_afdeling", sa.String(length=120), nullable=True),
        sa.Column("eigenaar_instelling_id", sa.Integer(), nullable=True),
        sa.Column("evaluatiedatum", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_door", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "hoek IN ('bestaanszekerheid', 'zorgcontinuiteit', 'meedoen', 'veiligheid')",  # noqa: E501
            name=op.f("ck_plan_doel_hoek"),
        ),
        sa.CheckConstraint(
            "levensgebied IN ('financien', 'werk_opleiding', 'tijdsbesteding', 'huisvesting', 'huiselijke_relaties', 'geestelijke_gezondheid', 'lichamelijke_gezondheid', 'verslaving', 'adl', 'sociaal_netwerk', 'maatschappelijke_participatie', 'justitie')",  # noqa: E501
            name=op.f("ck_plan_doel_levensgebied"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'loopt', 'bereikt', 'niet_bereikt', 'vervallen')",
            name=op.f("ck_plan_doel_status"),
        ),
        sa.CheckConstraint(
            "eigenaar_user_id IS NOT NULL OR eigenaar_afdeling IS NOT NULL "
            "OR eigenaar_instelling_id IS NOT NULL",
            name=op.f("ck_plan_doel_eigenaar"),
        ),
        sa.ForeignKeyConstraint(
            ["aangemaakt_door"], ["app_user.id"], name=op.f("fk_plan_doel_aangemaakt_door_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_plan_doel_decision_id_decision")
        ),
        sa.ForeignKeyConstraint(
            ["eigenaar_instelling_id"],
            ["institution.id"],
            name=op.f("fk_plan_doel_eigenaar_instelling_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["eigenaar_user_id"],
            ["app_user.id"],
            name=op.f("fk_plan_doel_eigenaar_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["huishoudplan.id"], name=op.f("fk_plan_doel_plan_id_huishoudplan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_doel")),
    )
    with op.batch_alter_table("plan_doel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_doel_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index("ix_plan_doel_evaluatiedatum", ["evaluatiedatum"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_doel_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_voortgang",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doel_id", sa.Integer(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("status_oud", sa.String(length=20), nullable=True),
        sa.Column("status_nieuw", sa.String(length=20), nullable=False),
        sa.Column("notitie", sa.Text(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("door_user_id", sa.Integer(), nullable=True),
        sa.Column("geregistreerd_op", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status_nieuw IN ('open', 'loopt', 'bereikt', 'niet_bereikt', 'vervallen')",
            name=op.f("ck_plan_voortgang_status"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_plan_voortgang_decision_id_decision")
        ),
        sa.ForeignKeyConstraint(
            ["doel_id"], ["plan_doel.id"], name=op.f("fk_plan_voortgang_doel_id_plan_doel")
        ),
        sa.ForeignKeyConstraint(
            ["door_user_id"], ["app_user.id"], name=op.f("fk_plan_voortgang_door_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_voortgang")),
    )
    with op.batch_alter_table("plan_voortgang", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_voortgang_doel_id"), ["doel_id"], unique=False)

    op.create_table(
        "systeemknelpunt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("regel_id", sa.Integer(), nullable=True),
        sa.Column("omschrijving", sa.Text(), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("spend_id", sa.Integer(), nullable=True),
        sa.Column("experiment_id", sa.Integer(), nullable=True),
        sa.Column("door_user_id", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_systeemknelpunt_decision_id_decision")
        ),
        sa.ForeignKeyConstraint(
            ["door_user_id"], ["app_user.id"], name=op.f("fk_systeemknelpunt_door_user_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
            name=op.f("fk_systeemknelpunt_experiment_id_experiment"),
        ),
        sa.ForeignKeyConstraint(
            ["regel_id"],
            ["knelpunt_regel.id"],
            name=op.f("fk_systeemknelpunt_regel_id_knelpunt_regel"),
        ),
        sa.ForeignKeyConstraint(
            ["spend_id"], ["tws_spend.id"], name=op.f("fk_systeemknelpunt_spend_id_tws_spend")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_systeemknelpunt")),
    )
    with op.batch_alter_table("systeemknelpunt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_systeemknelpunt_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_systeemknelpunt_experiment_id"), ["experiment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_systeemknelpunt_regel_id"), ["regel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_systeemknelpunt_spend_id"), ["spend_id"], unique=False)

    op.create_table(
        "verwijzing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("doel_id", sa.Integer(), nullable=True),
        sa.Column("taak", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=160), nullable=False),
        sa.Column("verstuurd_op", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("geaccepteerd_op", sa.Date(), nullable=True),
        sa.Column("afgewezen_op", sa.Date(), nullable=True),
        sa.Column("afwijzing_reden", sa.Text(), nullable=True),
        sa.Column("afgerond_op", sa.Date(), nullable=True),
        sa.Column("uitkomst", sa.String(length=20), nullable=True),
        sa.Column("uitkomst_toelichting", sa.Text(), nullable=True),
        sa.Column("aangemaakt_door", sa.Integer(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("versie", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status <> 'afgerond' OR uitkomst IS NOT NULL", name=op.f("ck_verwijzing_afronding")
        ),
        sa.CheckConstraint(
            "status <> 'afgewezen' OR afwijzing_reden IS NOT NULL", name=op.f("ck_verwijzing_reden")
        ),
        sa.CheckConstraint(
            "status IN ('verstuurd', 'geaccepteerd', 'afgewezen', 'afgerond', 'ingetrokken')",
            name=op.f("ck_verwijzing_status"),
        ),
        sa.CheckConstraint(
            "uitkomst IS NULL OR uitkomst IN ('bereikt', 'deels_bereikt', 'niet_bereikt')",
            name=op.f("ck_verwijzing_uitkomst"),
        ),
        sa.ForeignKeyConstraint(
            ["aangemaakt_door"],
            ["app_user.id"],
            name=op.f("fk_verwijzing_aangemaakt_door_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_verwijzing_action_id_action")
        ),
        sa.ForeignKeyConstraint(
            ["doel_id"], ["plan_doel.id"], name=op.f("fk_verwijzing_doel_id_plan_doel")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_verwijzing_household_id_household")
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_verwijzing_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verwijzing")),
        sa.UniqueConstraint("action_id", name=op.f("uq_verwijzing_action_id")),
    )
    with op.batch_alter_table("verwijzing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verwijzing_doel_id"), ["doel_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_verwijzing_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_verwijzing_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(
            "ix_verwijzing_institution_status", ["institution_id", "status"], unique=False
        )

    op.create_table(
        "verwijzing_bericht",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("verwijzing_id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("datum", sa.Date(), nullable=False),
        sa.Column("tekst", sa.Text(), nullable=True),
        sa.Column("door_user_id", sa.Integer(), nullable=True),
        sa.Column("geregistreerd_op", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "soort IN ('acceptatie', 'afwijzing', 'voortgang', 'afronding')",
            name=op.f("ck_verwijzing_bericht_soort"),
        ),
        sa.ForeignKeyConstraint(
            ["door_user_id"],
            ["app_user.id"],
            name=op.f("fk_verwijzing_bericht_door_user_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["verwijzing_id"],
            ["verwijzing.id"],
            name=op.f("fk_verwijzing_bericht_verwijzing_id_verwijzing"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verwijzing_bericht")),
    )
    with op.batch_alter_table("verwijzing_bericht", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verwijzing_bericht_verwijzing_id"), ["verwijzing_id"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        # app_user is rebuilt (a changed CHECK): other tables point at it, so their foreign
        # keys are checked at commit, when the rebuilt table is in place again.
        op.execute("PRAGMA defer_foreign_keys=ON")
    with op.batch_alter_table("app_user", schema=None, recreate=RECREATE()) as batch_op:
        batch_op.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_app_user_institution_id_institution"),
            "institution",
            ["institution_id"],
            ["id"],
        )
        batch_op.drop_constraint(op.f("ck_app_user_rol"), type_="check")
        batch_op.create_check_constraint(op.f("ck_app_user_rol"), ROLES_NEW)
        batch_op.create_check_constraint(
            op.f("ck_app_user_partner_instelling"), "rol <> 'partner' OR institution_id IS NOT NULL"
        )

    with op.batch_alter_table("case_table_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mandaat", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vervangt_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_decision_vervangt_id"), ["vervangt_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_decision_vervangt_id_decision"), "decision", ["vervangt_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_decision_vervangt_id_decision"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_decision_vervangt_id"), type_="unique")
        batch_op.drop_column("vervangt_id")

    with op.batch_alter_table("case_table_member", schema=None) as batch_op:
        batch_op.drop_column("mandaat")

    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys=ON")
    op.execute("DELETE FROM app_user WHERE rol = 'partner'")  # fails if a partner left traces
    with op.batch_alter_table("app_user", schema=None, recreate=RECREATE()) as batch_op:
        batch_op.drop_constraint(op.f("ck_app_user_partner_instelling"), type_="check")
        batch_op.drop_constraint(op.f("ck_app_user_rol"), type_="check")
        batch_op.create_check_constraint(op.f("ck_app_user_rol"), ROLES_OLD)
        batch_op.drop_constraint(
            batch_op.f("fk_app_user_institution_id_institution"), type_="foreignkey"
        )
        batch_op.drop_column("institution_id")

    with op.batch_alter_table("verwijzing_bericht", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verwijzing_bericht_verwijzing_id"))

    op.drop_table("verwijzing_bericht")
    with op.batch_alter_table("verwijzing", schema=None) as batch_op:
        batch_op.drop_index("ix_verwijzing_institution_status")
        batch_op.drop_index(batch_op.f("ix_verwijzing_institution_id"))
        batch_op.drop_index(batch_op.f("ix_verwijzing_household_id"))
        batch_op.drop_index(batch_op.f("ix_verwijzing_doel_id"))

    op.drop_table("verwijzing")
    with op.batch_alter_table("systeemknelpunt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_systeemknelpunt_spend_id"))
        batch_op.drop_index(batch_op.f("ix_systeemknelpunt_regel_id"))
        batch_op.drop_index(batch_op.f("ix_systeemknelpunt_experiment_id"))
        batch_op.drop_index(batch_op.f("ix_systeemknelpunt_decision_id"))

    op.drop_table("systeemknelpunt")
    with op.batch_alter_table("plan_voortgang", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_voortgang_doel_id"))

    op.drop_table("plan_voortgang")
    with op.batch_alter_table("plan_doel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_doel_plan_id"))
        batch_op.drop_index("ix_plan_doel_evaluatiedatum")
        batch_op.drop_index(batch_op.f("ix_plan_doel_decision_id"))

    op.drop_table("plan_doel")
    with op.batch_alter_table("escalatie", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalatie_case_table_id"))
        batch_op.drop_index(batch_op.f("ix_escalatie_agenda_item_id"))

    op.drop_table("escalatie")
    with op.batch_alter_table("agenda_partij", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_partij_institution_id"))
        batch_op.drop_index(batch_op.f("ix_agenda_partij_agenda_item_id"))

    op.drop_table("agenda_partij")
    op.drop_table("huishoudplan")
    op.drop_table("knelpunt_regel")
