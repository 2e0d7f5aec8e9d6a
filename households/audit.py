"""The audit trail: one append-only row per read or change of household data.

Rows are chained: each carries the hash of the previous one, so
:func:`verify_chain` detects an edited or removed row. The database refuses
UPDATE and DELETE on the table (triggers, see the migrations). Writers are
serialised through the one-row ``audit_lock`` table so the chain never forks.

Callers use the small event helpers (``household_viewed(...)``) or
:func:`record`; never write ``AuditEvent`` rows by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from households.actor import Actor
from households.db import Base
from households.models import AuditEvent

__all__ = ["record", "verify_chain", "ChainReport", "GENESIS"]

GENESIS = "0" * 64


class AuditLock(Base):
    """One row; updating it serialises audit writers on SQLite and PostgreSQL."""

    __tablename__ = "audit_lock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    teller: Mapped[int] = mapped_column(Integer, default=0)


def _canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _row_hash(fields: dict[str, Any], previous: str) -> str:
    payload = json.dumps(
        {**fields, "tijdstip": fields["tijdstip"].isoformat(timespec="microseconds")},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256((previous + payload).encode()).hexdigest()


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
    session.execute(text("UPDATE audit_lock SET teller = teller + 1 WHERE id = 1"))
    previous = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    fields = {
        "tijdstip": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "gebruiker": actor.naam,
        "rol": actor.rol,
        "actie": actie,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "resultaat": resultaat,
        "doel": doel,
        "oud": _canonical(oud),
        "nieuw": _canonical(nieuw),
    }
    prev = previous or GENESIS
    event = AuditEvent(**fields, vorige_hash=prev, hash=_row_hash(fields, prev))
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """Outcome of :func:`verify_chain`: ``ok`` and, if not, the first broken row."""

    ok: bool
    rows: int
    first_bad_id: int | None = None
    reason: str | None = None


def verify_chain(session: Session, batch: int = 50_000) -> ChainReport:
    """Recompute every row's hash in id order; report the first row that does not fit."""
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
            select(*cols).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(ok=True, rows=count)
        for row in rows:
            m = row._mapping
            fields = {k: m[k] for k in m if k not in ("id", "vorige_hash", "hash")}
            if m["vorige_hash"] != previous:
                return ChainReport(False, count, m["id"], "vorige rij ontbreekt of is gewijzigd")
            if _row_hash(fields, previous) != m["hash"]:
                return ChainReport(False, count, m["id"], "inhoud van de rij is gewijzigd")
            previous = m["hash"]
            count += 1
            last_id = m["id"]
