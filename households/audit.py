"""The audit trail: one append-only row per read or change of household data.

Rows are chained: each carries the hash of the previous one, so
:func:`verify_chain` detects an edited or removed row. The hash is an HMAC with
a key derived from the pseudonymisation key, which lives outside the database:
someone who can write to the database but lacks the key cannot re-chain the rows
after an edit. The database refuses UPDATE and DELETE on the table (triggers,
see the migrations). Writers are serialised through the one-row ``audit_lock``
table, whose ``teller`` also counts the rows written, so a removed *last* row is
detected too.

Callers use the small event helpers (:func:`household_viewed`, :func:`search_hit`,
:func:`export_made`, :func:`login_attempt`, :func:`change_made`,
:func:`access_refused`) or :func:`record`; they all go through one private
writer. Never write ``AuditEvent`` rows by hand, and never pass a BSN, password
or token: pass ids only.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
from dataclasses import asdict, dataclass
from typing import Any, NoReturn

from sqlalchemy import Integer, event, insert, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from households.actor import Actor
from households.db import Base
from households.errors import AccessDenied
from households.models import AuditEvent
from households.validation import replace_control_characters

__all__ = [
    "record",
    "record_many",
    "verify_chain",
    "ChainReport",
    "GENESIS",
    "RESULTS",
    "refuse",
    "household_viewed",
    "search_hit",
    "export_made",
    "change_made",
    "login_attempt",
    "access_refused",
    "AuditFilter",
    "search_events",
    "events_csv",
    "filter_options",
]

GENESIS = "0" * 64
RESULTS = ("ok", "mislukt", "geblokkeerd", "geweigerd")
_CHAIN_CONTEXT = b"kiss-audit-chain-v1"


class AuditLock(Base):
    """One row; updating it serialises audit writers on SQLite and PostgreSQL."""

    __tablename__ = "audit_lock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    teller: Mapped[int] = mapped_column(Integer, default=0)


def _canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _chain_key() -> bytes:
    from households.bsn import secret_key

    return hmac.new(secret_key(), _CHAIN_CONTEXT, hashlib.sha256).digest()


def _row_hash(fields: dict[str, Any], previous: str, key: bytes) -> str:
    payload = json.dumps(
        {**fields, "tijdstip": fields["tijdstip"].isoformat(timespec="microseconds")},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hmac.new(key, (previous + payload).encode(), hashlib.sha256).hexdigest()


def _clip(value: str | None, length: int | None) -> str | None:
    # An audit row must always be writable: PostgreSQL refuses NUL and over-long strings.
    if value is None:
        return None
    value = replace_control_characters(value)
    return value if length is None or len(value) <= length else value[: length - 1] + "…"


def _fields(
    actor: Actor, actie: str, object_type: str | None, object_id: Any, resultaat: str,
    doel: str | None, oud: Any, nieuw: Any, now: dt.datetime | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {
        "tijdstip": now or dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "gebruiker": _clip(actor.naam, 80),
        "rol": _clip(actor.rol, 20),
        "actie": _clip(actie, 60),
        "object_type": _clip(object_type, 40),
        "object_id": None if object_id is None else _clip(str(object_id), 64),
        "resultaat": _clip(resultaat, 20),
        "doel": _clip(doel, None),
        "oud": _canonical(oud),
        "nieuw": _canonical(nieuw),
    }


def _write(
    session: Session,
    actor: Actor,
    actie: str,
    object_type: str | None,
    object_id: Any,
    resultaat: str,
    doel: str | None,
    oud: Any,
    nieuw: Any,
) -> AuditEvent:
    prev = _chain_tail(session)
    fields = _fields(actor, actie, object_type, object_id, resultaat, doel, oud, nieuw)
    event = AuditEvent(**fields, vorige_hash=prev, hash=_row_hash(fields, prev, _chain_key()))
    session.add(event)
    session.flush()
    session.info[_TAIL] = event.hash
    return event


_TAIL = "audit_chain_tail"


def _chain_tail(session: Session, rows: int = 1) -> str:
    """The hash to chain the next row to, taking the lock row on the first write.

    Taking the lock row first makes "read the last hash, append" atomic across
    writers. The lock is held until the transaction ends, so within one
    transaction the tail is remembered instead of read again for every row (a
    search with 25 hits writes 25 rows).
    """
    # The lock row also counts rows written (verify_chain compares), so it is bumped per row.
    locked = session.execute(
        text("UPDATE audit_lock SET teller = teller + :n WHERE id = 1"), {"n": rows}
    )
    if locked.rowcount != 1:  # without the lock row writers could fork the chain: refuse
        raise RuntimeError("audit_lock row missing: run 'kiss init' (migrations)")
    tail = session.info.get(_TAIL)
    if tail is not None:
        return tail
    previous = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return previous or GENESIS


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_tail(session: Session, *_args) -> None:
    # The lock is released when the transaction ends; the next one reads the tail again.
    session.info.pop(_TAIL, None)


def record_many(
    session: Session,
    actor: Actor,
    actie: str,
    object_type: str,
    object_ids: list,
    nieuw: Any = None,
) -> int:
    """Append one row per object in a single statement (every hit of a search); return the count.

    The same chain as :func:`record`: each row carries the hash of the one before it.
    """
    if not object_ids:
        return 0
    prev = _chain_tail(session, rows=len(object_ids))
    key = _chain_key()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = []
    for object_id in object_ids:
        fields = _fields(actor, actie, object_type, object_id, "ok", None, None, nieuw, now)
        digest = _row_hash(fields, prev, key)
        rows.append({**fields, "vorige_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditEvent), rows)  # autoflushes earlier rows first: ids stay in order
    session.info[_TAIL] = prev
    return len(rows)


def record(
    session: Session,
    actor: Actor,
    actie: str,
    object_type: str | None = None,
    object_id: Any = None,
    resultaat: str = "ok",
    doel: str | None = None,
    oud: Any = None,
    nieuw: Any = None,
) -> AuditEvent:
    """Append one audit row in the caller's unit of work and return it.

    ``oud``/``nieuw`` (old and new values of a change) are stored as JSON.
    Never pass a BSN, password or token: callers pass ids and hashes only.
    """
    return _write(session, actor, actie, object_type, object_id, resultaat, doel, oud, nieuw)


# --- typed events: one small function per thing worth logging ------------------------


def household_viewed(
    session: Session, actor: Actor, household_id: int, doel: str | None = None
) -> AuditEvent:
    """A user saw a household's data (view page, graph, timeline)."""
    return _write(
        session, actor, "huishouden_inzien", "household", household_id, "ok", doel, None, None
    )


