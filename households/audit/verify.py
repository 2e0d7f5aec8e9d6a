"""Verifying the audit chain (``kiss audit verify``) and anchoring it (``kiss audit anchor``).

The chain is over the *sealed* rows in chain order (``keten_nr`` 1, 2, 3, ... with
no gaps; see :mod:`households.audit.sealer`). A check starts at the last anchor (a
verified head, signed) unless a full check is asked for, so its time does not grow
with the history. For every row after the start it checks: the position follows the
previous one (a removed row leaves a hole), ``vorige_hash`` is the previous row's
hash, the row's own HMAC (``rij_mac``) fits its content (an edit, or a row inserted
without the key) and its chain hash fits. At the end the last position must equal
the sealed-row counter, and the row an anchor names must still be there with the
anchor's hash (a cut-off tail). Rows not yet sealed are counted, not judged.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from households.audit.anchor import Anchor, AuditAnchor, all_anchors, latest_anchor
from households.audit.sealer import FIELDS, ChainBroken, seal, seal_batch
from households.audit.writer import GENESIS, chain_key, link_hash, row_hash, row_mac
from households.models import AuditEvent

__all__ = ["ChainReport", "verify_chain", "write_anchor"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChainReport:
    """Outcome of :func:`verify_chain`: ``ok`` and, if not, the first broken row.

    ``rows`` is the number of rows checked (from ``vanaf``, the anchor's position,
    up to ``tot``, the last sealed position); ``onverzegeld`` rows were not sealed yet.
    """

    ok: bool
    rows: int
    first_bad_id: int | None = None
    reason: str | None = None
    vanaf: int = field(default=0, compare=False)
    tot: int = field(default=0, compare=False)
    onverzegeld: int = field(default=0, compare=False)


def _seal_first(session: Session) -> None:
    """Seal what is committed, outside ``session``'s transaction where possible."""
    conn = session.connection()
    try:
        raw = conn.connection.dbapi_connection
        if conn.dialect.name == "sqlite" and getattr(raw, "in_transaction", False):
            # this session holds SQLite's write lock: another connection would wait for it
            while seal_batch(conn):
                pass
        else:
            seal(session.get_bind())
    except ChainBroken as exc:  # the check below says exactly what is wrong
        log.warning("audit: niet verzegeld: %s", exc)


def _anchor_problem(session: Session, anchor: Anchor) -> str | None:
    if not anchor.genuine():
        return f"het anker op positie {anchor.keten_nr} is vervalst (handtekening klopt niet)"
    if anchor.keten_nr == 0:
        return None
    row = session.execute(
        select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.keten_nr == anchor.keten_nr)
    ).one_or_none()
    if row is None or row.id != anchor.laatste_id or row.hash != anchor.hash:
        return (
            f"de regel van het anker (positie {anchor.keten_nr}, regel {anchor.laatste_id}) "
            "ontbreekt of is gewijzigd: de trail is ingekort of aangepast"
        )
    return None


def _row_fits(m, previous: str, key: bytes) -> bool:
    fields = {k: m[k] for k in FIELDS}
    if m["rij_mac"] is None:  # a row from before sealing existed: the old chain formula
        return hmac.compare_digest(row_hash(fields, previous, key), m["hash"])
    if not hmac.compare_digest(row_mac(fields, key), m["rij_mac"]):
        return False
    return hmac.compare_digest(link_hash(fields, m["id"], m["rij_mac"], previous, key), m["hash"])


def verify_chain(
    session: Session, volledig: bool = False, extern: Anchor | None = None, batch: int = 20_000
) -> ChainReport:
    """Seal, then check the chain from the last anchor (``volledig``: from the first row).

    ``extern`` is an anchor kept outside the database (``kiss audit verify --anker``):
    its row must be there with its hash, and the check may start from it.
    """
    _seal_first(session)
    teller = session.scalar(text("SELECT teller FROM audit_lock WHERE id = 1"))
    if teller is None:
        return ChainReport(False, 0, None, "de tellerregel (audit_lock) ontbreekt")
    conn = session.connection()
    starts = [a for a in (latest_anchor(conn), extern) if a is not None]
    checks = all_anchors(conn) + ([extern] if extern else []) if volledig else starts
    for anchor in checks:
        if problem := _anchor_problem(session, anchor):
            return ChainReport(False, 0, anchor.laatste_id, problem)
    start = max(starts, key=lambda a: a.keten_nr) if starts and not volledig else None
    position, previous = (start.keten_nr, start.hash) if start else (0, GENESIS)
    vanaf, count, last_id, key = position, 0, None, chain_key()
    cols = [AuditEvent.id, AuditEvent.keten_nr, AuditEvent.rij_mac, AuditEvent.vorige_hash,
            AuditEvent.hash, *(getattr(AuditEvent, f) for f in FIELDS)]  # fmt: skip
    while rows := session.execute(
        select(*cols).where(AuditEvent.keten_nr > position)
        .order_by(AuditEvent.keten_nr).limit(batch)
    ).all():  # fmt: skip
        for row in rows:
            m = row._mapping
            if m["keten_nr"] != position + 1 or m["vorige_hash"] != previous:
                return ChainReport(False, count, m["id"], "vorige rij ontbreekt of is gewijzigd",
                                   vanaf, position)  # fmt: skip
            if not _row_fits(m, previous, key):
                return ChainReport(False, count, m["id"], "inhoud van de rij is gewijzigd",
                                   vanaf, position)  # fmt: skip
            position, previous, last_id = m["keten_nr"], m["hash"], m["id"]
            count += 1
    open_rows = session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.keten_nr.is_(None))
    )
    if position != teller:
        return ChainReport(
            False, count, (last_id or 0) + 1,
            f"{teller} regels verzegeld maar {position} gevonden: de laatste regel(s) ontbreken",
            vanaf, position, open_rows,
        )  # fmt: skip
    return ChainReport(True, count, None, None, vanaf, position, open_rows)


def write_anchor(session: Session) -> tuple[ChainReport, Anchor | None]:
    """Verify from the last anchor, then anchor the head (None when the chain is broken).

    The caller commits; print :meth:`Anchor.line` and keep it outside the database.
    """
    report = verify_chain(session)
    if not report.ok:
        return report, None
    if report.tot:
        row = session.execute(
            select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.keten_nr == report.tot)
        ).one()
        last_id, digest = row.id, row.hash
    else:
        last_id, digest = 0, GENESIS
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    anchor = Anchor(report.tot, last_id, digest, now).signed()
    session.add(AuditAnchor(tijdstip=now, keten_nr=anchor.keten_nr, laatste_id=last_id,
                            hash=digest, handtekening=anchor.handtekening))  # fmt: skip
    session.flush()
    return report, anchor
