"""KISS figure: arrears signals (Wgs vroegsignalering) with an offer of help within the norm.

The Wgs obliges the gemeente to offer help after a signal of arrears in rent, energy, water
or health insurance; the gemeente sets the term (the norm ``wgs_hulpaanbod``,
households/norms.py). On a month end D the figure counts, per kind of arrears, the
signals reported in the 12 months up to D (households/periods.py ``in_window``) whose term
has passed on D (``gemeld_op + norm <= D``: a signal still inside its term is neither on
time nor late yet), and of those the ones with help offered within the term
(:func:`coordination.signals.offer_within_norm`, the one definition). Each household counts
once per kind: its first such signal in the period, so every cell counts households.

The table (kinds x binnen/buiten de norm, with totals) is protected by
:func:`coordination.suppression.suppress_table` before it leaves this module: 1-4 as
``<5``, cells that would give them away as ``x``; a share only where both its counts show.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.overview import is_month_end
from coordination.signals import offer_within_norm
from coordination.suppression import TOTAL, is_hidden, suppress_table
from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import InvalidInput
from households.models import ARREARS_SIGNAL_KINDS, Signal
from households.norms import WGS_OFFER, norm_days
from households.periods import in_window_sql, window_start

__all__ = ["ARREARS_LABELS", "arrears_offer_counts", "arrears_offer_figure"]

ARREARS_LABELS = {
    "huurachterstand": "Huur",
    "energieachterstand": "Energie",
    "waterachterstand": "Water",
    "zorgverzekeringsachterstand": "Zorgverzekering",
}
WITHIN, OUTSIDE = "binnen_norm", "buiten_norm"


def arrears_offer_counts(session: Session, date: dt.date, norm: int) -> pd.DataFrame:
    """Unprotected counts per kind (rows) of households ``binnen_norm`` and ``buiten_norm``."""
    signals = session.scalars(
        select(Signal)
        .where(
            Signal.soort.in_(ARREARS_SIGNAL_KINDS),
            in_window_sql(Signal.gemeld_op, date),
            Signal.gemeld_op <= date - dt.timedelta(days=norm),
        )
        .order_by(Signal.household_id, Signal.soort, Signal.gemeld_op, Signal.id)
    ).all()
    counts = pd.DataFrame(0, index=list(ARREARS_SIGNAL_KINDS), columns=[WITHIN, OUTSIDE])
    seen: set[tuple[int, str]] = set()
    for s in signals:
        if (s.household_id, s.soort) in seen:
            continue
        seen.add((s.household_id, s.soort))
        counts.at[s.soort, WITHIN if offer_within_norm(s, norm) else OUTSIDE] += 1
    return counts


def _share(within, total) -> float | None:
    if is_hidden(within) or is_hidden(total) or not total:
        return None
    return round(within / total, 3)


def arrears_offer_figure(session: Session, actor: Actor, date: dt.date) -> dict:
    """The protected figure on month end ``date`` (role ``kiss``; aggregates only, audited).

    ``{"norm_dagen", "van", "tot", "rijen": [{"soort", "label", "signalen", "binnen_norm",
    "buiten_norm", "aandeel"}, ..., the total row with soort "totaal"]}``; every count an
    integer, ``"<5"`` or ``"x"``.
    """
    role = authorize(session, actor, "wgs_hulpaanbod_overzicht")
    if role == "kiss" and not is_month_end(date):
        raise InvalidInput(f"Peildatum {date.strftime('%d-%m-%Y')}: kies het einde van een maand.")
    norm = norm_days(session, WGS_OFFER)
    table = suppress_table(arrears_offer_counts(session, date, norm))
    rows = []
    for soort in [*ARREARS_SIGNAL_KINDS, TOTAL]:
        within, total = table.at[soort, WITHIN], table.at[soort, TOTAL]
        rows.append({
            "soort": "totaal" if soort == TOTAL else soort,
            "label": ARREARS_LABELS.get(soort, "Totaal"),
            "signalen": total, "binnen_norm": within, "buiten_norm": table.at[soort, OUTSIDE],
            "aandeel": _share(within, total),
        })  # fmt: skip
    audit.record(session, actor, audit.Event.WGS_HULPAANBOD_OVERZICHT, "overzicht",
                 date.isoformat(), doel="stuurinformatie")  # fmt: skip
    return {"norm_dagen": norm, "van": window_start(date), "tot": date, "rijen": rows}
