"""Verifying the audit chain: recompute every row's hash in id order (``kiss audit verify``)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from households.audit.writer import GENESIS, chain_key, row_hash
from households.models import AuditEvent

__all__ = ["ChainReport", "verify_chain"]


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
    key = chain_key()
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
            if not hmac.compare_digest(row_hash(fields, previous, key), m["hash"]):
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
