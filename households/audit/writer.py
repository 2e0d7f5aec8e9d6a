"""The audit writer: one append-only, hash-chained row per read or change of household data.

Rows are chained: each carries the hash of the previous one, so
:func:`households.audit.verify.verify_chain` detects an edited or removed row.
The hash is an HMAC with a key derived from the pseudonymisation key, which
lives outside the database: someone who can write to the database but lacks the
key cannot re-chain the rows after an edit. The database refuses UPDATE and
DELETE on the table (triggers, see the migrations). Writers are serialised
through the one-row ``audit_lock`` table, whose ``teller`` also counts the rows
written, so a removed *last* row is detected too.

Callers use :func:`record` with an :class:`~households.audit.events.Event`
(a plain string is refused) or the small helpers (:func:`household_viewed`,
:func:`export_made`, :func:`login_attempt`, :func:`access_refused`); they all go
through one private writer. Never write ``AuditEvent`` rows by hand, and never
pass a BSN, password or token: pass ids only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from sqlalchemy import Integer, event, insert, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from households.actor import Actor
from households.audit.events import Event
from households.bsn import secret_key
from households.db import Base
from households.models import AuditEvent
from households.validation import replace_control_characters

__all__ = [
    "record",
    "record_many",
    "GENESIS",
    "household_viewed",
    "export_made",
    "login_attempt",
    "access_refused",
    "chain_key",
    "row_hash",
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


def chain_key() -> bytes:
    """The HMAC key of the chain (derived from the pseudonymisation key)."""
    return hmac.new(secret_key(), _CHAIN_CONTEXT, hashlib.sha256).digest()


def row_hash(fields: dict[str, Any], previous: str, key: bytes) -> str:
    """The hash of one row chained to ``previous``."""
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
    actie: Event,
    object_type: str | None,
    object_id: Any,
    resultaat: str,
    doel: str | None,
    oud: Any,
    nieuw: Any,
) -> AuditEvent:
    _check_event(actie)
    prev = _chain_tail(session)
    fields = _fields(actor, actie, object_type, object_id, resultaat, doel, oud, nieuw)
    event = AuditEvent(**fields, vorige_hash=prev, hash=row_hash(fields, prev, chain_key()))
    session.add(event)
    session.flush()
    session.info[_TAIL] = event.hash
    return event


_TAIL = "audit_chain_tail"


def _check_event(actie: object) -> None:
    # A free-text action would slip past the Auditlog filter and the PERMISSIONS table.
    if not isinstance(actie, Event):
        raise TypeError(f"audit actions are households.audit.Event members, not {actie!r}")


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
    actie: Event,
    object_type: str,
    object_ids: list,
    nieuw: Any = None,
) -> int:
    """Append one row per object in a single statement (every hit of a search); return the count.

    The same chain as :func:`record`: each row carries the hash of the one before it.
    """
    _check_event(actie)
    if not object_ids:
        return 0
    prev = _chain_tail(session, rows=len(object_ids))
    key = chain_key()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = []
    for object_id in object_ids:
        fields = _fields(actor, actie, object_type, object_id, "ok", None, None, nieuw, now)
        digest = row_hash(fields, prev, key)
        rows.append({**fields, "vorige_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditEvent), rows)  # autoflushes earlier rows first: ids stay in order
    session.info[_TAIL] = prev
    return len(rows)


def record(
    session: Session,
    actor: Actor,
    actie: Event,
    object_type: str | None = None,
    object_id: Any = None,
    resultaat: str = "ok",
    doel: str | None = None,
    oud: Any = None,
    nieuw: Any = None,
) -> AuditEvent:
    """Append one audit row in the caller's unit of work and return it.

    ``actie`` must be an :class:`Event` (a plain string raises ``TypeError``).
    ``doel`` is the purpose: for a household read, the reason access was granted
    (see :func:`households.access.require_household_access`).
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
        session, actor, Event.HUISHOUDEN_INZIEN, "household", household_id, "ok", doel, None, None
    )


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
    return _write(session, actor, Event.EXPORTEREN, object_type, object_id, "ok", None, None, nieuw)


def login_attempt(
    session: Session,
    actor: Actor,
    resultaat: str,
    user_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """One login attempt (``ok``, ``mislukt`` or ``geblokkeerd``); never the password."""
    return _write(session, actor, Event.INLOGGEN, "user", user_id, resultaat, None, None, details)


def access_refused(
    session: Session, actor: Actor, actie: Event, object_type: str | None, object_id: Any
) -> AuditEvent:
    """A refused attempt (resultaat ``geweigerd``)."""
    return _write(session, actor, actie, object_type, object_id, "geweigerd", None, None, None)
