"""The sealer: puts committed audit rows into the hash chain, outside any user transaction.

A user transaction only inserts its audit row (an id from the database, the row's own
HMAC ``rij_mac``); it takes no lock. :func:`seal` then takes the committed rows that
are not yet sealed, oldest id first, and gives each the next position ``keten_nr``
(1, 2, 3, ... without gaps), the hash of the row before it (``vorige_hash``) and its
own chain hash (``hash``). The chain is therefore in *seal order*: a transaction that
commits late (a smaller id than rows already sealed) is sealed at the next position,
and an id a rolled-back transaction took and never used is simply absent. Gaps in
``id`` are not an error; a missing ``keten_nr`` is (a sealed row was removed).

Only one sealer works at a time: on PostgreSQL a transaction-level advisory lock
(another process that finds it taken skips its turn), and on both databases the
update of the one row of ``audit_lock`` whose ``teller`` is the number of sealed
rows (on SQLite that update also takes the write lock before the head is read).

The app runs :func:`start_sealer` (a daemon thread per server process, every second);
:func:`households.audit.verify.verify_chain` and ``kiss audit anchor`` seal first;
``kiss audit seal`` seals once by hand.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection, Engine

from households.audit.writer import GENESIS, chain_key, link_hash
from households.models import AuditEvent
from households.settings import audit_sealer_on

__all__ = [
    "ChainBroken", "seal", "seal_batch", "pending", "start_sealer", "FIELDS", "has_sealing",
    "seal_if_sealable", "stop_sealer",
]  # fmt: skip

log = logging.getLogger(__name__)

FIELDS = (
    "tijdstip", "gebruiker", "rol", "actie", "object_type", "object_id",
    "resultaat", "doel", "oud", "nieuw",
)  # fmt: skip
SEAL_LOCK = 0x4B495353  # the advisory lock id ("KISS") that makes one sealer at a time
BATCH = 2000


class ChainBroken(RuntimeError):
    """The chain head does not match the sealed-row counter: the sealer stops (verify tells)."""


def _lock(conn: Connection, wait: bool) -> bool:
    if conn.dialect.name != "postgresql":
        return True  # SQLite: the audit_lock update below takes the write lock
    if wait:
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SEAL_LOCK})
        return True
    return bool(conn.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": SEAL_LOCK}))


def head(conn: Connection) -> tuple[int, str]:
    """The last sealed position and its hash: ``(0, GENESIS)`` for an empty chain.

    Raises :class:`ChainBroken` when the counter row is missing or when the
    sealed rows do not end where the counter says (rows removed from the tail).
    """
    teller = conn.scalar(text("SELECT teller FROM audit_lock WHERE id = 1"))
    if teller is None:
        raise ChainBroken("de tellerregel (audit_lock) ontbreekt")
    top = conn.scalar(select(AuditEvent.keten_nr).order_by(AuditEvent.keten_nr.desc()).limit(1)
                      .where(AuditEvent.keten_nr.is_not(None)))  # fmt: skip
    if (top or 0) != teller:
        raise ChainBroken(
            f"{teller} regels verzegeld maar de keten eindigt bij {top or 0}: "
            "de laatste regel(s) ontbreken"
        )
    if teller == 0:
        return 0, GENESIS
    return teller, conn.scalar(select(AuditEvent.hash).where(AuditEvent.keten_nr == teller))


def fields_of(row: Any) -> dict[str, Any]:
    """The hashed content of an ``audit_event`` row (a Row with the FIELDS columns)."""
    m = row._mapping
    return {k: m[k] for k in FIELDS}


def seal_batch(conn: Connection, batch: int = BATCH, wait: bool = True) -> int | None:
    """Seal up to ``batch`` committed rows in ``conn``'s transaction; None if another seals now."""
    if not _lock(conn, wait):
        return None
    taken = conn.execute(text("UPDATE audit_lock SET teller = teller WHERE id = 1"))
    if taken.rowcount != 1:
        raise ChainBroken("de tellerregel (audit_lock) ontbreekt: voer 'kiss init' uit")
    n, previous = head(conn)
    cols = [AuditEvent.id, AuditEvent.rij_mac, *(getattr(AuditEvent, f) for f in FIELDS)]
    rows = conn.execute(
        select(*cols).where(AuditEvent.keten_nr.is_(None)).order_by(AuditEvent.id).limit(batch)
    ).all()
    if not rows:
        return 0
    key = chain_key()
    updates = []
    for row in rows:
        n += 1
        digest = link_hash(fields_of(row), row.id, row.rij_mac, previous, key)
        updates.append({"i": row.id, "n": n, "v": previous, "h": digest})
        previous = digest
    conn.execute(
        text("UPDATE audit_event SET keten_nr = :n, vorige_hash = :v, hash = :h "
             "WHERE id = :i AND keten_nr IS NULL"),
        updates,
    )  # fmt: skip
    conn.execute(text("UPDATE audit_lock SET teller = :n WHERE id = 1"), {"n": n})
    return len(updates)


