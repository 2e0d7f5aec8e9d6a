"""Anchors of the audit chain: the sealed head (position, last id, hash), signed with the key.

``kiss audit anchor`` verifies the chain from the previous anchor, then writes an
anchor to ``audit_anker`` and prints it as one line to keep outside the database
(a file, syslog, a ticket). ``kiss audit verify`` starts at the last anchor, so its
work does not grow with the history; the row an anchor names must still be there
with the same hash, so cutting off the tail of the trail is detected, and given the
line kept outside (``--anker``) even when the anchors in the database were removed too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import BigInteger, DateTime, Integer, String, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from households.audit.writer import chain_key
from households.db import Base
from households.errors import InvalidInput

__all__ = ["AuditAnchor", "Anchor", "latest_anchor", "parse_anchor", "read_anchor_file"]

PREFIX = "KISS-ANKER"
_LINE = re.compile(
    r"KISS-ANKER keten=(\d+) id=(\d+) hash=([0-9a-f]{64}) tijd=(\S+) handtekening=([0-9a-f]{64})"
)


class AuditAnchor(Base):
    """One anchor (append-only, like the trail): the chain head at the time it was verified."""

    __tablename__ = "audit_anker"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tijdstip: Mapped[dt.datetime] = mapped_column(DateTime)
    keten_nr: Mapped[int] = mapped_column(BigInteger)
    laatste_id: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    handtekening: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True)
class Anchor:
    """An anchor as a value: ``keten_nr`` sealed rows ending in row ``laatste_id`` with ``hash``."""

    keten_nr: int
    laatste_id: int
    hash: str
    tijdstip: dt.datetime
    handtekening: str = ""

    def _message(self) -> bytes:
        when = self.tijdstip.isoformat(timespec="seconds")
        return f"{PREFIX}|{self.keten_nr}|{self.laatste_id}|{self.hash}|{when}".encode()

    def signed(self) -> Anchor:
        """This anchor with its HMAC signature (key from outside the database)."""
        sig = hmac.new(chain_key(), self._message(), hashlib.sha256).hexdigest()
        return Anchor(self.keten_nr, self.laatste_id, self.hash, self.tijdstip, sig)

    def genuine(self) -> bool:
        """Whether the signature fits (someone without the key cannot make an anchor)."""
        return hmac.compare_digest(self.signed().handtekening, self.handtekening)

    def line(self) -> str:
        """The anchor as one line of text, to keep outside the database.

        >>> a = Anchor(3, 7, "a" * 64, dt.datetime(2026, 11, 26, 20, 0), "b" * 64)
        >>> parse_anchor(a.line()) == a
        True
        """
        when = self.tijdstip.isoformat(timespec="seconds")
        return (
            f"{PREFIX} keten={self.keten_nr} id={self.laatste_id} hash={self.hash} "
            f"tijd={when} handtekening={self.handtekening}"
        )


_COLUMNS = (
    AuditAnchor.keten_nr, AuditAnchor.laatste_id, AuditAnchor.hash, AuditAnchor.tijdstip,
    AuditAnchor.handtekening,
)  # fmt: skip


def _value(row) -> Anchor:
    when = row.tijdstip.replace(microsecond=0)
    return Anchor(row.keten_nr, row.laatste_id, row.hash, when, row.handtekening)


def latest_anchor(conn: Connection) -> Anchor | None:
    """The newest anchor in the database (the highest chain position), or None."""
    row = conn.execute(
        select(*_COLUMNS).order_by(AuditAnchor.keten_nr.desc(), AuditAnchor.id.desc()).limit(1)
    ).one_or_none()
    return None if row is None else _value(row)


def all_anchors(conn: Connection) -> list[Anchor]:
    """Every anchor in the database, oldest first (for the full check)."""
    return [_value(r) for r in conn.execute(select(*_COLUMNS).order_by(AuditAnchor.id))]


def parse_anchor(line: str) -> Anchor:
    """An anchor from its line (as printed by ``kiss audit anchor``); InvalidInput if not one."""
    m = _LINE.search(line or "")
    if not m:
        raise InvalidInput(
            "Dit is geen anker van de audittrail (verwacht: een regel 'KISS-ANKER keten=...')."
        )
    try:
        when = dt.datetime.fromisoformat(m.group(4))
    except ValueError as exc:
        raise InvalidInput("De tijd in het anker is ongeldig.") from exc
    return Anchor(int(m.group(1)), int(m.group(2)), m.group(3), when, m.group(5))


def read_anchor_file(path: str) -> Anchor:
    """The last anchor line in a file (the file ``kiss audit anchor --out`` appends to)."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"Het ankerbestand {path} bestaat niet.")
    lines = [x for x in p.read_text(encoding="utf-8").splitlines() if x.startswith(PREFIX)]
    if not lines:
        raise InvalidInput(f"In {path} staat geen anker van de audittrail.")
    return parse_anchor(lines[-1])
