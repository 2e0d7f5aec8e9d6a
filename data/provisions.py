"""Provisions (voorzieningen) and debts (schulden) for a synthetic population.

The domain combination of households with an active provision on the
reference date is assigned by quota (counts derived from CBS 85637NED), so
the shares hold exactly up to rounding; which households get a combination
is a weighted random choice. ISD claims are calibrated to the K2 report.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data import reference as ref
from data.population import Population, T

__all__ = [
    "combination_quota",
    "weighted_pick",
    "assign_combinations",
    "make_provisions",
    "make_debts",
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


def assign_combinations(rng: np.random.Generator, pop: Population) -> np.ndarray:
    """Bitmask of active domains per household (WMO=1, JEUGD=2, ISD=4), by quota."""
    n = len(pop.hh_type)
    t = pop.hh_type
    elderly = np.isin(t, [T["alleenstaand_oudere"], T["paar_oudere"]])
    w_wmo = np.where(elderly, 4.0, 1.0)
    w_isd = np.select([np.isin(t, [T["alleenstaand"], T["eenouder"]]), elderly], [3.0, 0.25], 1.0)
    w_isd = np.where(_working_age_couple(pop).any(axis=1), w_isd, 0.0)  # above AOW age: SVB
    w_jeugd = np.where(pop.hh_children > 0, np.where(t == T["eenouder"], 2.0, 1.0), 0.0)
    mask = np.zeros(n, dtype=np.int64)
    quota = combination_quota(n)
    # youth combinations first: they need households with children
    order = sorted(quota, key=lambda c: ("JEUGD" not in c, -c.count("+")))
    for combo in order:
        domains = combo.split("+")
        w = np.ones(n)
        for d in domains:
            w *= {"WMO": w_wmo, "JEUGD": w_jeugd, "ISD": w_isd}[d]
        w[mask > 0] = 0.0
        chosen = weighted_pick(rng, w, quota[combo])
        mask[chosen] = sum(DOMAIN_BIT[d] for d in domains)
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


def _first_is_cbs(rng: np.random.Generator, rows: np.ndarray, soort: np.ndarray) -> np.ndarray:
    """The first active ISD provision of each household is a Participatiewet kind, so the
    households in the ISD combinations are those CBS counts (85637NED); minima, bijzondere
    bijstand, IIT and schuldhulp come on top."""
    soort = soort.copy()
    first = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, dtype=bool)
    kinds = np.array(list(_CBS_KIND_SHARES), dtype=object)
    shares = np.array(list(_CBS_KIND_SHARES.values()))
    soort[first] = kinds[rng.choice(len(kinds), size=int(first.sum()), p=shares)]
    return soort


def make_provisions(
    rng: np.random.Generator, pop: Population, combos: np.ndarray, reference_date: dt.date
) -> pd.DataFrame:
    """Active provisions matching ``combos`` plus ended provisions in the past."""
    d = np.datetime64(reference_date, "D")
    n = len(combos)
    parts = []
    for domain, bit in DOMAIN_BIT.items():
        hh = np.flatnonzero(combos & bit)
        extra = {"WMO": (0.45, 0.15), "JEUGD": (0.25, 0.05), "ISD": (0.40, 0.15)}[domain]
        count = 1 + (rng.random(len(hh)) < extra[0]) + (rng.random(len(hh)) < extra[1])
        rows = np.repeat(hh, count)
        m = len(rows)
        start = d - np.minimum(rng.exponential(700, m), 3650).astype("timedelta64[D]")
        open_end = rng.random(m) < 0.55
        end = d + rng.integers(0, 730, m).astype("timedelta64[D]")
        end = np.where(open_end, np.datetime64("NaT"), end)
        parts.append((domain, rows, start, end))
    # ended provisions: about one in four households has some history
    hist = np.flatnonzero(rng.random(n) < 0.25)
    hist = np.repeat(hist, 1 + (rng.random(len(hist)) < 0.3))
    dom = rng.choice(3, size=len(hist), p=[0.45, 0.15, 0.40])
    dom = np.where((dom == 1) & (pop.hh_children[hist] == 0), 2, dom)
    end = d - rng.integers(1, 6 * 365, len(hist)).astype("timedelta64[D]")
    start = end - rng.integers(30, 3 * 365, len(hist)).astype("timedelta64[D]")
    for i, domain in enumerate(DOMAIN_BIT):
        m = dom == i
        parts.append((domain, hist[m], start[m], end[m]))

    frames = []
    for k, (domain, rows, start, end) in enumerate(parts):
        person = _person_for(rng, pop, rows, domain)
        soort, aanbieder, cents = _kinds(rng, domain, len(rows))
        if domain == "ISD":
            if k < len(DOMAIN_BIT):  # the active stock (not the ended history)
                soort = _first_is_cbs(rng, rows, soort)
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
                    "maatwerk": rng.random(len(rows)) < 0.12,
                    "kosten_per_maand": cents / 100,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "bron_id", "VZ" + pd.Series(np.arange(1, len(out) + 1)).astype(str).str.zfill(8))
    return out


def _adult_persons(pop: Population) -> np.ndarray:
    return np.flatnonzero((pop.p_role != 2) & (pop.p_age >= 18))


def make_debts(
    rng: np.random.Generator, pop: Population, combos: np.ndarray, reference_date: dt.date
) -> tuple[pd.DataFrame, np.ndarray]:
    """ISD claims calibrated to the K2 report plus debts to other creditors.

    Returns the frame and, per debt row, the index of the debtor in the population.
    """
    d = np.datetime64(reference_date, "D")
    n = len(combos)
    scale = n / ref.DEFAULT_HOUSEHOLDS
    adults = _adult_persons(pop)
    hh_of = pop.p_household[adults]
    w = np.where(combos[hh_of] & DOMAIN_BIT["ISD"], 8.0, 1.0)
    w = np.where(pop.p_age[adults] >= 67, w * 0.3, w)

    # open ISD claims: exact debtor count, principal scaled to the target total
    k = round(ref.ISD_DEBTORS_PER_13500 * scale)
    debtors = adults[weighted_pick(rng, w, k)]
    principal = rng.lognormal(0.0, 0.8, len(debtors))
    principal = principal / principal.sum() * ref.ISD_PRINCIPAL_PER_13500 * scale
    p_cent = np.maximum(np.rint(principal * 100).astype(np.int64), 5_000)
    frac = rng.beta(4.0, 1.45, len(debtors))
    o_cent = np.clip(np.rint(p_cent * frac).astype(np.int64), 100, p_cent)
    creditor = np.where(rng.random(len(debtors)) < 0.85, "ISD BOL terugvordering", "ISD BOL boete")
    isd_open = (debtors, creditor, p_cent, o_cent)

    # paid-off ISD claims (not open: openstaand 0)
    paid = adults[weighted_pick(rng, w, round(0.4 * k))]
    p2 = np.rint(rng.lognormal(7.6, 0.8, len(paid)) * 100).astype(np.int64)
    isd_paid = (paid, np.full(len(paid), "ISD BOL terugvordering"), p2, np.zeros_like(p2))

    # other creditors: about one household in ten, far more often with ISD
    w_hh = np.where(combos & DOMAIN_BIT["ISD"], 5.0, 1.0)
    w_hh = np.where(
        np.isin(pop.hh_type, [T["alleenstaand_oudere"], T["paar_oudere"]]), w_hh * 0.3, w_hh
    )
    hh = weighted_pick(rng, w_hh, round(0.10 * n))
    hh = np.repeat(hh, 1 + rng.poisson(1.0, len(hh)))
    names = np.array([c[0] for c in ref.CREDITORS], dtype=object)
    shares = np.array([c[1] for c in ref.CREDITORS])
    medians = np.array([c[2] for c in ref.CREDITORS], dtype=float)
    ci = rng.choice(len(names), size=len(hh), p=shares / shares.sum())
    p3 = np.rint(medians[ci] * rng.lognormal(0.0, 0.7, len(hh)) * 100).astype(np.int64)
    o3 = np.where(rng.random(len(hh)) < 0.15, 0, np.rint(p3 * rng.beta(3, 1.5, len(hh))))
    other = (pop.hh_first[hh], names[ci], p3, o3.astype(np.int64))

    frames = []
    for persons, creditor, p_c, o_c in (isd_open, isd_paid, other):
        m = len(persons)
        frames.append(
            pd.DataFrame(
                {
                    "bsn": pop.p_bsn[persons],
                    "schuldeiser": np.asarray(creditor, dtype=object),
                    "hoofdsom": p_c / 100,
                    "openstaand": o_c / 100,
                    "sinds": d - rng.integers(30, 8 * 365, m).astype("timedelta64[D]"),
                    "in_regeling": rng.random(m) < 0.3,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "bron_id", "SC" + pd.Series(np.arange(1, len(out) + 1)).astype(str).str.zfill(8))
    return out, np.concatenate([isd_open[0], isd_paid[0], other[0]])