def search_hit(session: Session, actor: Actor, household_id: int, zoekwijze: str) -> AuditEvent:
    """A search listed this household; ``zoekwijze`` is bsn/adres/naam, never the term itself."""
    return _write(
        session, actor, "zoeken_treffer", "household", household_id, "ok", None, None,
        {"zoekwijze": zoekwijze},
    )  # fmt: skip


def export_made(
    session: Session,
    actor: Actor,
    soort: str,
    rijen: int,
    object_type: str | None = None,
    object_id: Any = None,
    filters: dict[str, Any] | None = None,
) -> AuditEvent:
    """Data left the hub as a file (CSV, report); ``soort`` names the export."""
    nieuw = {"soort": soort, "rijen": rijen, "filters": filters}
    return _write(session, actor, "exporteren", object_type, object_id, "ok", None, None, nieuw)


def change_made(
    session: Session,
    actor: Actor,
    actie: str,
    object_type: str,
    object_id: Any,
    oud: Any = None,
    nieuw: Any = None,
    doel: str | None = None,
) -> AuditEvent:
    """A change, with the old and new values of the fields that changed."""
    return _write(session, actor, actie, object_type, object_id, "ok", doel, oud, nieuw)


def login_attempt(
    session: Session,
    actor: Actor,
    resultaat: str,
    user_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """One login attempt (``ok``, ``mislukt`` or ``geblokkeerd``); never the password."""
    return _write(session, actor, "inloggen", "user", user_id, resultaat, None, None, details)


def access_refused(
    session: Session, actor: Actor, actie: str, object_type: str | None, object_id: Any
) -> AuditEvent:
    """A refused attempt (resultaat ``geweigerd``)."""
    return _write(session, actor, actie, object_type, object_id, "geweigerd", None, None, None)


def refuse(
    session: Session,
    actor: Actor,
    actie: str,
    object_type: str | None,
    object_id: Any,
    message: str,
) -> NoReturn:
    """End the unit of work with a refusal: roll back, commit one audit row, raise.

    Anything half-done in the session is discarded; the ``geweigerd`` row is kept
    even though the caller's unit of work fails.
    """
    session.rollback()
    access_refused(session, actor, actie, object_type, object_id)
    session.commit()
    raise AccessDenied(message)


# --- verification ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """Outcome of :func:`verify_chain`: ``ok`` and, if not, the first broken row."""

    ok: bool
    rows: int
    first_bad_id: int | None = None
    reason: str | None = None


def verify_chain(session: Session, batch: int = 50_000) -> ChainReport:
    """Recompute every row's hash in id order; report the first row that does not fit.

    Rows written after the check starts are not checked; the count of rows up to
    then must equal the number of writes the lock row counted (a missing last row).
    """
    lock = session.execute(
        text("SELECT teller, (SELECT max(id) FROM audit_event) FROM audit_lock WHERE id = 1")
    ).one_or_none()
    if lock is None:
        return ChainReport(False, 0, None, "de tellerregel (audit_lock) ontbreekt")
    teller, max_id = lock
    max_id = max_id or 0
    key = _chain_key()
    previous = GENESIS
    count = 0
    last_id = 0
    cols = [
        AuditEvent.id, AuditEvent.tijdstip, AuditEvent.gebruiker, AuditEvent.rol,
        AuditEvent.actie, AuditEvent.object_type, AuditEvent.object_id, AuditEvent.resultaat,
        AuditEvent.doel, AuditEvent.oud, AuditEvent.nieuw, AuditEvent.vorige_hash,
        AuditEvent.hash,
    ]  # fmt: skip
    while True:
        rows = session.execute(
            select(*cols)
            .where(AuditEvent.id > last_id, AuditEvent.id <= max_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            m = row._mapping
            fields = {k: m[k] for k in m if k not in ("id", "vorige_hash", "hash")}
            if m["vorige_hash"] != previous:
                return ChainReport(False, count, m["id"], "vorige rij ontbreekt of is gewijzigd")
            if not hmac.compare_digest(_row_hash(fields, previous, key), m["hash"]):
                return ChainReport(False, count, m["id"], "inhoud van de rij is gewijzigd")
            previous = m["hash"]
            count += 1
            last_id = m["id"]
    if count != teller:
        return ChainReport(
            False, count, last_id + 1,
            f"{teller} regels geschreven maar {count} gevonden: de laatste regel(s) ontbreken",
        )  # fmt: skip
    return ChainReport(ok=True, rows=count)


# --- reading the log (beheer) -------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """Filter for :func:`search_events`; ``van``/``tot`` are inclusive dates (UTC)."""

    van: dt.date | None = None
    tot: dt.date | None = None
    gebruiker: str | None = None
    actie: str | None = None
    resultaat: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The filter as plain JSON-able values (for the audit row of an export)."""
        return {k: None if v is None else str(v) for k, v in asdict(self).items()}


CSV_COLUMNS = (
    "id", "tijdstip", "gebruiker", "rol", "actie", "object_type", "object_id",
    "resultaat", "doel", "oud", "nieuw", "vorige_hash", "hash",
)  # fmt: skip


def _require_auditor(session: Session, actor: Actor, actie: str) -> None:
    from households.accounts import account_revoked

    if actor.is_system or (actor.rol == "beheer" and not account_revoked(session, actor)):
        return
    refuse(session, actor, actie, "audit", None, "Alleen functioneel beheer leest de audittrail.")


def _query(flt: AuditFilter, limit: int | None):
    q = select(*(getattr(AuditEvent, c) for c in CSV_COLUMNS)).order_by(AuditEvent.id.desc())
    if flt.van:
        q = q.where(AuditEvent.tijdstip >= dt.datetime.combine(flt.van, dt.time.min))
    if flt.tot:
        until = dt.datetime.combine(flt.tot, dt.time.min) + dt.timedelta(days=1)
        q = q.where(AuditEvent.tijdstip < until)
    if flt.gebruiker:
        q = q.where(AuditEvent.gebruiker == flt.gebruiker)
    if flt.actie:
        q = q.where(AuditEvent.actie == flt.actie)
    if flt.resultaat:
        q = q.where(AuditEvent.resultaat == flt.resultaat)
    return q.limit(limit) if limit else q


def search_events(
    session: Session, actor: Actor, flt: AuditFilter, limit: int = 1000
) -> list[dict[str, Any]]:
    """Audit rows matching ``flt``, newest first (``beheer`` only; the reading is audited)."""
    _require_auditor(session, actor, "auditlog_inzien")
    rows = [dict(r._mapping) for r in session.execute(_query(flt, limit))]
    summary = {"filters": flt.as_dict(), "rijen": len(rows)}
    record(session, actor, "auditlog_inzien", "audit", None, nieuw=summary)
    return rows


def _csv_safe(value: Any) -> Any:
    # Spreadsheet formula injection: a cell must not start with = + - @ (OWASP).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def events_csv(session: Session, actor: Actor, flt: AuditFilter) -> str:
    """All audit rows matching ``flt`` as CSV (``beheer`` only); the export is audited."""
    _require_auditor(session, actor, "exporteren")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for row in session.execute(_query(flt, None)):
        writer.writerow([_csv_safe(row._mapping[c]) for c in CSV_COLUMNS])
        n += 1
    export_made(session, actor, "auditlog", n, "audit", None, filters=flt.as_dict())
    return out.getvalue()


def filter_options(session: Session, actor: Actor) -> dict[str, list[str]]:
    """Distinct users and actions in the log, for the filter widgets (``beheer`` only)."""
    _require_auditor(session, actor, "auditlog_inzien")
    users = session.scalars(select(AuditEvent.gebruiker).distinct().order_by(AuditEvent.gebruiker))
    acts = session.scalars(select(AuditEvent.actie).distinct().order_by(AuditEvent.actie))
    return {
        "gebruiker": [u for u in users if u],
        "actie": list(acts),
        "resultaat": list(RESULTS),
    }
