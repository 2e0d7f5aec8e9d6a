"""Steering figures on the demo data: the complex group is the "kleinere groep" of K2."""

from __future__ import annotations

import datetime as dt

import pytest

from coordination.overview import steering_overview
from coordination.stacking import stacking_table
from data.demo import run_demo
from households.actor import SYSTEM
from households.db import session_scope

DAY = dt.date(2026, 10, 31)


@pytest.mark.slow
def test_default_rules_pick_out_1_to_3_percent_of_the_demo_households(engine):
    run_demo(engine, reference_date=DAY)  # the default size, 13,500 households
    with session_scope(engine) as s:
        table = stacking_table(s, DAY)
        share = table["complex"].mean()
        assert 0.01 <= share <= 0.03, share
        # safety first: every household with an open safety signal is complex
        safety = table["complex_reasons"].str.contains("veiligheidssignaal")
        assert safety.sum() > 0 and table.loc[safety, "complex"].all()
        # CBS stacking is the smaller, comparable figure; local stacking includes it
        assert (table["stacked_cbs"] <= table["stacked"]).all()
        assert 0 < table["stacked_cbs"].sum() < table["stacked"].sum()
        ov = steering_overview(s, SYSTEM, DAY)
        assert ov["withheld"] is None and ov["synthetic"] is True
        assert ov["complex"] == int(table["complex"].sum())
