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
from coordination.suppression import THRESHOLD, is_hidden, too_small
from households.periods import provision_active

__all__ = ["monthly_costs", "protected_amounts", "protected_breakdown"]


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


def protected_breakdown(counts: dict, cents: dict, union=None) -> dict:
    """Amounts (euros) of groups whose sum is a published total, each for >= 5 households.

    ``counts`` and ``cents`` per group name. A group of 1 to 4 households is hidden
    (None), and since the reader may know the total (the overview publishes it), the
    hidden groups together must hold 0 or at least 5 households: the smallest published
    groups are hidden too until they do (secondary, as for counts). ``union(names)`` gives
    the distinct households of groups that overlap (domains); default the sum of counts.

    >>> protected_breakdown({"a": 3, "b": 6, "c": 40}, {"a": 300, "b": 600, "c": 4000})
    {'a': None, 'b': None, 'c': 40.0}
    >>> protected_breakdown({"a": 0, "b": 6, "c": 40}, {"a": 0, "b": 600, "c": 4000})
    {'a': 0.0, 'b': 6.0, 'c': 40.0}
    """
    union = union or (lambda names: sum(int(counts[g]) for g in names))
    hidden = {g for g, n in counts.items() if n > 0 and too_small(n)}
    while 0 < union(hidden) < THRESHOLD:
        shown = [g for g, n in counts.items() if g not in hidden and n > 0]
        if not shown:
            break
        hidden.add(min(shown, key=lambda g: (counts[g], str(g))))
    return {g: None if g in hidden else round(int(cents[g]) / 100, 2) for g in counts}


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
