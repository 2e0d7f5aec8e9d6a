"""Every relation a reader can use between the published cells of one steering overview.

The suppression (:mod:`coordination.suppression`) protects the cells against all of
these together: the wijk sums, the two partitions of the households with a provision
(by number of provisions; by CBS combination, which covers only those with a CBS
provision), CBS stacking as the sum of the combinations of two or three domains, the
parts that are at most their whole, the fragmentation tables and the trend (a quarter
that ends on the reference date repeats the totals). Cell keys are ``(group, key)``
with group a wijk, ``TOTAL`` or a quarter end date.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "COMBINATIONS", "COUNT_KEYS", "DOORS", "INSTITUTIONS", "PER_HOUSEHOLD", "TOTAL",
    "TREND_KEYS", "relations",
]  # fmt: skip

COMBINATIONS = ("ISD", "JEUGD", "WMO", "ISD+JEUGD", "ISD+WMO", "JEUGD+WMO", "ISD+JEUGD+WMO")
STACKED_COMBINATIONS = COMBINATIONS[3:]
PER_HOUSEHOLD = ("1", "2", "3", "4", "5", "6+")
COUNT_KEYS = ("households_total", "households_with_provision", "stacked", "stacked_cbs",
              "complex", "regie_gaps", "isd_debtors", "isd_debtors_known_elsewhere")  # fmt: skip
DOORS = ("1", "2", "3+")
INSTITUTIONS = ("0", "1", "2", "3", "4", "5+")
TREND_KEYS = ("households_with_provision", "stacked", "stacked_cbs", "complex", "regie_gaps",
              "isd_debtors")  # fmt: skip
TOTAL = "Totaal"
# households counted in a group: each is at most the group's households_total
_HOUSEHOLD_COUNTS = ("households_with_provision", "stacked", "stacked_cbs", "complex",
                     "regie_gaps")  # fmt: skip


def _per_group(g, rules: dict, keys=COUNT_KEYS) -> tuple[list, list]:
    """Equations and inequalities inside one group (a wijk, the total or a quarter)."""
    eqs, ineqs = [], []
    has = set(keys)
    if "stacked" in has and "households_with_provision" in has:
        ineqs.append(([(g, "stacked")], [(g, "households_with_provision")]))
        ineqs.append(([(g, "stacked_cbs")], [(g, "households_with_provision")]))
    if rules.get("stacked_cbs_le_stacked"):
        ineqs.append(([(g, "stacked_cbs")], [(g, "stacked")]))
    if rules.get("stacked_le_complex"):
        ineqs.append(([(g, "stacked")], [(g, "complex")]))
    ineqs.append(([(g, "regie_gaps")], [(g, "complex")]))
    if "households_total" in has:
        for key in _HOUSEHOLD_COUNTS:
            ineqs.append(([(g, key)], [(g, "households_total")]))
        ineqs.append(([(g, "isd_debtors_known_elsewhere")], [(g, "isd_debtors")]))
        comb = [(g, f"comb:{c}") for c in COMBINATIONS]
        pph = [(g, f"pph:{x}") for x in PER_HOUSEHOLD]
        eqs.append(((g, "households_with_provision"), pph))
        eqs.append(((g, "stacked_cbs"), [(g, f"comb:{c}") for c in STACKED_COMBINATIONS]))
        ineqs.append((comb, [(g, "households_with_provision")]))
        # a household in k CBS domains has at least k provisions
        ineqs.append(([(g, "stacked_cbs")], pph[1:]))
        ineqs.append(([(g, "comb:ISD+JEUGD+WMO")], pph[2:]))
    return eqs, ineqs


def relations(
    wijken: list[str], quarters: list[dt.date], date: dt.date, rules: dict
) -> tuple[list, list]:
    """``(equations, inequalities)`` over the cells of one overview.

    ``rules`` says which implications the active rule version makes true:
    ``stacked_cbs_le_stacked`` (local stacking needs at most two domains) and
    ``stacked_le_complex`` (stacking makes a household complex).
    """
    eqs, ineqs = [], []
    for g in [*wijken, TOTAL]:
        e, i = _per_group(g, rules)
        eqs += e
        ineqs += i
    wijk_keys = [*COUNT_KEYS, *(f"comb:{c}" for c in COMBINATIONS),
                 *(f"pph:{x}" for x in PER_HOUSEHOLD)]  # fmt: skip
    if wijken:
        eqs += [((TOTAL, key), [(w, key) for w in wijken]) for key in wijk_keys]
    eqs.append(((TOTAL, "frag:with_request"), [(TOTAL, f"frag:doors:{x}") for x in DOORS]))
    eqs.append(((TOTAL, "frag:multiple"), [(TOTAL, "frag:doors:2"), (TOTAL, "frag:doors:3+")]))
    eqs.append(((TOTAL, "stacked"), [(TOTAL, f"frag:inst:{x}") for x in INSTITUTIONS]))
    ineqs.append(([(TOTAL, "frag:with_request")], [(TOTAL, "households_total")]))
    for q in quarters:
        e, i = _per_group(q, rules, TREND_KEYS)
        eqs += e
        ineqs += i
        if q == date:
            eqs += [((TOTAL, key), [(q, key)]) for key in TREND_KEYS]
    return eqs, ineqs
