"""Backup and restore (``kiss backup`` / ``kiss restore``): consistent, encrypted, checked.

A backup is taken while the app runs and is consistent at one moment:

- SQLite: the online backup API copies the database in one step (WAL mode: writers
  go on meanwhile) into a private temporary file;
- PostgreSQL: a ``REPEATABLE READ`` transaction exports its snapshot, the manifest
  is counted in that transaction and ``pg_dump --snapshot`` dumps exactly it.

The file (:mod:`households.backupfile`) holds a manifest (schema version, row
counts per table, the audit chain head, when it was made) and the database,
sealed with the backup key. The pseudonymisation key is never in it; a restore
needs both keys, kept apart.

A restore goes into an empty database only. It checks the manifest, migrates an
older schema forward, compares the row counts and the audit chain with the
manifest, and appends a ``backup_herstellen`` audit row, so the chain stays
intact and :func:`restore_history` tells why the trail jumps back in time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.engine import make_url

from households import audit
from households.access import authorize
from households.actor import SYSTEM
from households.audit.sealer import has_sealing, seal_if_sealable
from households.backupfile import (
    EncryptingWriter,
    backup_key,
    private_dir,
    unpack,
    write_payload,
)
from households.dataversion import renew_instance
from households.db import Engine, alembic_config, make_engine, session_scope, upgrade_schema
from households.errors import Conflict, InvalidInput
from households.models import AuditEvent
from households.pgtools import drop_kiss_schema, dump_snapshot, restore_dump

__all__ = [
    "BackupResult",
    "RestoreResult",
    "create_backup",
    "restore_backup",
    "read_manifest",
    "database_is_empty",
    "restore_history",
    "default_backup_name",
]

PRODUCT = "kiss-hub"
_SKIP = ("alembic_version", "audit_lock")  # present in every migrated, empty database


@dataclass(frozen=True)
class BackupResult:
    """What ``kiss backup`` made: the file, its manifest, size and seconds taken."""

    path: Path
    manifest: dict[str, Any]
    size: int
    seconds: float


@dataclass(frozen=True)
class RestoreResult:
    """What ``kiss restore`` restored: the manifest, whether it migrated, seconds taken."""

    manifest: dict[str, Any]
    migrated_from: str | None
    seconds: float


def default_backup_name(now: dt.datetime | None = None) -> str:
    """``kiss-backup-YYYYMMDD-HHMMSS.kissbak`` (UTC).

    >>> default_backup_name(dt.datetime(2026, 11, 26, 14, 5, 9))
    'kiss-backup-20261126-140509.kissbak'
    """
    now = now or dt.datetime.now(dt.UTC)
    return f"kiss-backup-{now:%Y%m%d-%H%M%S}.kissbak"


# --- the manifest --------------------------------------------------------------------------


def _tables(conn: Connection) -> list[str]:
    return sorted(t for t in inspect(conn).get_table_names() if not t.startswith("sqlite_"))


def _counts(conn: Connection) -> dict[str, int]:
    return {
        t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in _tables(conn)
    }


def _manifest(conn: Connection) -> dict[str, Any]:
    """Counted in ``conn``'s transaction, so it describes the very snapshot being saved."""
    if not {"alembic_version", "audit_lock", "audit_event"} <= set(_tables(conn)):
        raise InvalidInput("Deze database heeft geen schema van de KISS hub (eerst 'kiss init').")
    rows = _counts(conn)
    teller = conn.execute(text("SELECT teller FROM audit_lock WHERE id = 1")).scalar() or 0
    sealed = has_sealing(conn)  # the sealed head: its hash stays what it is after the restore
    last = conn.execute(
        text(
            "SELECT id, hash FROM audit_event WHERE keten_nr IS NOT NULL "
            "ORDER BY keten_nr DESC LIMIT 1"
            if sealed
            else "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"
        )
    ).one_or_none()
    return {
        "product": PRODUCT,
        "formaat": 1,
        "database": conn.dialect.name,
        "schemaversie": conn.execute(text("SELECT version_num FROM alembic_version")).scalar(),
        "gemaakt_op": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        "rijen": rows,
        "audit": {
            "regels": rows.get("audit_event", 0),
            "teller": teller,
            "laatste_id": last.id if last else None,
            "laatste_hash": last.hash if last else None,
        },
    }


# --- kiss backup ---------------------------------------------------------------------------


