"""Import of interchange format v1 files (DESIGN.md §5): validate everything, then upsert.

A file is read and checked as a whole first; any bad cell rejects the whole file
(:class:`ImportRejected`, nothing written, one audit row ``geweigerd``). A valid file is
upserted on its key (``huishouden_id``, ``instelling_id``, ``bron_id``, or the BSN hash for
persons): new keys are inserted, existing ones updated only when a value differs, so
importing the same file twice changes nothing. Validation runs column by column with
each distinct cell text parsed once; lookups are loaded in one query each; writes are
bulk (DBAPI ``executemany`` on SQLite, ``COPY`` on PostgreSQL). What each file kind
holds (fields, parsers, references) is in :mod:`households.importkinds`.

An optional column that is absent from the file is left untouched on existing rows.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Date, bindparam, select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize
from households.actor import Actor
from households.cellparsers import parse_amount, parse_date
from households.csvformat import (
    Columns,
    ImportRejected,
    ImportResult,
    Kind,
    RowError,
    describe,
    read_table,
    validate_table,
)
from households.errors import InvalidInput
from households.importkinds import KINDS, Lookups

__all__ = [
    "KINDS",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "import_file",
    "import_stream",
    "end_progress_line",
    "parse_amount",
    "parse_date",
]

Progress = Callable[[float], None]
BATCH = 50_000
PROGRESS_MIN_ROWS = 50_000


def _existing(session: Session, kind: Kind, cols: list[str]) -> dict[Any, tuple[int, tuple]]:
    t = kind.table
    query = select(t.c.id, t.c[kind.key], *(t.c[c] for c in cols))
    return {row[1]: (row[0], tuple(row[2:])) for row in session.execute(query)}


def _insert(session: Session, kind: Kind, cols: list[str], columns: list[list[Any]]) -> None:
    """Bulk insert rows given column by column, in the session's transaction."""
    conn = session.connection()
    raw = conn.connection.driver_connection
    table = kind.table
    names = ", ".join(cols)
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)
        return
    # SQLite: SQLAlchemy stores dates as ISO text, so hand them over the same way.
    columns = [
        [None if d is None else d.isoformat() for d in col]
        if isinstance(table.c[c].type, Date)
        else col
        for c, col in zip(cols, columns, strict=True)
    ]
    cursor = raw.cursor()
    try:
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' * len(cols))})"
        # In key order the unique index grows at its end: measurably faster.
        cursor.executemany(sql, sorted(zip(*columns, strict=True), key=itemgetter(0)))
    finally:
        cursor.close()


def _write(session, kind: Kind, cols: list[str], data: Columns, result, progress) -> None:
    """Upsert ``data``: insert new keys, update keys whose values differ."""
    existing = _existing(session, kind, cols)
    columns = [data.values[c] for c in cols]
    if progress is not None:
        progress(0.7)
    if not existing:
        inserts = [data.keys, *columns]
        updates: list[dict[str, Any]] = []
    else:
        fresh: list[int] = []
        updates = []
        get = existing.get
        for k, (key, new) in enumerate(zip(data.keys, zip(*columns, strict=True), strict=True)):
            old = get(key)
            if old is None:
                fresh.append(k)
            elif old[1] != new:
                updates.append({"_id": old[0], **dict(zip(cols, new, strict=True))})
            else:
                result.unchanged += 1
        inserts = [[col[k] for k in fresh] for col in (data.keys, *columns)]
    if inserts[0]:
        _insert(session, kind, [kind.key, *cols], inserts)
    if progress is not None:
        progress(0.95)
    if updates:
        t = kind.table
        stmt = t.update().where(t.c.id == bindparam("_id"))
        conn = session.connection()
        for i in range(0, len(updates), BATCH):
            conn.execute(stmt, updates[i : i + BATCH])
    result.inserted, result.updated = len(inserts[0]), len(updates)


_BAR = {"open": False}


