"""The audit writer: one append-only row per read or change of household data.

A row is written in the caller's transaction (no row is lost on a crash, and a
rolled-back action leaves none) and takes its id from the database; nothing is
locked. The row carries ``rij_mac``, an HMAC of its own content, so an edit or a
forged insert is detected even before the row is sealed. One sealer outside the
user's transaction (:mod:`households.audit.sealer`) then puts the committed rows
into the hash chain: position ``keten_nr``, ``vorige_hash`` and ``hash``.

The HMAC key is derived from the pseudonymisation key, which lives outside the
database: someone who can write to the database but lacks the key cannot forge
or re-chain rows. The database refuses UPDATE (except the one-time seal) and
DELETE on the table (triggers, see the migrations).

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
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer
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
    "IDS",
    "household_viewed",
    "export_made",
    "login_attempt",
    "access_refused",
    "chain_key",
    "row_hash",
    "row_mac",
    "link_hash",
    "AuditLock",
]

GENESIS = "0" * 64
IDS = "ids"  # the key in ``nieuw`` of a row about many objects (record_many)
RESULTS = ("ok", "mislukt", "geblokkeerd", "geweigerd")
_CHAIN_CONTEXT = b"kiss-audit-chain-v1"
_ROW_MAC_PREFIX = "rij:"  # not 64 hex characters, so never equal to a chain hash


class AuditLock(Base):
    """The sealer's one row: ``teller`` is the number of sealed rows (the chain head).

    Only the sealer updates it (which also makes two sealers on SQLite take turns);
    user transactions never touch it.
    """

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


def row_mac(fields: dict[str, Any], key: bytes) -> str:
    """The HMAC of one row's own content, written with the row (no chain, no lock)."""
    return row_hash(fields, _ROW_MAC_PREFIX, key)


def link_hash(
    fields: dict[str, Any], row_id: int, mac: str | None, previous: str, key: bytes
) -> str:
    """The chain hash the sealer gives a row: its content, id and MAC after ``previous``.

    Rows written before sealing existed (``rij_mac`` empty) keep :func:`row_hash`.
    """
    return row_hash({**fields, "id": row_id, "rij_mac": mac}, previous, key)


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
    fields = _fields(actor, actie, object_type, object_id, resultaat, doel, oud, nieuw)
    event = AuditEvent(**fields, rij_mac=row_mac(fields, chain_key()), vorige_hash="", hash="")
    session.add(event)
    session.flush()  # the id comes from the database now, in the caller's transaction
    return event


def _check_event(actie: object) -> None:
    # A free-text action would slip past the Auditlog filter and the PERMISSIONS table.
    if not isinstance(actie, Event):
        raise TypeError(f"audit actions are households.audit.Event members, not {actie!r}")


def record_many(
    session: Session,
    actor: Actor,
    actie: Event,
    object_type: str,
    object_ids: list,
    nieuw: Any = None,
    doel: str | None = None,
) -> int:
    """Record that ``actor`` saw a list of objects (the hits of a search): ONE row.

    The row names ``object_type`` and carries the ids in ``nieuw["ids"]`` (with the
    rest of ``nieuw``, e.g. the kind of search), so ``kiss inzage`` still finds who saw
    a household (:func:`households.audit.log.events_about`). Returns the number of ids.
    """
    _check_event(actie)
    if not object_ids:
        return 0
    details = {**(nieuw or {}), IDS: list(object_ids)}
    _write(session, actor, actie, object_type, None, "ok", doel, None, details)
    return len(object_ids)


def record_list(
    session: Session, actor: Actor, actie: Event, object_type: str, seen: Iterable[tuple]
) -> int:
    """Record a list view: ONE row per distinct purpose, naming every object seen for it.

    ``seen`` holds ``(object_id, doel)`` pairs (the row's reason, e.g. the case table or
    the referral). A list of 500 households with one reason is one row, not 500; ``kiss
    inzage`` finds each household with its reason. Returns the number of rows written.
    """
    by_purpose: dict[str | None, list] = {}
    for object_id, doel in seen:
        ids = by_purpose.setdefault(doel, [])
        if object_id not in ids:
            ids.append(object_id)
    for doel, ids in by_purpose.items():
        if len(ids) == 1:  # one object: the ordinary row that names it
            record(session, actor, actie, object_type, ids[0], doel=doel)
        else:
            record_many(session, actor, actie, object_type, ids, doel=doel)
    return len(by_purpose)


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
    The row is sealed into the hash chain later, outside this transaction
    (:func:`households.audit.sealer.seal`); no lock is taken here.
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
