"""Amounts in the steering overview, published only for groups of 5 or more (DESIGN 4.6).

An amount belongs to a group of households (or debtors) whose count is a cell of the
overview: it is published only when that count is published and at least 5, and the
total only when the total minus the published parts would not give away the amount of
a group of 1 to 4.
"""

from __future__ import annotations

import numpy as np

from coordination.facts import Facts
from coordination.overview_relations import TOTAL
from coordination.suppression import is_hidden, too_small
from households.periods import provision_active

__all__ = ["monthly_costs", "protected_amounts"]


def protected_amounts(pub: dict, raw_cents, raw_counts, key: str, wijken: list[str]) -> dict:
    """Published amounts (euros) per group: only for a published group (``key``) of >= 5.

    The total is hidden as well when it minus the published wijk amounts would give the
    amount of a group of 1 to 4.
    """
    out = {}
    for i, w in enumerate(wijken):
        n = pub[(w, key)]
        out[w] = None if is_hidden(n) or too_small(n) else round(int(raw_cents[i]) / 100, 2)
    n = pub[(TOTAL, key)]
    rest = sum(int(raw_counts[i]) for i, w in enumerate(wijken) if out[w] is None)
    hidden_total = is_hidden(n) or too_small(n) or (wijken and too_small(rest) and rest > 0)
    out[TOTAL] = None if hidden_total else round(int(raw_cents.sum()) / 100, 2)
    return out


def monthly_costs(facts: Facts, d: np.datetime64, wcode: np.ndarray, k: int) -> np.ndarray:
    """Monthly cost (cents) of the provisions active on ``d``, per wijk code.

    From the facts the overview already loaded (no second scan of the provisions), so a
    provision counts for the household its person lived in, as in the stacking.
    """
    p = facts.prov
    active = provision_active(p["start"], p["end"], d)
    return np.bincount(wcode[p["pos"][active]], weights=p["cost"][active], minlength=k).astype(
        np.int64
    )