def _stderr_bar(fraction: float) -> None:
    done = int(fraction * 40)
    sys.stderr.write(f"\rImporteren [{'#' * done}{'.' * (40 - done)}] {fraction:4.0%}")
    if fraction >= 1.0:
        sys.stderr.write("\n")
    _BAR["open"] = fraction < 1.0
    sys.stderr.flush()


def end_progress_line() -> None:
    """End the line of a progress bar an import left unfinished (so an error gets its own line)."""
    if _BAR["open"]:
        sys.stderr.write("\n")
        _BAR["open"] = False


def _read_bytes(data: bytes | bytearray | memoryview | IO) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, str):
        return data.encode("utf-8")
    data = data.getvalue() if hasattr(data, "getvalue") else data.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def import_stream(
    session: Session,
    actor: Actor,
    kind: str,
    data: bytes | str | IO,
    name: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one interchange-format file (bytes or a binary file object) named ``name``.

    All-or-nothing: raises :class:`ImportRejected` (nothing written, audited as
    ``geweigerd``) when any row is invalid. ``progress`` receives fractions 0..1.
    Needs role ``beheer`` (the system actor always may).
    """
    authorize(session, actor, "import")
    spec = KINDS.get(kind)
    if spec is None:
        raise InvalidInput(f"Onbekend soort bestand; kies uit {', '.join(KINDS)}.")
    # Millions of small tuples/dicts would trigger the cyclic GC over and over; none of
    # them form cycles, so pause it for the import.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(session, actor, spec, data, name, progress)
    finally:
        if gc_was_enabled:
            gc.enable()


def _import(session, actor, spec, data, name, progress) -> ImportResult:
    kind = spec.name
    name = name[:64]  # audit_event.object_id is VARCHAR(64)
    result = ImportResult(kind=kind)
    try:
        try:
            table = read_table(_read_bytes(data))
        except ImportRejected as exc:
            raise ImportRejected(kind, name, exc.errors) from None
        lookups = Lookups(session)
        records, errors, rows, warnings = validate_table(spec, table, lookups, progress)
        if errors:
            raise ImportRejected(kind, name, errors)
    except ImportRejected as exc:
        # Nothing was written; keep only the audit row of the refusal.
        session.rollback()
        counts = {"fouten": len(exc.errors), "regels_fout": len({e.line for e in exc.errors})}
        audit.record(
            session, actor, audit.Event.IMPORT, kind, name, resultaat="geweigerd", nieuw=counts
        )
        session.commit()
        raise
    result.rows = len(records.keys)
    result.warnings = warnings + [
        f"aanbieder {describe(naam)} is onbekend (geen instelling met die naam); de naam is "
        f"bewaard zonder koppeling — {n} {'regel' if n == 1 else 'regels'}, eerste op regel {line}"
        for naam, n, line in lookups.unknown_aanbieders.values()
    ]
    present = {f.name for f in spec.fields if f.name in table.columns}
    _write(session, spec, spec.columns_for(present), records, result, progress)
    counts = {
        "regels": result.rows,
        "nieuw": result.inserted,
        "bijgewerkt": result.updated,
        "ongewijzigd": result.unchanged,
        "waarschuwingen": len(result.warnings),
    }
    audit.record(session, actor, audit.Event.IMPORT, kind, name, nieuw=counts)
    session.flush()
    if progress is not None:
        progress(1.0)
    return result


def import_file(
    session: Session,
    actor: Actor,
    kind: str,
    path: str | Path,
    progress: bool | Progress = False,
) -> ImportResult:
    """Import the file at ``path`` (see :func:`import_stream`).

    ``progress=True`` draws a text progress bar on stderr for files over 50,000 rows;
    a callable receives fractions 0..1.
    """
    path = Path(path)
    data = path.read_bytes()
    callback: Progress | None = None
    if callable(progress):
        callback = progress
    elif progress and data.count(b"\n") > PROGRESS_MIN_ROWS:
        callback = _stderr_bar
    return import_stream(session, actor, kind, data, path.name, progress=callback)