def create_backup(engine: Engine, out: Path) -> BackupResult:
    """Write a consistent, encrypted backup of ``engine``'s database to ``out``.

    The file appears under its name only when complete (written beside it, synced,
    then renamed); the backup is recorded in the audit trail (after the snapshot,
    so not in the backup itself).
    """
    start = time.perf_counter()
    key = backup_key()
    out = Path(out)
    if out.exists():
        raise InvalidInput(f"{out} bestaat al; kies een andere naam met --out.")
    if not out.parent.is_dir():
        raise InvalidInput(f"De map {out.parent} bestaat niet.")
    partial = out.with_name(f".{out.name}.onvolledig")
    if engine.dialect.name != "sqlite" or Path(_sqlite_file(engine)).exists():
        seal_if_sealable(engine)  # the manifest then names the newest rows' chain hash
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            writer = EncryptingWriter(handle, key)
            if engine.dialect.name == "sqlite":
                manifest = _sqlite_snapshot(engine, writer)
            else:
                manifest = _pg_snapshot(engine, writer)
            writer.close()
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, out)
    except OSError as exc:  # e.g. the backup disk is full: say so, leave no half file behind
        raise InvalidInput(f"Schrijven naar {out} is mislukt: {exc.strerror}.") from None
    finally:
        partial.unlink(missing_ok=True)
    with session_scope(engine) as session:
        authorize(session, SYSTEM, "backup_maken")
        summary = {"bestand": out.name, "gemaakt_op": manifest["gemaakt_op"],
                   "audit_regels": manifest["audit"]["regels"]}  # fmt: skip
        audit.record(session, SYSTEM, audit.Event.BACKUP_MAKEN, "backup", out.name, nieuw=summary)
    return BackupResult(out, manifest, out.stat().st_size, time.perf_counter() - start)


def _sqlite_file(engine: Engine) -> str:
    path = make_url(str(engine.url)).database
    if not path or path == ":memory:":
        raise InvalidInput("Een database in het geheugen heeft geen back-up nodig.")
    return path


def _sqlite_snapshot(engine: Engine, writer: EncryptingWriter) -> dict[str, Any]:
    path = _sqlite_file(engine)
    if not Path(path).is_file():
        raise InvalidInput(f"De database {path} bestaat niet.")
    with private_dir() as tmp:
        copy = tmp / "kiss.db"
        source = sqlite3.connect(path, timeout=30)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)  # one step: a consistent copy; WAL writers are not blocked
        finally:
            target.close()
            source.close()
        snap = make_engine(f"sqlite:///{copy}")
        with snap.connect() as conn:
            manifest = _manifest(conn)
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        snap.dispose()
        manifest["compressie"] = "zlib"  # pg_dump's custom format is compressed already
        write_payload(writer, manifest)
        deflate = zlib.compressobj(level=1)
        with open(copy, "rb") as handle:
            while block := handle.read(1 << 20):
                writer.write(deflate.compress(block))
        writer.write(deflate.flush())
    return manifest


def _pg_snapshot(engine: Engine, writer: EncryptingWriter) -> dict[str, Any]:
    with engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        manifest = _manifest(conn)  # the same snapshot pg_dump dumps
        write_payload(writer, manifest)
        dump_snapshot(engine, snapshot, writer)
        conn.rollback()
    return manifest


# --- kiss restore --------------------------------------------------------------------------


def database_is_empty(engine: Engine) -> str | None:
    """None when ``engine``'s database holds no data; else why not (Dutch).

    Empty: no tables, or only what a fresh ``kiss init`` holds (the migrations'
    bookkeeping, an unused audit counter and the reference rows they seed).
    """
    seeded = _fresh_counts()
    with engine.connect() as conn:
        for table in _tables(conn):
            if table == "alembic_version":
                continue
            if table == "audit_lock":
                n = conn.execute(text("SELECT teller FROM audit_lock")).scalar() or 0
            elif table == "data_version":  # PostgreSQL keeps 16 counter rows per table
                n = conn.execute(text("SELECT count(DISTINCT tabel) FROM data_version")).scalar()
            else:
                n = conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            if n and n != seeded.get(table):
                return f"tabel {table} is niet leeg"
    return None


@lru_cache(maxsize=1)
def _fresh_counts() -> dict[str, int]:
    """Rows per table right after ``kiss init`` (reference rows the migrations seed)."""
    with private_dir() as tmp:
        fresh = make_engine(f"sqlite:///{tmp / 'vers.db'}")
        upgrade_schema(fresh)
        with fresh.connect() as conn:
            counts = {t: n for t, n in _counts(conn).items() if n}
        fresh.dispose()
    return counts


def read_manifest(path: Path) -> dict[str, Any]:
    """Decrypt the whole file (to check it) and return its manifest; restores nothing."""
    with private_dir() as tmp:
        return unpack(Path(path), tmp / "database", PRODUCT)


