"""Terms in days the gemeente sets (table ``norm``), kept by ``beheer``.

One norm so far: ``wgs_hulpaanbod``, the days between an arrears signal (Wgs
vroegsignalering) and the gemeente's offer of help within which the offer counts as "on
time" on the KISS-overzicht. The Wgs obliges the gemeente to offer help after a signal but
sets no term for it: each gemeente fixes its own way of working in its beleidsplan (Divosa,
*Monitor Vroegsignalering Schulden*, 2024). The default is 14 days
(:data:`coordination.signals.WGS_NORM_DAYS`, seeded by migration 0013); ``beheer`` changes
it on the Importeren page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import InvalidInput
from households.models import Norm

__all__ = ["NORMS", "NormValue", "WGS_OFFER", "list_norms", "norm_days", "set_norm"]

WGS_OFFER = "wgs_hulpaanbod"
# name -> (default days, Dutch label)
NORMS: dict[str, tuple[int, str]] = {
    WGS_OFFER: (14, "Hulpaanbod na een betalingsachterstand (Wgs), in dagen"),
}
MAX_DAYS = 365


@dataclass(frozen=True)
class NormValue:
    """A norm as shown to ``beheer``."""

    naam: str
    label: str
    dagen: int


def norm_days(session: Session, naam: str) -> int:
    """The days of norm ``naam`` (its default when the gemeente has not set it)."""
    value = session.scalar(select(Norm.dagen).where(Norm.naam == naam))
    return int(value) if value is not None else NORMS[naam][0]


def list_norms(session: Session) -> tuple[NormValue, ...]:
    """Every norm with its current value (reference data, no personal data)."""
    return tuple(NormValue(n, label, norm_days(session, n)) for n, (_, label) in NORMS.items())


def set_norm(session: Session, actor: Actor, naam: str, dagen: object) -> int:
    """Set norm ``naam`` to ``dagen`` (1..365; role ``beheer``, audited with old and new)."""
    authorize(session, actor, "norm_wijzigen")
    if naam not in NORMS:
        raise InvalidInput("Onbekende norm.")
    if isinstance(dagen, bool) or not isinstance(dagen, int) or not 1 <= dagen <= MAX_DAYS:
        raise InvalidInput(f"Geef een aantal dagen van 1 tot en met {MAX_DAYS}.")
    old = norm_days(session, naam)
    row = session.get(Norm, naam)
    if row is None:
        session.add(Norm(naam=naam, dagen=dagen))
    else:
        row.dagen = dagen
    session.flush()
    audit.record(session, actor, audit.Event.NORM_WIJZIGEN, "norm", naam,
                 oud={"dagen": old}, nieuw={"dagen": dagen})  # fmt: skip
    return dagen
