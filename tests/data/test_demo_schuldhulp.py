"""Demo schuldhulp: report shares, consistent with debts and signals, norms on the worklist."""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import func, select

from coordination.schuldhulp import deadlines
from coordination.shv_data import trajectory_rows
from coordination.shv_rules import ARRANGEMENT_STEPS, TRANSITIONS
from coordination.shvmodels import DebtInArrangement, DebtTrajectory
from data.demo_schuldhulp import ZONDER_VERVOLG, _Path, per_quarter, seed_schuldhulp
from data.load import load
from households.db import session_scope
from households.models import Debt, Household, Person, Signal
from tests.builders import add_regie, make_user
from tests.data.conftest import REFERENCE_DATE


def test_paths_follow_the_quarterly_report():
    rng = np.random.Generator(np.random.PCG64(1))
    start, far = dt.date(2020, 1, 6), dt.date(2030, 1, 1)
    paths = [_Path(rng, start, True, False).until(far) for _ in range(4000)]
    none = [p for p in paths if p[1] == "geen_vervolg"]
    assert abs(len(none) / len(paths) - ZONDER_VERVOLG) < 0.03
    waits = [
        (dict(s)["eerste_gesprek"] - start).days for s, _ in paths if dict(s).get("eerste_gesprek")
    ]
    assert 11 <= np.mean(waits) <= 13  # "gemiddeld 12 dagen"
    assert 0.72 <= np.mean(np.array(waits) <= 14) <= 0.78  # "75% binnen 14 dagen"
    for steps, _ in paths:  # every path follows the rules
        for (a, da), (b, db) in zip(steps, steps[1:], strict=False):
            assert b in TRANSITIONS[a] and db >= da
    assert per_quarter(27_000) == 53


def test_demo_is_consistent_with_debts_signals_and_the_worklist(small, engine):
    load(engine, small)
    today = REFERENCE_DATE
    with session_scope(engine) as session:
        gbd = make_user(session, "bram", "gbd")
        hids = session.scalars(select(Person.household_id).distinct().limit(6)).all()
        for h in hids:
            add_regie(session, session.get(Household, h), gbd, start=today - dt.timedelta(days=100))
    with session_scope(engine) as session:
        counts = seed_schuldhulp(session, seed=3, today=today)
    assert counts["trajecten"] > 10
    with session_scope(engine) as session:
        assert seed_schuldhulp(session, seed=3, today=today) == {"trajecten": 0}
        rows = trajectory_rows(session, today)
        assert len(rows) == counts["trajecten"]
        for r in rows:
            assert all(d <= today for _, d in r.stappen) and r.stap == r.stappen[-1][0]
            if any(s in ARRANGEMENT_STEPS for s, _ in r.stappen):
                assert r.schulden_in_regeling >= 1
        # debts in the arrangement belong to the household's members
        wrong = session.scalar(
            select(func.count()).select_from(DebtInArrangement)
            .join(DebtTrajectory, DebtTrajectory.id == DebtInArrangement.traject_id)
            .join(Debt, Debt.id == DebtInArrangement.debt_id)
            .join(Person, Person.id == Debt.person_id)
            .where(Person.household_id != DebtTrajectory.household_id)
        )  # fmt: skip
        assert wrong == 0
        for t in session.scalars(select(DebtTrajectory).where(DebtTrajectory.bron == "signaal")):
            signal = session.get(Signal, t.signal_id)
            assert signal.household_id == t.household_id and signal.gemeld_op <= t.aangemeld_op
        states = {(d.norm, d.status) for d in deadlines(session, gbd, today=today)}
        assert ("shv_crisis", "waarschuwing") in states
        assert ("shv_eerste_gesprek", "waarschuwing") in states
        assert ("shv_eerste_gesprek", "te_laat") in states
        assert ("shv_plan_van_aanpak", "waarschuwing") in states
    with session_scope(engine) as session:  # the app's next aanmelding gets a fresh id
        free = session.scalar(
            select(Household.id).where(Household.id.not_in(select(DebtTrajectory.household_id)))
        )
        t = DebtTrajectory(household_id=free, bron="zelf", aangemeld_op=today, stap="aanmelding",
                           stap_sinds=today, crisis=False)  # fmt: skip
        session.add(t)
        session.flush()
        assert t.id > max(r.traject_id for r in rows)
