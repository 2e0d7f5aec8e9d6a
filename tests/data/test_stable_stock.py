"""A stable demo stock: the quarterly trend of the steering overview is flat (data/episodes.py).

Before, the generator drew today's stock with start dates backwards, so households with a
provision grew from 1,516 (2021-K4) to 3,446 and a steering team would have read an
explosion of need. Now every current spell had predecessors: the trend over the 20 quarters
(coordination.overview, the one home of the steering figures) is flat within ±15% of its
mean, on the database, for households with a provision, CBS-stacked and locally stacked
households and ISD debtors; complex households (a few dozen, so noisier) within ±20%.

The debt lines are flat because a debt is open on a past date by its schuldstand on that
date (households.periods.debt_outstanding, DESIGN 4.1) and the demo has five years of
schuldstanden (data/debt_history.py); before, today's amount was counted backwards.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from coordination.overview import steering_overview
from data.generator import generate
from data.load import load
from households.actor import SYSTEM
from households.db import session_scope
from tests.data.stacking_check import household_stacking

DAY = dt.date(2026, 10, 31)
TOLERANCE = 0.15  # every quarter within ±15% of the mean of the 20 quarters


def _flat(values: list[int]) -> float:
    """The largest relative deviation from the mean."""
    v = np.asarray(values, dtype=float)
    return float(np.max(np.abs(v / v.mean() - 1.0)))


@pytest.mark.slow
def test_the_steering_trend_is_flat_over_five_years(engine):
    load(engine, generate(4_000, seed=5, reference_date=DAY))
    with session_scope(engine) as s:
        trend = steering_overview(s, SYSTEM, DAY)["trend"]
    assert len(trend) == 20 and trend[0]["kwartaal"] == "2021-K4"
    for key, tolerance in (
        ("households_with_provision", TOLERANCE),
        ("stacked_cbs", TOLERANCE),
        ("stacked", TOLERANCE),
        ("isd_debtors", TOLERANCE),
        ("complex", 0.2),
    ):
        values = [row[key] for row in trend]
        assert all(isinstance(x, int) and x >= 5 for x in values), (key, values)  # published
        assert _flat(values) <= tolerance, (key, values)


def test_every_quarter_has_todays_stock_in_the_frames(brunssum):
    # the same on the generated frames, for the default size (no database)
    day = brunssum.reference_date
    quarters = [dt.date(day.year - k // 4, 3 * (k % 4) + 1, 1) - dt.timedelta(days=1)
                for k in range(0, 20, 3)]  # fmt: skip
    with_help, cbs = [], []
    for q in quarters:
        st = household_stacking(brunssum, q)
        with_help.append(int((st["n_domains"] > 0).sum()))
        cbs.append(int(st["domains_cbs"].str.contains("+", regex=False).sum()))
    assert _flat(with_help) <= 0.05 and _flat(cbs) <= TOLERANCE, (with_help, cbs)