def _schema_check(engine: Engine, manifest: dict[str, Any]) -> str | None:
    """The backup's revision when older than the code's head (None when equal)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    revision = manifest.get("schemaversie")
    known = {r.revision for r in script.walk_revisions()}
    if revision not in known:
        raise InvalidInput(
            f"De back-up heeft schemaversie {revision}, die deze versie van de KISS hub niet "
            "kent; installeer eerst de versie van de hub waarmee de back-up is gemaakt."
        )
    return None if revision == script.get_current_head() else revision


def restore_backup(engine: Engine, path: Path) -> RestoreResult:
    """Restore the backup at ``path`` into ``engine``'s database, which must be empty.

    Raises :class:`Conflict` (Dutch) for a database with data in it and
    :class:`InvalidInput` for a damaged, cut-off or foreign file, a wrong key, or
    a backup whose counts or audit chain do not match its manifest.
    """
    start = time.perf_counter()
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"Bestand niet gevonden: {path}")
    reason = database_is_empty(engine)
    if reason:
        raise Conflict(
            f"Herstellen kan alleen in een lege database ({reason}); maak een nieuwe, lege "
            "database en wijs KISS_DATABASE_URL daarheen. Er is niets veranderd."
        )
    with private_dir() as tmp:
        data = tmp / "database"
        try:
            manifest = unpack(path, data, PRODUCT)
        except OSError as exc:
            raise InvalidInput(f"Uitpakken in {tmp.parent} is mislukt: {exc.strerror}.") from None
        if manifest.get("database") != engine.dialect.name:
            raise InvalidInput(
                f"Deze back-up is van een {manifest.get('database')}-database; herstel hem "
                f"in een database van dezelfde soort (niet {engine.dialect.name})."
            )
        older = _schema_check(engine, manifest)
        if engine.dialect.name == "sqlite":
            _restore_sqlite(engine, data, manifest, path.name)
        else:
            _restore_pg(engine, data, manifest, path.name)
    renew_instance(engine)  # to the process caches another database (households.dataversion)
    return RestoreResult(manifest, older, time.perf_counter() - start)


def _check_and_record(engine: Engine, manifest: dict[str, Any], name: str) -> None:
    """Compare counts and chain with the manifest (migrating between the two); audit it."""
    with engine.connect() as conn:
        found = _counts(conn)
    differ = sorted(
        f"{t}: {n} in het manifest, {found.get(t)} hersteld"
        for t, n in manifest["rijen"].items()
        if found.get(t) != n
    )
    if differ:
        raise InvalidInput(
            "De herstelde aantallen kloppen niet met het manifest: " + "; ".join(differ)
        )
    upgrade_schema(engine)
    with session_scope(engine) as session:
        report = audit.verify_chain(session, volledig=True)
        head = manifest["audit"]
        tail = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == head["laatste_id"]))
        if not report.ok or report.rows != head["regels"] or tail != head["laatste_hash"]:
            raise InvalidInput(
                "De audittrail in de back-up klopt niet met het manifest "
                f"({report.reason or 'andere laatste regel'}). Is de sleutel van de "
                "BSN-pseudonimisering dezelfde als toen de back-up werd gemaakt?"
            )
        authorize(session, SYSTEM, "backup_herstellen")
        audit.record(
            session, SYSTEM, audit.Event.BACKUP_HERSTELLEN, "backup", name[:64],
            nieuw={"bestand": name, "gemaakt_op": manifest["gemaakt_op"],
                   "schemaversie": manifest["schemaversie"], "audit_regels": head["regels"],
                   "laatste_hash": head["laatste_hash"]},
        )  # fmt: skip


def _restore_sqlite(engine: Engine, data: Path, manifest: dict[str, Any], name: str) -> None:
    """Check and migrate the private copy first; only then copy it over the empty target."""
    snap = make_engine(f"sqlite:///{data}")
    try:
        _check_and_record(snap, manifest, name)
        with snap.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        snap.dispose()
    source = sqlite3.connect(data)
    engine.dispose()
    target = sqlite3.connect(_sqlite_file(engine), timeout=30)
    try:
        source.backup(target)  # one write transaction: the target is whole or untouched
    finally:
        target.close()
        source.close()


def _restore_pg(engine: Engine, data: Path, manifest: dict[str, Any], name: str) -> None:
    drop_kiss_schema(engine)
    restore_dump(engine, data)
    try:
        _check_and_record(engine, manifest, name)
    except BaseException:
        drop_kiss_schema(engine)  # leave the database as empty as it was
        raise


def restore_history(session) -> list[dict[str, Any]]:
    """Every restore in the audit trail, oldest first: when, and which backup (its manifest).

    ``kiss audit verify`` prints these, so a trail that goes back in time after a
    restore is explained, not taken for tampering.
    """
    rows = session.execute(
        select(AuditEvent.id, AuditEvent.tijdstip, AuditEvent.nieuw)
        .where(AuditEvent.actie == audit.Event.BACKUP_HERSTELLEN.value)
        .order_by(AuditEvent.id)
    ).all()
    return [{"id": r.id, "hersteld_op": r.tijdstip, **json.loads(r.nieuw or "{}")} for r in rows]
