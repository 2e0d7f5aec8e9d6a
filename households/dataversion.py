"""The data version: a number that changes on every write that can change a steering figure.

Write counters per table (``data_version``: ``tabel``, ``deel``, ``versie``) are raised by
a database trigger on every INSERT, UPDATE and DELETE of that table — by the services, the
importer (``COPY``/``executemany`` on the raw driver connection), ``kiss demo`` and a
hand-typed SQL statement alike, since the trigger sits below all of them. On PostgreSQL the
trigger is per statement; SQLite only has row triggers. The counter row is updated in the
writer's own transaction, so a version that a reader sees belongs to committed data
only: a reader that reads the version before the figures never caches figures older
than the version they are filed under (PostgreSQL READ COMMITTED sees at least what an
earlier statement saw).

A table's version is the sum of its counters. On PostgreSQL each table has :data:`SHARDS`
counter rows and a connection raises row ``pg_backend_pid() % SHARDS``: one row per table
made every writer of that table wait for the previous writer's commit (with 50 staff a
session waited on a lock 39 % of the time, help requests queued behind each other). A
connection always uses the same row, so a transaction locks its counters in the order it
writes its tables, as with one row. SQLite serialises writers itself and keeps one row
(``deel`` 0) per table.

:data:`DATA_TABLES` is the one list of the tables that carry figures; every other table
is named in :data:`NOT_DATA_TABLES` (the audit trail, logins, form tokens, accounts:
reading a figure writes audit rows, and must not change the version it is filed under).
``tests/households/test_dataversion.py`` checks that every table of the schema is in
exactly one of the two and that every data table has its trigger: a new table is
classified here and its migration calls :func:`create_triggers`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from sqlalchemy import BigInteger, SmallInteger, String, event, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from households.db import Base

__all__ = ["DATA_TABLES", "INSTANCE_ROW", "NOT_DATA_TABLES", "SHARDS", "DataVersion",
           "create_triggers",
           "data_version", "drop_triggers", "renew_instance", "restore_triggers", "shard_function",
           "trigger_name", "wrote_data"]  # fmt: skip

#: The ``data_version`` row holding a random number per database (migration 0011; a new
#: one after a restore): the process caches tell two databases at one URL apart by it.
INSTANCE_ROW = "_instantie"
#: Counter rows per data table on PostgreSQL (migration 0020); SQLite keeps one.
SHARDS = 16

#: Tables whose rows feed some steering figure (overview, network, evaluation, reports).
DATA_TABLES: tuple[str, ...] = (
    "action", "agenda_item", "agenda_partij", "bewoning", "case_table", "case_table_member",
    "debt", "decision", "escalatie", "experiment", "experiment_enrolment", "experiment_lesson",
    "experiment_member", "feedback", "help_request", "household", "huishoudplan",
    "institution", "involvement", "knelpunt_regel", "meeting", "norm", "person", "plan_doel",
    "plan_voortgang", "productcategorie", "provision", "regie", "regie_party", "review",
    "rule_set", "schuldhulp_schuld", "schuldhulp_stap", "schuldhulptraject", "schuldstand",
    "signal", "stability_log", "stressor_term", "systeemknelpunt",
    "tws_budget", "tws_spend", "verwijzing", "verwijzing_bericht",
)  # fmt: skip

#: Tables that never change a figure (written on reads, logins and form submissions).
NOT_DATA_TABLES: tuple[str, ...] = (
    "alembic_version", "app_user", "audit_anker", "audit_event", "audit_lock", "bewaartermijn",
    "data_version", "household_opening", "instelling", "inzending", "login_sessie", "stuurdoel",
    "stuurdoel_tussendoel", "toestemming", "toestemming_instelling",
)  # fmt: skip


class DataVersion(Base):
    """Write counters per data table (one row, or :data:`SHARDS` on PostgreSQL), raised by
    that table's trigger; the table's version is their sum."""

    __tablename__ = "data_version"

    tabel: Mapped[str] = mapped_column(String(64), primary_key=True)
    deel: Mapped[int] = mapped_column(SmallInteger, primary_key=True, default=0,
                                      server_default="0")  # fmt: skip
    versie: Mapped[int] = mapped_column(BigInteger, default=0)


def trigger_name(table: str) -> str:
    """The name of a table's data-version trigger (both databases)."""
    return f"trg_data_version_{table}"


