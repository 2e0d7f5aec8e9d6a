"""Provisions (voorzieningen) and debts (schulden) for a synthetic population.

The domain combination of households with an active provision on the
reference date is assigned by quota (counts derived from CBS 85637NED), so
the shares hold exactly up to rounding; which households get a combination
is a weighted random choice. ISD claims are calibrated to the K2 report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import reference as ref
from data.population import Population, T

__all__ = [
    "combination_quota",
    "weighted_pick",
    "assign_combinations",
    "make_provisions",
]

DOMAIN_BIT = {"WMO": 1, "JEUGD": 2, "ISD": 4}
AOW_AGE = 67  # above it: AOW (+ AIO via the SVB), no Participatiewet benefit


def combination_quota(n_households: int) -> dict[str, int]:
    """Households per domain combination for ``n_households`` (deterministic).

    >>> combination_quota(47_000)["ISD+JEUGD+WMO"]
    40
    >>> combination_quota(13_500)["WMO"]
    1683
    """
    scale = n_households / ref.COMBINATION_REFERENCE_HOUSEHOLDS
    return {combo: round(count * scale) for combo, count in ref.COMBINATION_COUNTS.items()}


def weighted_pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` items drawn without replacement, proportional to ``weights``.

    Efraimidis-Spirakis keys; items with weight 0 are never drawn.

    >>> rng = np.random.Generator(np.random.PCG64(0))
    >>> sorted(weighted_pick(rng, np.array([0.0, 1.0, 0.0, 2.0]), 2).tolist())
    [1, 3]
    """
    u = rng.random(len(weights))
    with np.errstate(divide="ignore"):
        keys = np.where(weights > 0, np.log(u) / np.where(weights > 0, weights, 1), -np.inf)
    k = min(k, int((weights > 0).sum()))
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    top = np.argpartition(-keys, k - 1)[:k]
    return top[np.argsort(-keys[top], kind="stable")]


def combo_weights(pop: Population) -> dict[str, np.ndarray]:
    """Per domain, how likely each household is to receive it (0: never, e.g. JEUGD without
    children, ISD (Participatiewet) when nobody in the household is below AOW age)."""
    t = pop.hh_type
    elderly = np.isin(t, [T["alleenstaand_oudere"], T["paar_oudere"]])
    w_isd = np.select([np.isin(t, [T["alleenstaand"], T["eenouder"]]), elderly], [3.0, 0.25], 1.0)
    return {
        "WMO": np.where(elderly, 4.0, 1.0),
        "JEUGD": np.where(pop.hh_children > 0, np.where(t == T["eenouder"], 2.0, 1.0), 0.0),
        "ISD": np.where(_working_age_couple(pop).any(axis=1), w_isd, 0.0),  # above AOW: SVB
    }


def combo_weight(weights: dict[str, np.ndarray], combo: str) -> np.ndarray:
    """The weight of each household for a combination such as ``"ISD+WMO"``."""
    w = np.ones(len(next(iter(weights.values()))))
    for domain in combo.split("+"):
        w = w * weights[domain]
    return w


def combo_mask(combo: str) -> int:
    """The bitmask of a combination (``"ISD+WMO"`` -> 5).

    >>> combo_mask("ISD+WMO"), combo_mask("JEUGD")
    (5, 2)
    """
    return sum(DOMAIN_BIT[d] for d in combo.split("+"))


# youth combinations first: they need households with children
COMBO_ORDER = tuple(sorted(ref.COMBINATION_COUNTS, key=lambda c: ("JEUGD" not in c, -c.count("+"))))


def assign_combinations(rng: np.random.Generator, pop: Population) -> np.ndarray:
    """Bitmask of active domains per household (WMO=1, JEUGD=2, ISD=4), by quota."""
    n = len(pop.hh_type)
    weights = combo_weights(pop)
    mask = np.zeros(n, dtype=np.int64)
    quota = combination_quota(n)
    for combo in COMBO_ORDER:
        w = combo_weight(weights, combo)
        w[mask > 0] = 0.0
        chosen = weighted_pick(rng, w, quota[combo])
        mask[chosen] = combo_mask(combo)
    return mask


def _working_age_couple(pop: Population) -> np.ndarray:
    """Per household: (head below AOW age, partner below AOW age) as a two-column bool array."""
    first = pop.hh_first
    partner_age = pop.p_age[np.minimum(first + 1, len(pop.p_age) - 1)]
    return np.stack([pop.p_age[first] < AOW_AGE, pop.hh_partner & (partner_age < AOW_AGE)], axis=1)


def _person_for(rng: np.random.Generator, pop: Population, hh: np.ndarray, domain: str):
    """The person a provision in ``domain`` is granted to (a child for JEUGD; for ISD the
    head or partner below AOW age where there is one)."""
    first = pop.hh_first[hh]
    if domain == "JEUGD":
        n_child = np.maximum(pop.hh_children[hh], 1)
        offset = 1 + pop.hh_partner[hh] + np.floor(rng.random(len(hh)) * n_child).astype(int)
        return first + offset
    use_partner = pop.hh_partner[hh] & (rng.random(len(hh)) < 0.3)
    if domain == "ISD":
        working = _working_age_couple(pop)[hh]
        use_partner = np.where(working[:, 0] != working[:, 1], working[:, 1], use_partner)
    return first + use_partner


