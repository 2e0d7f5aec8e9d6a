"""Import of interchange format v1 files (DESIGN.md §5): validate everything, then upsert.

A file is read and checked as a whole first; any bad cell rejects the whole file
(:class:`ImportRejected`, nothing written, one audit row ``geweigerd``). A valid file is
upserted on its key (``huishouden_id``, ``instelling_id``, ``bron_id``, or the BSN hash for
persons): new keys are inserted, existing ones updated only when a value differs, so
importing the same file twice changes nothing. Writes are bulk (executemany in large
batches; ``COPY`` on PostgreSQL), with lookups loaded once per import.

An optional column that is absent from the file is left untouched on existing rows.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Date, Table, bindparam, func, select
from sqlalchemy.orm import Session

from households import audit
from households.actor import Actor
from households.bsn import hash_bsn, secret_key
from households.csvformat import (
    Field,
    ImportRejected,
    ImportResult,
    Kind,
    RowError,
    RowRuleBroken,
    code_parser,
    describe,
    parse_amount,
    parse_bool,
    parse_bsn,
    parse_date,
    parse_postcode,
    parse_year,
    read_table,
    text_parser,
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
    """Lookups loaded once per import (one query each) and the BSN-hash memo."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._key = secret_key()
        self._hashes: dict[str, str] = {}
        self._households: dict[str, int] | None = None
        self._persons: dict[str, int] | None = None
        self._institutions: dict[str, int] | None = None
        self.unknown_aanbieders: dict[str, list[Any]] = {}

    def bsn_hash(self, bsn: str) -> str:
        h = self._hashes.get(bsn)
        if h is None:
            h = self._hashes[bsn] = hash_bsn(bsn, key=self._key)
        return h

    def household_id(self, huishouden_id: str) -> int:
        if self._households is None:
            rows = self.session.execute(select(Household.huishouden_id, Household.id))
            self._households = dict(rows.all())
        try:
            return self._households[huishouden_id]
        except KeyError:
            raise RowRuleBroken(
                "huishouden_id", "onbekend huishouden_id (huishouden niet geïmporteerd)"
            ) from None

    def person_id(self, bsn: str) -> int:
        if self._persons is None:
            self._persons = dict(self.session.execute(select(Person.bsn_hash, Person.id)).all())
        try:
            return self._persons[self.bsn_hash(bsn)]
        except KeyError:
            raise RowRuleBroken("bsn", "onbekende BSN (persoon niet geïmporteerd)") from None

    def institution_id(self, naam: str, line: int) -> int | None:
        if self._institutions is None:
            rows = self.session.execute(
                select(func.lower(Institution.naam), func.min(Institution.id)).group_by(
                    func.lower(Institution.naam)
                )
            )
            self._institutions = {k.strip(): v for k, v in rows}
        found = self._institutions.get(naam.lower())
        if found is None:
            entry = self.unknown_aanbieders.setdefault(naam.lower(), [naam, 0, line])
            entry[1] += 1
        return found


def _household(rec: dict[str, Any], lk: _Lookups, line: int) -> tuple[Any, dict[str, Any]]:
    keys = ("wijk", "buurt", "postcode", "huisnummer")
    return rec["huishouden_id"], {k: rec.get(k) for k in keys}


def _person(rec: dict[str, Any], lk: _Lookups, line: int) -> tuple[Any, dict[str, Any]]:
    naam = rec.get("naam")
    return lk.bsn_hash(rec["bsn"]), {
        "household_id": lk.household_id(rec["huishouden_id"]),
        "geboortejaar": rec["geboortejaar"],
        "rol": rec["rol"],
        "naam": naam,
        "naam_zoek": naam.lower() if naam else None,
    }


def _institution(rec: dict[str, Any], lk: _Lookups, line: int) -> tuple[Any, dict[str, Any]]:
    keys = ("naam", "type", "contractvorm", "essentieel")
    return rec["instelling_id"], {k: rec.get(k) for k in keys}


def _provision(rec: dict[str, Any], lk: _Lookups, line: int) -> tuple[Any, dict[str, Any]]:
    person_id = lk.person_id(rec["bsn"])
    start, einde = rec["start"], rec.get("einde")
    if einde is not None and einde < start:
        raise RowRuleBroken("einde", "einde ligt voor start")
    aanbieder = rec.get("aanbieder")
    return rec["bron_id"], {
        "person_id": person_id,
        "domein": rec["domein"],
        "soort": rec["soort"],
        "start": start,
        "einde": einde,
        "institution_id": lk.institution_id(aanbieder, line) if aanbieder else None,
        "aanbieder": aanbieder,
        "maatwerk": rec.get("maatwerk"),
        "kosten_per_maand_cent": rec.get("kosten_per_maand"),
    }


def _debt(rec: dict[str, Any], lk: _Lookups, line: int) -> tuple[Any, dict[str, Any]]:
    return rec["bron_id"], {
        "person_id": lk.person_id(rec["bsn"]),
        "schuldeiser": rec["schuldeiser"],
        "hoofdsom_cent": rec["hoofdsom"],
        "openstaand_cent": rec["openstaand"],
        "sinds": rec["sinds"],
        "in_regeling": rec.get("in_regeling"),
    }


