"""Synthetic debt history (schuldstanden, DESIGN 5.4): quarterly amounts for every debt.

Each debt gets a schuldstand at every quarter end of the five years up to the reference
date on which it existed, one on its ``sinds`` when that lies in those years, and one on
the reference date (its current ``openstaand``). Trajectories are plausible, not random
walks: a debt in a payment plan (``in_regeling``) or paid off runs down from its principal
to today's amount (a paid-off one reaches 0 before today); other debts are arrears that
grew to today's amount from 40% of it. Deterministic: no random numbers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["HISTORY_YEARS", "make_debt_snapshots", "quarter_ends_between"]

HISTORY_YEARS = 5  # the KISS trend shows 20 quarters: every one of them has debt history
ARREARS_START_SHARE = 0.4  # arrears not in a plan grew to today's amount from this share
PAID_OFF_AT = 0.8  # a paid-off debt reached 0 at this share of its life up to today


def quarter_ends_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The quarter ends (31-3, 30-6, 30-9, 31-12) in ``first .. last``, both included.

    >>> quarter_ends_between(dt.date(2025, 3, 31), dt.date(2025, 12, 30))
    [datetime.date(2025, 3, 31), datetime.date(2025, 6, 30), datetime.date(2025, 9, 30)]
    """
    ends = []
    for year in range(first.year, last.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            q = dt.date(year, month, day)
            if first <= q <= last:
                ends.append(q)
    return ends


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes the 28th).

    >>> _years_before(dt.date(2028, 2, 29), 5)
    datetime.date(2023, 2, 28)
    """
    return day.replace(year=day.year - years, day=min(day.day, 28) if day.month == 2 else day.day)


def _amounts(principal, current, plan_or_paid, paid_off, fraction, paid_share) -> np.ndarray:
    """Cents on each snapshot; ``fraction`` is how far along from ``sinds`` to today (0..1),
    ``paid_share`` how far along from ``sinds`` to the day a paid-off debt reached 0."""
    down = np.where(paid_off, np.minimum(paid_share, 1.0), fraction)
    start = np.where(plan_or_paid, principal, np.rint(current * ARREARS_START_SHARE))
    amount = start + (current - start) * np.where(plan_or_paid, down, fraction)
    return np.maximum(np.rint(amount), 0).astype(np.int64)


def make_debt_snapshots(
    debts: pd.DataFrame, reference_date: dt.date, paid_on: np.ndarray | None = None
) -> pd.DataFrame:
    """Schuldstanden of ``debts`` (the generator's frame): ``bron_id, peildatum, openstaand``.

    ``paid_on`` (per debt, ``datetime64``; NaT: unknown) is the day a paid-off debt reached 0;
    without it a paid-off debt reaches 0 at :data:`PAID_OFF_AT` of its life up to today.

    >>> debts = pd.DataFrame({"bron_id": ["S1"], "hoofdsom": [1000.0], "openstaand": [400.0],
    ...     "sinds": [pd.Timestamp("2026-01-01")], "in_regeling": [True]})
    >>> make_debt_snapshots(debts, dt.date(2026, 7, 1))["openstaand"].tolist()
    [1000.0, 704.97, 403.31, 400.0]
    """
    day = np.datetime64(reference_date, "D")
    first = _years_before(reference_date, HISTORY_YEARS)
    quarters = np.array(quarter_ends_between(first, reference_date - dt.timedelta(days=1)),
                        dtype="datetime64[D]")  # fmt: skip
    sinds = debts["sinds"].to_numpy().astype("datetime64[D]")
    n, k = len(debts), len(quarters)
    # every (debt, quarter end) after the debt began, plus sinds (in the window) and today
    dates = np.concatenate([np.tile(quarters, n), sinds, np.full(n, day)])
    rows = np.concatenate([np.repeat(np.arange(n), k), np.arange(n), np.arange(n)])
    keep = (dates >= sinds[rows]) & (dates >= np.datetime64(first, "D")) & (dates <= day)
    dates, rows = dates[keep], rows[keep]
    frame = pd.DataFrame({"row": rows, "peildatum": dates}).drop_duplicates()
    frame = frame.sort_values(["row", "peildatum"], kind="stable")
    rows, dates = frame["row"].to_numpy(), frame["peildatum"].to_numpy().astype("datetime64[D]")
    life = (day - sinds[rows]).astype(np.int64)
    fraction = np.where(life > 0, (dates - sinds[rows]).astype(np.int64) / np.maximum(life, 1), 1.0)
    principal = np.rint(debts["hoofdsom"].to_numpy(dtype=float) * 100)[rows]
    current = np.rint(debts["openstaand"].to_numpy(dtype=float) * 100)[rows]
    in_plan = debts["in_regeling"].to_numpy(dtype=bool)[rows]
    paid_off = current == 0
    paid_share = fraction / PAID_OFF_AT
    if paid_on is not None:
        until = np.asarray(paid_on, dtype="datetime64[D]")[rows]
        span = np.maximum((until - sinds[rows]).astype(np.int64), 1)
        known = ~np.isnat(until)
        paid_share = np.where(known, (dates - sinds[rows]).astype(np.int64) / span, paid_share)
    cents = _amounts(principal, current, in_plan | paid_off, paid_off, fraction, paid_share)
    return pd.DataFrame(
        {
            "bron_id": debts["bron_id"].to_numpy(dtype=object)[rows],
            "peildatum": dates.astype("datetime64[s]"),
            "openstaand": cents / 100,
        }
    ).reset_index(drop=True)