def _kinds(rng: np.random.Generator, domain: str, n: int):
    """Soort, provider and monthly cost (cents) for ``n`` provisions in ``domain``."""
    kinds = ref.PROVISION_KINDS[domain]
    shares = np.array([k[1] for k in kinds])
    idx = rng.choice(len(kinds), size=n, p=shares / shares.sum())
    soort = np.array([k[0] for k in kinds], dtype=object)[idx]
    aanbieder = np.empty(n, dtype=object)
    cents = np.empty(n, dtype=np.int64)
    pick = rng.random(n)
    cost_u = rng.random(n)
    for i, (_, _, (lo, hi), providers) in enumerate(kinds):  # loop over kinds only
        m = idx == i
        prov = np.array(providers, dtype=object)
        aanbieder[m] = prov[np.floor(pick[m] * len(prov)).astype(int)]
        cents[m] = np.rint((lo + cost_u[m] * (hi - lo)) * 100).astype(np.int64)
    return soort, aanbieder, cents


# Participatiewet kinds (CBS domain): none at AOW age (then AOW + AIO via the SVB)
_WORKING_AGE_KINDS = ("bijstand", "IOAW", "IOAZ", "loonkostensubsidie")
_CBS_KIND_SHARES = {"bijstand": 0.90, "IOAW": 0.06, "loonkostensubsidie": 0.04}


def _fix_age_bound_kinds(soort: np.ndarray, age: np.ndarray) -> np.ndarray:
    """IOAW only for older workers; no Participatiewet benefit at AOW age.

    >>> _fix_age_bound_kinds(np.array(["IOAW", "bijstand", "minimaregelingen"], dtype=object),
    ...                      np.array([40, 70, 70])).tolist()
    ['bijstand', 'bijzondere bijstand', 'minimaregelingen']
    """
    soort = soort.copy()
    soort[(soort == "IOAW") & (age < 57)] = "bijstand"
    soort[np.isin(soort, _WORKING_AGE_KINDS) & (age >= AOW_AGE)] = "bijzondere bijstand"
    return soort


def _days(values: np.ndarray) -> np.ndarray:
    return values.astype(np.int64).astype("timedelta64[D]")


@dataclass(frozen=True)
class Episodes:
    """Household spells of provisions: the calibrated current ones and ended ones before them
    (data/episodes.py). In a spell every domain of ``mask`` has a provision from ``start``."""

    hh: np.ndarray  # household index
    mask: np.ndarray  # domain bitmask
    start: np.ndarray  # datetime64[D]
    end: np.ndarray  # datetime64[D]; NaT for the current spells (their provisions end later)


def make_provisions(
    rng: np.random.Generator, pop: Population, episodes: Episodes, reference_date: dt.date
) -> pd.DataFrame:
    """Provisions of every spell: per domain one main provision over the whole spell (for ISD
    a Participatiewet kind, so the CBS combinations hold at every date) and maybe extra ones
    (minima, bijzondere bijstand, a second Wmo provision) that start later in the spell."""
    d = np.datetime64(reference_date, "D")
    frames = []
    for domain, bit in DOMAIN_BIT.items():
        spell = np.flatnonzero(episodes.mask & bit)
        extra = {"WMO": (0.45, 0.15), "JEUGD": (0.25, 0.05), "ISD": (0.40, 0.15)}[domain]
        count = 1 + (rng.random(len(spell)) < extra[0]) + (rng.random(len(spell)) < extra[1])
        rows = np.repeat(spell, count)
        m = len(rows)
        main = np.r_[True, rows[1:] != rows[:-1]] if m else np.zeros(0, dtype=bool)
        begin, finish = episodes.start[rows], episodes.end[rows]
        current = np.isnat(finish)
        last = np.where(current, d, finish)
        span = (last - begin).astype(np.int64)
        start = np.where(main, begin, begin + _days(np.floor(rng.random(m) * span)))
        later = d + rng.integers(0, 730, m).astype("timedelta64[D]")
        open_end = np.where(rng.random(m) < 0.55, np.datetime64("NaT"), later)
        rest = (last - start).astype(np.int64)
        ended = np.where(main, finish, start + _days(np.ceil(rng.random(m) * rest)))
        end = np.where(current, open_end, ended)
        hh = episodes.hh[rows]
        person = _person_for(rng, pop, hh, domain)
        soort, aanbieder, cents = _kinds(rng, domain, m)
        if domain == "ISD":
            kinds = np.array(list(_CBS_KIND_SHARES), dtype=object)
            shares = np.array(list(_CBS_KIND_SHARES.values()))
            soort[main] = kinds[rng.choice(len(kinds), size=int(main.sum()), p=shares)]
            soort = _fix_age_bound_kinds(soort, pop.p_age[person])
        frames.append(
            pd.DataFrame(
                {
                    "bsn": pop.p_bsn[person],
                    "domein": domain,
                    "soort": soort,
                    "start": start,
                    "einde": end,
                    "aanbieder": aanbieder,
                    "maatwerk": rng.random(m) < 0.12,
                    "kosten_per_maand": cents / 100,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "bron_id", "VZ" + pd.Series(np.arange(1, len(out) + 1)).astype(str).str.zfill(8))
    return out
