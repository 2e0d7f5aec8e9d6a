"""Reading the audit trail (functioneel beheer): search, CSV export, filter choices.

Every reading is itself audited. Only ``beheer`` (and the system actor) may read
the trail; the check is :func:`households.access.authorize`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from households.access import authorize
from households.actor import Actor
from households.audit.events import RESULTS, Event
from households.audit.writer import IDS, export_made, record
from households.csvwriter import csv_text
from households.models import AuditEvent

__all__ = [
    "AuditFilter", "CSV_COLUMNS", "search_events", "events_csv", "filter_options", "events_about",
]  # fmt: skip


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
    authorize(session, actor, "auditlog_inzien")
    rows = [dict(r._mapping) for r in session.execute(_query(flt, limit))]
    summary = {"filters": flt.as_dict(), "rijen": len(rows)}
    record(session, actor, Event.AUDITLOG_INZIEN, "audit", None, nieuw=summary)
    return rows


def events_csv(session: Session, actor: Actor, flt: AuditFilter) -> str:
    """All audit rows matching ``flt`` as CSV (``beheer`` only); the export is audited."""
    authorize(session, actor, "auditlog_exporteren")
    rows = [[row._mapping[c] for c in CSV_COLUMNS] for row in session.execute(_query(flt, None))]
    export_made(session, actor, "auditlog", len(rows), "audit", None, filters=flt.as_dict())
    return csv_text(CSV_COLUMNS, rows)


def filter_options(session: Session, actor: Actor) -> dict[str, list[str]]:
    """Distinct users and actions in the log, for the filter widgets (``beheer`` only)."""
    authorize(session, actor, "auditlog_inzien")
    users = session.scalars(select(AuditEvent.gebruiker).distinct().order_by(AuditEvent.gebruiker))
    acts = session.scalars(select(AuditEvent.actie).distinct().order_by(AuditEvent.actie))
    return {
        "gebruiker": [u for u in users if u],
        "actie": list(acts),
        "resultaat": list(RESULTS),
    }


def events_about(session: Session, object_type: str, object_ids: Iterable) -> list[AuditEvent]:
    """Every audit row about one of ``object_ids`` (of ``object_type``), oldest first.

    Both the rows that name one object and the rows about many at once
    (:func:`households.audit.record_many`: a search lists its hits in ``nieuw["ids"]``).
    Not access-checked or audited itself: the caller (``kiss inzage``) does both.
    """
    wanted = {str(i) for i in object_ids}
    if not wanted:
        return []
    rows = list(session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == object_type,
                                 AuditEvent.object_id.in_(sorted(wanted)))
    ))  # fmt: skip
    lists = select(AuditEvent).where(
        AuditEvent.object_type == object_type,
        AuditEvent.object_id.is_(None),
        AuditEvent.nieuw.like(f'%"{IDS}": [%'),
    )
    if len(wanted) <= 50:  # narrow in the database; the exact test is below
        lists = lists.where(or_(*(AuditEvent.nieuw.like(f"%{i}%") for i in sorted(wanted))))
    for row in session.scalars(lists):
        listed = json.loads(row.nieuw).get(IDS, [])
        if wanted.intersection(str(i) for i in listed):
            rows.append(row)
    return sorted(rows, key=lambda r: (r.tijdstip, r.id))
