"""Debts (schulden) the gemeente can know, and only those.

A gemeente sees a creditor-level debt through one of three routes, so the synthetic data
have no other debts:

- its own claims: ISD BOL terugvorderingen and boetes (calibrated to the K2 report: 349
  debtors owing about EUR 1.1 M of EUR 1.5 M principal per 13,500 households);
- schuldhulpverlening: a household with a schuldhulpverlening provision has its creditors
  in the dossier (a few debts from before the help started, mostly in a regeling);
- an arrears signal (Wgs vroegsignalering): the creditor that reported a huur-, energie-,
  zorgverzekerings- or waterachterstand is owed the arrear from a little before the report.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data import reference as ref
from data.debt_history import HISTORY_YEARS
from data.population import Population
from data.provisions import AOW_AGE, DOMAIN_BIT, weighted_pick

__all__ = ["ARREARS_CREDITOR", "make_isd_claims", "make_known_debts"]

# arrears signal kind -> the creditor that reports it (data/events.py SIGNALS)
ARREARS_CREDITOR = {
    "huurachterstand": "Weller Wonen",
    "energieachterstand": "Essent energieleverancier",
    "zorgverzekeringsachterstand": "VGZ zorgverzekeraar",
    "waterachterstand": "WML waterbedrijf",
}
_MEDIAN = {name: median for name, _, median in ref.CREDITORS}


def _adult_persons(pop: Population) -> np.ndarray:
    return np.flatnonzero((pop.p_role != 2) & (pop.p_age >= 18))


NaT = np.datetime64("NaT", "D")
CLAIM_MEAN_DAYS = 912  # an ISD claim is open for 2.5 years on average (exponential)
PAID_CLAIM_DAYS = (HISTORY_YEARS + 1) * 365  # paid-off claims kept: the schuldstanden years


def _days(values) -> np.ndarray:
    return np.asarray(values).astype(np.int64).astype("timedelta64[D]")


def make_isd_claims(rng: np.random.Generator, pop: Population, combos: np.ndarray, d):
    """ISD claims: ``(debtor person, creditor, principal, open, sinds, paid_on)`` (cents, days).

    The open ones are calibrated to K2; the paid-off ones are the claims before them in a
    stationary stock (arrivals at the rate that keeps the number open constant, exponential
    lengths), so the number of ISD debtors on every past date is today's up to noise.
    """
    scale = len(combos) / ref.DEFAULT_HOUSEHOLDS
    adults = _adult_persons(pop)
    w = np.where(combos[pop.p_household[adults]] & DOMAIN_BIT["ISD"], 8.0, 1.0)
    w = np.where(pop.p_age[adults] >= AOW_AGE, w * 0.3, w)
    # open ISD claims: exact debtor count, principal scaled to the target total
    k = round(ref.ISD_DEBTORS_PER_13500 * scale)
    debtors = adults[weighted_pick(rng, w, k)]
    principal = rng.lognormal(0.0, 0.8, len(debtors))
    principal = principal / principal.sum() * ref.ISD_PRINCIPAL_PER_13500 * scale
    p_cent = np.maximum(np.rint(principal * 100).astype(np.int64), 5_000)
    frac = rng.beta(4.0, 1.45, len(debtors))
    o_cent = np.clip(np.rint(p_cent * frac).astype(np.int64), 100, p_cent)
    creditor = np.where(rng.random(len(debtors)) < 0.85, "ISD BOL terugvordering", "ISD BOL boete")
    since = d - _days(np.clip(rng.exponential(CLAIM_MEAN_DAYS, len(debtors)), 30, 8 * 365))
    # paid-off ISD claims: arrivals long before, paid off in the schuldstanden years
    span = PAID_CLAIM_DAYS + 4 * CLAIM_MEAN_DAYS
    arrivals = rng.poisson(k / CLAIM_MEAN_DAYS * span)
    begun = d - _days(rng.integers(1, span, arrivals))
    paid_on = begun + _days(np.maximum(rng.exponential(CLAIM_MEAN_DAYS, arrivals), 30))
    keep = (paid_on < d) & (paid_on >= d - np.timedelta64(PAID_CLAIM_DAYS, "D"))
    begun, paid_on = begun[keep], paid_on[keep]
    paid = adults[rng.choice(len(adults), size=len(begun), p=w / w.sum())]
    p2 = np.rint(rng.lognormal(7.6, 0.8, len(paid)) * 100).astype(np.int64)
    return (
        np.concatenate([debtors, paid]),
        np.concatenate([creditor, np.full(len(paid), "ISD BOL terugvordering")]).astype(object),
        np.concatenate([p_cent, p2]),
        np.concatenate([o_cent, np.zeros_like(p2)]),
        np.concatenate([since, begun]),
        np.concatenate([np.full(len(debtors), NaT), paid_on]),
    )


def _schuldhulp_debts(rng, pop: Population, provisions: pd.DataFrame, d: np.datetime64):
    """The creditors in the dossier of every schuldhulpverlening provision. When the
    provision ended, the regeling ended with a schone lei: every debt reached 0 then."""
    shv = provisions[provisions["soort"] == "schuldhulpverlening"]
    person_of = pd.Series(np.arange(len(pop.p_bsn)), index=pop.p_bsn)
    person = person_of.reindex(shv["bsn"]).to_numpy(dtype=np.int64)
    start = shv["start"].to_numpy().astype("datetime64[D]")
    end = shv["einde"].to_numpy().astype("datetime64[D]")
    ended = ~np.isnat(end) & (end < d)
    count = 2 + rng.poisson(2.0, len(shv))
    row = np.repeat(np.arange(len(shv)), count)
    m = len(row)
    names = np.array([c[0] for c in ref.CREDITORS], dtype=object)
    shares = np.array([c[1] for c in ref.CREDITORS])
    medians = np.array([c[2] for c in ref.CREDITORS], dtype=float)
    ci = rng.choice(len(names), size=m, p=shares / shares.sum())
    principal = np.rint(medians[ci] * rng.lognormal(0.0, 0.7, m) * 100).astype(np.int64)
    left = np.maximum(np.rint(principal * rng.beta(3, 1.5, m)).astype(np.int64), 100)
    since = start[row] - _days(rng.integers(60, 3 * 365, m))
    in_plan = rng.random(m) < 0.75
    paid_on = np.where(ended[row], end[row], NaT)
    return person[row], names[ci], principal, np.where(ended[row], 0, left), since, in_plan, paid_on


def _arrears_debts(rng, pop: Population, hh_of_id: pd.Series, signals: pd.DataFrame, d):
    """One debt per arrears signal, to the creditor that reported it: paid soon after the
    signal was closed, or (one in seven) through a payment plan of about a year."""
    sg = signals[signals["soort"].isin(list(ARREARS_CREDITOR))]
    m = len(sg)
    person = pop.hh_first[hh_of_id.reindex(sg["huishouden_id"]).to_numpy(dtype=np.int64)]
    creditor = sg["soort"].map(ARREARS_CREDITOR).to_numpy(dtype=object)
    median = np.array([_MEDIAN[c] for c in creditor], dtype=float)
    principal = np.rint(median * rng.lognormal(0.0, 0.5, m) * 100).astype(np.int64)
    left = np.maximum(np.rint(principal * rng.beta(3, 1.5, m)).astype(np.int64), 100)
    reported = sg["gemeld_op"].to_numpy().astype("datetime64[D]")
    closed = sg["gesloten_op"].to_numpy().astype("datetime64[D]")
    plan = rng.random(m) < 1 / 7
    after = np.where(plan, 60 + rng.exponential(365, m), rng.integers(0, 60, m))
    paid_on = closed + _days(after)  # NaT while the signal is open
    paid = ~np.isnat(paid_on) & (paid_on < d)
    since = reported - _days(rng.integers(30, 150, m))
    return (person, creditor, principal, np.where(paid, 0, left), since,
            plan & ~np.isnat(closed), np.where(paid, paid_on, NaT))  # fmt: skip


def make_known_debts(
    rng: np.random.Generator,
    pop: Population,
    isd_claims: tuple,
    provisions: pd.DataFrame,
    signals: pd.DataFrame,
    reference_date: dt.date,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Every debt the gemeente knows (ISD claims, schuldhulp dossiers, arrears signals) and,
    per debt, the day a paid-off one reached 0 (NaT: open; for the schuldstanden)."""
    d = np.datetime64(reference_date, "D")
    person, creditor, p_cent, o_cent, since, paid_on = isd_claims
    isd = (person, creditor, p_cent, o_cent, since, rng.random(len(person)) < 0.3, paid_on)
    hh_of_id = pd.Series(np.arange(len(pop.hh_id)), index=pop.hh_id)
    parts = (isd, _schuldhulp_debts(rng, pop, provisions, d),
             _arrears_debts(rng, pop, hh_of_id, signals, d))  # fmt: skip
    frames = [
        pd.DataFrame(
            {
                "bsn": pop.p_bsn[who],
                "schuldeiser": np.asarray(cred, dtype=object),
                "hoofdsom": p_c / 100,
                "openstaand": o_c / 100,
                "sinds": np.minimum(since, d - np.timedelta64(1, "D")).astype("datetime64[s]"),
                "in_regeling": plan,
            }
        )
        for who, cred, p_c, o_c, since, plan, _ in parts
    ]
    out = pd.concat(frames, ignore_index=True)
    paid_on = np.concatenate([part[6] for part in parts]).astype("datetime64[D]")
    # debts paid off before the schuldstanden years are history nobody reads: left out
    keep = np.isnat(paid_on) | (paid_on >= d - np.timedelta64(PAID_CLAIM_DAYS, "D"))
    out, paid_on = out[keep].reset_index(drop=True), paid_on[keep]
    out.insert(0, "bron_id", "SC" + pd.Series(np.arange(1, len(out) + 1)).astype(str).str.zfill(8))
    return out, paid_on
