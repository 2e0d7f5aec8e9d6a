"""The plain values the front door's household view is made of (frozen, no session, no BSN)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["DebtRow", "PersonRow", "ProvisionRow", "RequestRow", "SignalRow"]


@dataclass(frozen=True)
class PersonRow:
    """A member of the household."""

    naam: str | None
    rol: str
    geboortejaar: int | None


@dataclass(frozen=True)
class ProvisionRow:
    """A provision active on the reference date."""

    persoon: str
    domein: str
    soort: str
    start: dt.date
    einde: dt.date | None
    aanbieder: str | None


@dataclass(frozen=True)
class DebtRow:
    """A debt open on the reference date (amount in euros)."""

    persoon: str
    schuldeiser: str
    openstaand: float
    sinds: dt.date
    in_regeling: bool | None


@dataclass(frozen=True)
class SignalRow:
    """A signal open on the reference date."""

    soort: str
    bron: str | None
    gemeld_op: dt.date


@dataclass(frozen=True)
class RequestRow:
    """A help request of the household, newest first."""

    id: int
    ontvangen_op: dt.date
    voordeur: str
    domein: str
    omschrijving: str | None
    urgentie: str | None
    advies: str | None
    triage: str | None
    besluit_op: dt.date | None
