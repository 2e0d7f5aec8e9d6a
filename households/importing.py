"""Import of interchange format v1 files (DESIGN.md §5): validate everything, then upsert.

A file is read and checked as a whole first; any bad cell rejects the whole file
(:class:`ImportRejected`, nothing written, one audit row ``geweigerd``). A valid file is
upserted on its key (``huishouden_id``, ``instelling_id``, ``bron_id``, or the BSN hash for
persons): new keys are inserted, existing ones updated only when a value differs, so
importing the same file twice changes nothing. Validation runs column by column with
each distinct cell text parsed once; lookups are loaded in one query each; writes are
bulk (DBAPI ``executemany`` on SQLite, ``COPY`` on PostgreSQL).

An optional column that is absent from the file is left untouched on existing rows.
"""

from __future__ import annotations

import gc
import hmac
import sys
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Date, bindparam, select
from sqlalchemy.orm import Session

from households import audit
from households.actor import Actor
from households.bsn import secret_key
from households.cellparsers import (
    code_parser,
    parse_amount,
    parse_bool,
    parse_bsn,
    parse_date,
    parse_postcode,
    parse_year,
    text_parser,
)
from households.csvformat import (
    Columns,
    Field,
    ImportRejected,
    ImportResult,
    Kind,
    RowError,
    describe,
    read_table,
    validate_table,
)
from households.errors import InvalidInput
from households.models import (
    DOMAINS,
    ROLES_IN_HOUSEHOLD,
    Debt,
    Household,
    Institution,
    Person,
    Provision,
)
from households.names import name_key

__all__ = [
    "KINDS",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "import_file",
    "import_stream",
    "parse_amount",
    "parse_date",
]

Progress = Callable[[float], None]
BATCH = 50_000
PROGRESS_MIN_ROWS = 50_000