def pending(conn: Connection) -> bool:
    """Whether any committed row waits to be sealed (a cheap look, no lock)."""
    return (
        conn.scalar(select(AuditEvent.id).where(AuditEvent.keten_nr.is_(None)).limit(1)) is not None
    )


def seal(engine: Engine, wait: bool = True, batch: int = BATCH) -> int:
    """Seal every committed row that is not yet sealed; return how many were sealed.

    Each batch is its own short transaction. With ``wait=False`` (the background
    thread) a PostgreSQL sealer that finds another one at work returns at once.
    """
    total = 0
    while True:
        with engine.begin() as conn:
            n = seal_batch(conn, batch, wait)
        if not n:
            return total
        total += n
        if n < batch:
            return total


def has_sealing(conn: Connection) -> bool:
    """Whether this database is at a schema with sealing (migration 0011 or later)."""
    found = inspect(conn)
    if not found.has_table("audit_event"):
        return False
    return any(c["name"] == "keten_nr" for c in found.get_columns("audit_event"))


def seal_if_sealable(engine: Engine) -> int:
    """:func:`seal` on a database with sealing; 0 on an older schema (chained under a lock)."""
    with engine.connect() as conn:
        sealing = has_sealing(conn)
    return seal(engine) if sealing else 0


def _loop(ref: weakref.ref, interval: float, stop: threading.Event) -> None:
    failures = 0
    while not stop.is_set() and (engine := ref()) is not None:
        try:
            with engine.connect() as conn:
                todo = pending(conn)
            if todo:
                seal(engine, wait=False)
            failures = 0
        except Exception:  # logged and retried: the rows stay, sealed on a later turn
            failures += 1
            log.exception("audit: verzegelen mislukt (poging %s)", failures)
        del engine  # no strong reference while asleep: a disposed engine ends the thread
        stop.wait(min(60.0, interval * 2 ** min(failures, 10)))  # back off while it fails


_started: dict[int, tuple[threading.Thread, threading.Event, weakref.ref]] = {}
_guard = threading.Lock()


def start_sealer(engine: Engine, interval: float = 1.0) -> threading.Thread | None:
    """Start the background sealer of this process for ``engine`` (once; a daemon thread).

    ``KISS_AUDIT_SEALER=uit`` turns it off (then run ``kiss audit seal`` from cron, or
    a sealer in another process). Several processes may each run one: they take turns.
    """
    if not audit_sealer_on():
        return None
    with _guard:
        running = _started.get(id(engine))
        if running is not None and running[2]() is engine and running[0].is_alive():
            return running[0]  # (an id can be reused by a new engine: hence the weakref)
        stop, ref = threading.Event(), weakref.ref(engine)
        thread = threading.Thread(
            target=_loop, args=(ref, interval, stop), name="kiss-audit-sealer", daemon=True
        )
        thread.start()
        _started[id(engine)] = (thread, stop, ref)
        return thread


def stop_sealer(engine: Engine) -> None:
    """Stop this process's background sealer for ``engine`` (tests; a server just exits)."""
    with _guard:
        running = _started.pop(id(engine), None)
    if running is not None:
        running[1].set()
        running[0].join(timeout=10)
