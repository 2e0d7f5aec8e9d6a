"""Terms in days the gemeente sets (table ``norm``), kept by ``beheer``.

The first norm: ``wgs_hulpaanbod``, the days between an arrears signal (Wgs
vroegsignalering) and the gemeente's offer of help within which the offer counts as "on
time" on the KISS-overzicht. The Wgs obliges the gemeente to offer help after a signal but
sets no term for it: each gemeente fixes its own way of working in its beleidsplan (Divosa,
*Monitor Vroegsignalering Schulden*, 2024). The default is 14 days
(:data:`coordination.signals.WGS_NORM_DAYS`, seeded by migration 0013); ``beheer`` changes
it on the Referentielijsten page. The schuldhulp norms (issue 15) are explained in
coordination/shv_rules.py; a norm may count Dutch working days and carry a target share.
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

__all__ = [
    "NORMS", "NormSpec", "NormValue", "WGS_OFFER", "list_norms", "norm_days", "norm_target",
    "norm_value", "set_norm", "set_norm_target",
]  # fmt: skip

WGS_OFFER = "wgs_hulpaanbod"


@dataclass(frozen=True)
class NormSpec:
    """A norm's default: the term, whether it counts Dutch working days
    (households/workdays.py), the share that should meet it (percent, or None) and the
    largest term ``beheer`` may set."""

    dagen: int
    label: str
    werkdagen: bool = False
    doel_pct: int | None = None
    max_dagen: int = 365


# name -> spec. Schuldhulp norms (issue 15) are explained in coordination/shv_rules.py.
NORMS: dict[str, NormSpec] = {
    WGS_OFFER: NormSpec(14, "Hulpaanbod na een betalingsachterstand (Wgs), in dagen"),
    "shv_eerste_gesprek": NormSpec(
        14, "Schuldhulp: eerste gesprek na aanmelding, in dagen", doel_pct=75
    ),
    "shv_crisis": NormSpec(
        3, "Schuldhulp bij dreigende ontruiming of afsluiting: eerste gesprek, in werkdagen",
        werkdagen=True, doel_pct=100,
    ),
    "shv_plan_van_aanpak": NormSpec(56, "Schuldhulp: plan van aanpak na eerste gesprek, in dagen"),
    "shv_herbeoordeling_budgetbeheer": NormSpec(
        548, "Schuldhulp: herbeoordeling budgetbeheer na de start, in dagen", max_dagen=1095
    ),
}  # fmt: skip
MAX_DAYS = 365


@dataclass(frozen=True)
class NormValue:
    """A norm as shown to ``beheer``."""

    naam: str
    label: str
    dagen: int
    werkdagen: bool = False
    doel_pct: int | None = None


def norm_days(session: Session, naam: str) -> int:
    """The days of norm ``naam`` (its default when the gemeente has not set it)."""
    value = session.scalar(select(Norm.dagen).where(Norm.naam == naam))
    return int(value) if value is not None else NORMS[naam].dagen


def norm_target(session: Session, naam: str) -> int | None:
    """The share (percent) of cases that should meet norm ``naam`` (None: no target)."""
    row = session.get(Norm, naam)
    if row is not None and row.doel_pct is not None:
        return int(row.doel_pct)
    return NORMS[naam].doel_pct


def norm_value(session: Session, naam: str) -> NormValue:
    """Norm ``naam`` with its current term and target."""
    spec = NORMS[naam]
    return NormValue(naam, spec.label, norm_days(session, naam), spec.werkdagen,
                     norm_target(session, naam))  # fmt: skip


def list_norms(session: Session) -> tuple[NormValue, ...]:
    """Every norm with its current value (reference data, no personal data)."""
    return tuple(norm_value(session, n) for n in NORMS)


def set_norm(session: Session, actor: Actor, naam: str, dagen: object) -> int:
    """Set norm ``naam`` to ``dagen`` (1..its maximum; role ``beheer``, audited)."""
    authorize(session, actor, "norm_wijzigen")
    if naam not in NORMS:
        raise InvalidInput("Onbekende norm.")
    top = NORMS[naam].max_dagen
    if isinstance(dagen, bool) or not isinstance(dagen, int) or not 1 <= dagen <= top:
        raise InvalidInput(f"Geef een aantal dagen van 1 tot en met {top}.")
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


def set_norm_target(session: Session, actor: Actor, naam: str, doel_pct: object) -> int:
    """Set the share (1..100 percent) of cases that should meet norm ``naam`` (``beheer``)."""
    authorize(session, actor, "norm_wijzigen")
    if naam not in NORMS:
        raise InvalidInput("Onbekende norm.")
    if isinstance(doel_pct, bool) or not isinstance(doel_pct, int) or not 1 <= doel_pct <= 100:
        raise InvalidInput("Geef een percentage van 1 tot en met 100.")
    old = norm_target(session, naam)
    row = session.get(Norm, naam)
    if row is None:
        session.add(Norm(naam=naam, dagen=norm_days(session, naam), doel_pct=doel_pct))
    else:
        row.doel_pct = doel_pct
    session.flush()
    audit.record(session, actor, audit.Event.NORM_WIJZIGEN, "norm", naam,
                 oud={"doel_pct": old}, nieuw={"doel_pct": doel_pct})  # fmt: skip
    return doel_pct