class _Lookups:
    """References loaded once per import (one query each) and a BSN-hash memo."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._key = secret_key()
        self.unknown_aanbieders: dict[str, list[Any]] = {}

    def bsn_hashes(self, bsns: list[str]) -> list[str]:
        """Keyed hashes of normalised BSNs (each distinct one hashed once)."""
        # Equal to hash_bsn(b) for a normalised b (tested), without re-normalising.
        key = self._key
        memo = {b: hmac.digest(key, b.encode(), "sha256").hex() for b in set(bsns)}
        return list(map(memo.__getitem__, bsns))

    def resolve(
        self, query, values: list[Any], column: str, reason: str, lines, errors
    ) -> list[int]:
        """Map ``values`` through the (key, id) pairs of ``query``; unknown ones are errors."""
        known = dict(self.session.execute(query).all())
        ids = list(map(known.get, values))
        if None in ids:
            errors.extend(
                RowError(lines[k], column, reason) for k, v in enumerate(ids) if v is None
            )
        return ids

    def person_ids(self, bsns: list[str], lines: list[int], errors: list[RowError]) -> list[int]:
        query = select(Person.bsn_hash, Person.id)
        reason = "onbekende BSN (persoon niet geïmporteerd)"
        return self.resolve(query, self.bsn_hashes(bsns), "bsn", reason, lines, errors)

    def institution_ids(self, names: list[str | None], lines: list[int]) -> list[int | None]:
        """Exact case-insensitive name match; unknown names are collected as warnings."""
        # Lower-case in Python: SQLite's lower() folds ASCII letters only.
        known: dict[str, int] = {}
        for naam, id_ in self.session.execute(
            select(Institution.naam, Institution.id).order_by(Institution.id)
        ):
            known.setdefault(naam.strip().lower(), id_)
        found = {n: known.get(n.lower()) for n in set(names) if n is not None}
        unknown = {n for n, v in found.items() if v is None}
        if unknown:
            for k, name in enumerate(names):
                if name in unknown:
                    entry = self.unknown_aanbieders.setdefault(name.lower(), [name, 0, lines[k]])
                    entry[1] += 1
        return list(map(found.get, names))


def _col(cols: dict[str, list[Any]], name: str, n: int) -> list[Any]:
    return cols.get(name) or [None] * n


def _households(cols, lk: _Lookups, lines, errors) -> Columns:
    n = len(lines)
    values = {k: _col(cols, k, n) for k in ("wijk", "buurt", "postcode", "huisnummer")}
    return Columns(cols["huishouden_id"], values, lines)


def _persons(cols, lk: _Lookups, lines, errors) -> Columns:
    query = select(Household.huishouden_id, Household.id)
    reason = "onbekend huishouden_id (huishouden niet geïmporteerd)"
    household_ids = lk.resolve(query, cols["huishouden_id"], "huishouden_id", reason, lines, errors)
    naam = _col(cols, "naam", len(lines))
    values = {
        "household_id": household_ids,
        "geboortejaar": cols["geboortejaar"],
        "rol": cols["rol"],
        "naam": naam,
        "naam_zoek": [name_key(v) for v in naam],
    }
    return Columns(lk.bsn_hashes(cols["bsn"]), values, lines)


def _institutions(cols, lk: _Lookups, lines, errors) -> Columns:
    n = len(lines)
    values = {k: _col(cols, k, n) for k in ("naam", "type", "contractvorm", "essentieel")}
    return Columns(cols["instelling_id"], values, lines)


def _provisions(cols, lk: _Lookups, lines, errors) -> Columns:
    n = len(lines)
    start, einde = cols["start"], _col(cols, "einde", n)
    errors.extend(
        RowError(lines[k], "einde", "einde ligt voor start")
        for k, (s, e) in enumerate(zip(start, einde, strict=True))
        if e is not None and e < s
    )
    aanbieder = _col(cols, "aanbieder", n)
    values = {
        "person_id": lk.person_ids(cols["bsn"], lines, errors),
        "domein": cols["domein"],
        "soort": cols["soort"],
        "start": start,
        "einde": einde,
        "institution_id": lk.institution_ids(aanbieder, lines),
        "aanbieder": aanbieder,
        "maatwerk": _col(cols, "maatwerk", n),
        "kosten_per_maand_cent": _col(cols, "kosten_per_maand", n),
    }
    return Columns(cols["bron_id"], values, lines)


def _debts(cols, lk: _Lookups, lines, errors) -> Columns:
    values = {
        "person_id": lk.person_ids(cols["bsn"], lines, errors),
        "schuldeiser": cols["schuldeiser"],
        "hoofdsom_cent": cols["hoofdsom"],
        "openstaand_cent": cols["openstaand"],
        "sinds": cols["sinds"],
        "in_regeling": _col(cols, "in_regeling", len(lines)),
    }
    return Columns(cols["bron_id"], values, lines)


def _f(
    name: str, parse: Callable[[str], Any], required: bool = False, fills: tuple | None = None
) -> Field:
    return Field(name, parse, required, (name,) if fills is None else fills)


_ID = text_parser(64)
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("huishoudens", Household.__table__, "huishouden_id", (
            _f("huishouden_id", _ID, True, ()),
            _f("wijk", text_parser(40), True),
            _f("buurt", text_parser(80)),
            _f("postcode", parse_postcode),
            _f("huisnummer", text_parser(10)),
        ), _households),
        Kind("personen", Person.__table__, "bsn_hash", (
            _f("bsn", parse_bsn, True, ()),
            _f("huishouden_id", _ID, True, ("household_id",)),
            _f("geboortejaar", parse_year, True),
            _f("rol", code_parser(ROLES_IN_HOUSEHOLD), True),
            _f("naam", text_parser(120), False, ("naam", "naam_zoek")),
        ), _persons),
        Kind("voorzieningen", Provision.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("bsn", parse_bsn, True, ("person_id",)),
            _f("domein", code_parser(DOMAINS), True),
            _f("soort", text_parser(80), True),
            _f("start", parse_date, True),
            _f("einde", parse_date),
            _f("aanbieder", text_parser(160), False, ("institution_id", "aanbieder")),
            _f("maatwerk", parse_bool),
            _f("kosten_per_maand", parse_amount, False, ("kosten_per_maand_cent",)),
        ), _provisions),
        Kind("schulden", Debt.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("bsn", parse_bsn, True, ("person_id",)),
            _f("schuldeiser", text_parser(160), True),
            _f("hoofdsom", parse_amount, True, ("hoofdsom_cent",)),
            _f("openstaand", parse_amount, True, ("openstaand_cent",)),
            _f("sinds", parse_date, True),
            _f("in_regeling", parse_bool),
        ), _debts),
        Kind("instellingen", Institution.__table__, "instelling_id", (
            _f("instelling_id", _ID, True, ()),
            _f("naam", text_parser(160), True),
            _f("type", text_parser(60), True),
            _f("contractvorm", text_parser(60)),
            _f("essentieel", parse_bool),
        ), _institutions),
    )
}  # fmt: skip


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


def _stderr_bar(fraction: float) -> None:
    done = int(fraction * 40)
    sys.stderr.write(f"\rImporteren [{'#' * done}{'.' * (40 - done)}] {fraction:4.0%}")
    if fraction >= 1.0:
        sys.stderr.write("\n")
    sys.stderr.flush()


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
    from coordination.access import require_role

    require_role(session, actor, "beheer", actie="import")
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
        lookups = _Lookups(session)
        records, errors, rows, warnings = validate_table(spec, table, lookups, progress)
        if errors:
            raise ImportRejected(kind, name, errors)
    except ImportRejected as exc:
        # Nothing was written; keep only the audit row of the refusal.
        session.rollback()
        counts = {"fouten": len(exc.errors), "regels_fout": len({e.line for e in exc.errors})}
        audit.record(session, actor, "import", kind, name, resultaat="geweigerd", nieuw=counts)
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
    audit.record(session, actor, "import", kind, name, nieuw=counts)
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