# The function as migrations 0011-0019 made it (one counter row per table); those
# migrations run before the ``deel`` column exists and keep using it.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION kiss_data_version_bump() RETURNS trigger AS $$
BEGIN
    UPDATE data_version SET versie = versie + 1 WHERE tabel = TG_TABLE_NAME;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def shard_function(shards: int = SHARDS) -> str:
    """The PostgreSQL trigger function from migration 0020 on: the connection's own row."""
    return f"""
CREATE OR REPLACE FUNCTION kiss_data_version_bump() RETURNS trigger AS $$
BEGIN
    UPDATE data_version SET versie = versie + 1
    WHERE tabel = TG_TABLE_NAME AND deel = pg_backend_pid() % {int(shards)};
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _create_sql(dialect: str, table: str) -> list[str]:
    name = trigger_name(table)
    if dialect == "postgresql":
        return [f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION kiss_data_version_bump()"]  # fmt: skip
    bump = f"UPDATE data_version SET versie = versie + 1 WHERE tabel = '{table}';"
    return [f"CREATE TRIGGER {name}_{op.lower()} AFTER {op} ON {table} BEGIN {bump} END"
            for op in ("INSERT", "UPDATE", "DELETE")]  # fmt: skip


def create_triggers(execute, dialect: str, tables: Iterable[str], sharded: bool = False) -> None:
    """Create the counter rows and triggers of ``tables`` (for migrations: ``op.execute``).

    A migration after 0020 passes ``sharded=True`` (:data:`SHARDS` rows per table on
    PostgreSQL); the migrations before it ran with one row and the old function.
    """
    if dialect == "postgresql":
        execute(shard_function() if sharded else _PG_FUNCTION)
    for table in tables:
        if not sharded:  # before 0020 there is no ``deel`` column
            execute(f"INSERT INTO data_version (tabel, versie) VALUES ('{table}', 0)")
        for deel in range(SHARDS if dialect == "postgresql" else 1) if sharded else ():
            execute(f"INSERT INTO data_version (tabel, deel, versie) VALUES ('{table}', {deel}, 0)")
        for sql in _create_sql(dialect, table):
            execute(sql)


def restore_triggers(execute, dialect: str, tables: Iterable[str]) -> None:
    """Create the triggers of ``tables`` again, keeping their counters (for migrations).

    A SQLite table rebuild (Alembic batch mode) drops the table's triggers with it; this
    puts them back without resetting the counter, so the data version keeps growing.
    """
    for table in tables:
        for sql in _create_sql(dialect, table):
            execute(sql)


def drop_triggers(execute, dialect: str, tables: Iterable[str]) -> None:
    """Drop the triggers and counter rows of ``tables`` (a migration's downgrade)."""
    for table in tables:
        if dialect == "postgresql":
            execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}")
        else:
            for op in ("insert", "update", "delete"):
                execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)}_{op}")
        execute(f"DELETE FROM data_version WHERE tabel = '{table}'")


def renew_instance(engine) -> None:
    """A fresh database token (:data:`INSTANCE_ROW`) after a restore.

    The restored counters are those of the backup's day, and later writes reach them
    again with other data; the process caches of figures and facts
    (households/figurecache.py, coordination/factcache.py) key on token and counters, so a
    process that knew the database before must not take the restored one for it.
    """
    with engine.begin() as conn:
        conn.execute(update(DataVersion).where(DataVersion.tabel == INSTANCE_ROW)
                     .values(versie=secrets.randbits(62)))  # fmt: skip


def data_version(session: Session, tables: Iterable[str] = DATA_TABLES) -> int:
    """The version of the data in ``tables``: the sum of their write counters.

    Every counter only grows, so the sum changes whenever any of the tables was written
    and committed. Read it BEFORE the figures it labels (see the module docstring).
    """
    wanted = sorted(set(tables))
    unknown = set(wanted) - set(DATA_TABLES)
    assert not unknown, f"not a data table: {sorted(unknown)}"
    stmt = select(func.coalesce(func.sum(DataVersion.versie), 0)).where(
        DataVersion.tabel.in_(wanted)
    )
    return int(session.scalar(stmt) or 0)


# A transaction that wrote data and has not committed yet sees counters that a rollback
# would take back (and a later write would reach again with other data): figures it
# computes must not be filed under them. The statements on this connection tell.
_WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)
_FLAG = "kiss_data_written"


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn: Connection, _cursor, statement: str, _params, _context, _many) -> None:
    if not conn.info.get(_FLAG):
        found = _WRITE.match(statement)
        if found and found.group(1).lower() in _DATA_SET:
            conn.info[_FLAG] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _forget_writes(conn: Connection) -> None:
    conn.info.pop(_FLAG, None)


_DATA_SET = frozenset(DATA_TABLES)


def wrote_data(session: Session) -> bool:
    """Whether the session's open transaction wrote a data table (through SQLAlchemy)."""
    return bool(session.connection().info.get(_FLAG))
