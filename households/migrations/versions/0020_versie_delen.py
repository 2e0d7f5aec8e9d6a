"""Data-version counters that do not make writers of one table wait for each other.

- ``data_version.deel``: on PostgreSQL each data table gets ``SHARDS`` counter rows and
  a connection raises row ``pg_backend_pid() % SHARDS`` (households/dataversion.py). With
  one row per table every help request held that row from its INSERT to its commit, so
  concurrent help requests queued behind each other (50 staff: p95 3.5 s). The table's
  version stays the sum of its rows; the old single row keeps its count as ``deel`` 0.
  SQLite serialises writers itself and keeps one row per table.
"""

import sqlalchemy as sa
from alembic import op

from households.dataversion import _PG_FUNCTION, SHARDS, shard_function

revision = "0020_versie_delen"
down_revision = "0019_naam_volgorde"
branch_labels = None
depends_on = None


def _rebuild(change) -> None:
    """Alter data_version; SQLite rebuilds the table, and the data tables' triggers that
    name it would stop the rename, so they are set aside and made again as they were."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    triggers = op.get_bind().execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE "
        "'%data_version%'")).all() if sqlite else []  # fmt: skip
    for name, _sql in triggers:
        op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("data_version") as batch:
        change(batch)
    for _name, sql in triggers:
        op.execute(sql)


def _primary_key(columns: list[str]):
    def change(batch) -> None:
        batch.drop_constraint("pk_data_version", type_="primary")
        batch.create_primary_key("pk_data_version", columns)

    return change


def upgrade() -> None:
    deel = sa.Column("deel", sa.SmallInteger(), nullable=False, server_default="0")
    _rebuild(lambda batch: batch.add_column(deel))
    _rebuild(_primary_key(["tabel", "deel"]))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("INSERT INTO data_version (tabel, deel, versie) "
                   f"SELECT tabel, g, 0 FROM data_version, generate_series(1, {SHARDS - 1}) g "
                   "WHERE tabel <> '_instantie'")  # fmt: skip
        op.execute(shard_function())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        # every count goes back to the one row, so no table's version ever goes down
        op.execute("UPDATE data_version d SET versie = (SELECT sum(versie) FROM data_version s "
                   "WHERE s.tabel = d.tabel) WHERE deel = 0")  # fmt: skip
        op.execute("DELETE FROM data_version WHERE deel <> 0")
    _rebuild(_primary_key(["tabel"]))
    _rebuild(lambda batch: batch.drop_column("deel"))
