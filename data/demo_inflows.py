"""Demo seeding of issue 12's inflows: the Wgs follow-up of the generated arrears signals.

Every arrears signal (huur, energie, water, zorgverzekering) gets a plausible follow-up,
deterministic for a seed: most get contact sought within a week and an offer of help, about
three in four of the offers within the default norm of 14 days; some only an attempt at
contact, some nothing yet. Offers are accepted or declined after a while. No date lies after
the reference date (today). The debt history (schuldstanden) comes from the generator
(data/debt_history.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from households.models import ARREARS_SIGNAL_KINDS, Signal

__all__ = ["seed_wgs_follow_up"]


def _day(base: dt.date, days: int, today: dt.date) -> dt.date | None:
    d = base + dt.timedelta(days=int(days))
    return d if d <= today else None


def seed_wgs_follow_up(session: Session, seed: int, today: dt.date | None = None) -> int:
    """Record the Wgs follow-up of every arrears signal; returns how many got an offer."""
    today = today or dt.date.today()
    rows = session.execute(
        select(Signal.id, Signal.gemeld_op)
        .where(Signal.soort.in_(ARREARS_SIGNAL_KINDS))
        .order_by(Signal.id)
    ).all()
    rng = np.random.Generator(np.random.PCG64(seed + 12))
    updates, offered = [], 0
    for signal_id, gemeld_op in rows:
        path = rng.random()
        sought = _day(gemeld_op, rng.integers(1, 8), today) if path < 0.85 else None
        offer = None
        if path < 0.70 and sought is not None:
            late = rng.random() < 0.25
            offer = _day(gemeld_op, rng.integers(15, 45) if late else rng.integers(2, 15), today)
            offer = offer if offer is None or offer >= sought else sought
        made = offer if offer is not None and rng.random() < 0.8 else None
        answer = _day(offer, rng.integers(1, 15), today) if offer is not None else None
        choice = rng.random()
        updates.append({
            "id": signal_id, "contact_gezocht_op": sought, "contact_gemaakt_op": made,
            "hulp_aangeboden_op": offer,
            "aanvaard_op": answer if choice < 0.55 else None,
            "geweigerd_op": answer if 0.55 <= choice < 0.8 else None,
        })  # fmt: skip
        offered += offer is not None
    if updates:
        session.execute(update(Signal), updates)
    return offered