def _f(
    name: str,
    parse: Callable[[str], Any],
    required: bool = False,
    fills: tuple | None = None,
    memo: bool = False,
) -> Field:
    return Field(name, parse, required, (name,) if fills is None else fills, memo)


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
        ), _household),
        Kind("personen", Person.__table__, "bsn_hash", (
            _f("bsn", parse_bsn, True, ()),
            _f("huishouden_id", _ID, True, ("household_id",), memo=True),
            _f("geboortejaar", parse_year, True),
            _f("rol", code_parser(ROLES_IN_HOUSEHOLD), True, memo=True),
            _f("naam", text_parser(120), False, ("naam", "naam_zoek")),
        ), _person),
        Kind("voorzieningen", Provision.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("bsn", parse_bsn, True, ("person_id",), memo=True),
            _f("domein", code_parser(DOMAINS), True, memo=True),
            _f("soort", text_parser(80), True, memo=True),
            _f("start", parse_date, True, memo=True),
            _f("einde", parse_date, memo=True),
            _f("aanbieder", text_parser(160), False, ("institution_id", "aanbieder"), memo=True),
            _f("maatwerk", parse_bool, memo=True),
            _f("kosten_per_maand", parse_amount, False, ("kosten_per_maand_cent",)),
        ), _provision),
        Kind("schulden", Debt.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("bsn", parse_bsn, True, ("person_id",), memo=True),
            _f("schuldeiser", text_parser(160), True, memo=True),
            _f("hoofdsom", parse_amount, True, ("hoofdsom_cent",)),
            _f("openstaand", parse_amount, True, ("openstaand_cent",)),
            _f("sinds", parse_date, True, memo=True),
            _f("in_regeling", parse_bool, memo=True),
        ), _debt),
        Kind("instellingen", Institution.__table__, "instelling_id", (
            _f("instelling_id", _ID, True, ()),
            _f("naam", text_parser(160), True),
            _f("type", text_parser(60), True),
            _f("contractvorm", text_parser(60)),
            _f("essentieel", parse_bool),
        ), _institution),
    )
}  # fmt: skip


def _existing(session: Session, kind: Kind, cols: list[str]) -> dict[Any, tuple[int, tuple]]:
    t = kind.table
    query = select(t.c.id, t.c[kind.key], *(t.c[c] for c in cols))
    return {row[1]: (row[0], tuple(row[2:])) for row in session.execute(query)}


def _insert(session: Session, table: Table, cols: list[str], rows: list[tuple]) -> None:
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        names = ", ".join(cols)
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # SQLite: straight to the DBAPI in the session's transaction. SQLAlchemy stores
    # SQLite dates as ISO text, so convert them the same way.
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    date_pos = [i for i, c in enumerate(cols) if isinstance(table.c[c].type, Date)]
    cursor = conn.connection.driver_connection.cursor()
    try:
        for i in range(0, len(rows), BATCH):
            batch = rows[i : i + BATCH]
            if date_pos:
                batch = [_iso_dates(r, date_pos) for r in batch]
            cursor.executemany(sql, batch)
    finally:
        cursor.close()


def _iso_dates(row: tuple, positions: list[int]) -> tuple:
    out = list(row)
    for p in positions:
        if out[p] is not None:
            out[p] = out[p].isoformat()
    return tuple(out)


def _write(session, kind, cols, records, result, progress) -> None:
    """Upsert ``records``: insert new keys, update keys whose values differ."""
    existing = _existing(session, kind, cols)
    all_cols = [kind.key, *cols]
    inserts: list[tuple] = []
    updates: list[dict[str, Any]] = []
    pick = itemgetter(*cols) if len(cols) > 1 else (lambda v: (v[cols[0]],))
    for key, values in records:
        new = pick(values)
        old = existing.get(key)
        if old is None:
            inserts.append((key, *new))
        elif old[1] != new:
            updates.append({"_id": old[0], **dict(zip(cols, new, strict=True))})
        else:
            result.unchanged += 1
    if progress is not None:
        progress(0.75)
    if inserts:
        _insert(session, kind.table, all_cols, inserts)
    if progress is not None:
        progress(0.95)
    if updates:
        t = kind.table
        stmt = t.update().where(t.c.id == bindparam("_id"))
        conn = session.connection()
        for i in range(0, len(updates), BATCH):
            conn.execute(stmt, updates[i : i + BATCH])
    result.inserted, result.updated = len(inserts), len(updates)


def _stderr_bar(fraction: float) -> None:
    done = int(fraction * 40)
    sys.stderr.write(f"\rImporteren [{'#' * done}{'.' * (40 - done)}] {fraction:4.0%}")
    if fraction >= 1.0:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _read_bytes(data: bytes | bytearray | memoryview | IO) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    data = data.getvalue() if hasattr(data, "getvalue") else data.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def import_stream(
    session: Session,
    actor: Actor,
    kind: str,
    data: bytes | IO,
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
    result.rows = len(records)
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
