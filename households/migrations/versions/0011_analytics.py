"""Steering figures at regional size (issue 17): the data version and a covering name index.

- ``data_version``: one write counter per data table, raised by a trigger on every
  INSERT, UPDATE and DELETE (households/dataversion.py); cached steering aggregates are
  filed under it, so any write that can change a figure invalidates them.
- ``ix_person_naam_zoek_jaar`` (naam_zoek, geboortejaar, household_id) replaces
  ``ix_person_naam_zoek``: the front-door name search counts its matches from the index
  alone (no person or household rows read), also when narrowed by birth year.

Written by hand. Revision ID: 0011_analytics. Revises: 0010_loop
"""

import secrets

import sqlalchemy as sa
from alembic import op

from households.dataversion import DATA_TABLES, create_triggers, drop_triggers

revision = "0011_analytics"
down_revision = "0010_loop"
branch_labels = None
depends_on = None

# The data tables as they were at this revision (DATA_TABLES may grow in later migrations).
TABLES = (
    "action", "agenda_item", "agenda_partij", "bewoning", "case_table", "case_table_member",
    "debt", "decision", "escalatie", "experiment", "experiment_enrolment", "experiment_lesson",
    "experiment_member", "feedback", "help_request", "household", "huishoudplan",
    "institution", "involvement", "knelpunt_regel", "meeting", "person", "plan_doel",
    "plan_voortgang", "productcategorie", "provision", "regie", "regie_party", "review",
    "rule_set", "signal", "stability_log", "stressor_term", "systeemknelpunt", "tws_budget",
    "tws_spend", "verwijzing", "verwijzing_bericht",
)  # fmt: skip
assert set(TABLES) <= set(DATA_TABLES)


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("tabel", sa.String(length=64), nullable=False),
        sa.Column("versie", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tabel", name=op.f("pk_data_version")),
    )
    create_triggers(op.execute, op.get_bind().dialect.name, TABLES)
    # households/figurecache.py INSTANCE_ROW: which database this is, whatever its URL
    op.execute(
        f"INSERT INTO data_version (tabel, versie) VALUES ('_instantie', {secrets.randbits(62)})"
    )
    op.create_index(
        "ix_person_naam_zoek_jaar", "person", ["naam_zoek", "geboortejaar", "household_id"]
    )
    op.drop_index("ix_person_naam_zoek", table_name="person")


def downgrade() -> None:
    op.create_index("ix_person_naam_zoek", "person", ["naam_zoek"], unique=False)
    op.drop_index("ix_person_naam_zoek_jaar", table_name="person")
    drop_triggers(op.execute, op.get_bind().dialect.name, TABLES)
    op.execute("DROP TABLE data_version")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS kiss_data_version_bump()")
