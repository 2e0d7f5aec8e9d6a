"""Demo inflows: plausible debt histories and a Wgs follow-up on the arrears signals."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from coordination.signals import offer_within_norm
from data.demo_inflows import seed_wgs_follow_up
from data.load import load
from households.db import session_scope
from households.models import ARREARS_SIGNAL_KINDS, Signal
from tests.data.conftest import REFERENCE_DATE


def test_snapshots_end_at_todays_amount_and_follow_the_plan(small):
    snaps, debts = small.debt_snapshots, small.debts.set_index("bron_id")
    assert set(snaps["bron_id"]) == set(debts.index)
    last = snaps.sort_values("peildatum").groupby("bron_id").last()
    assert np.allclose(last["openstaand"], debts.loc[last.index, "openstaand"])
    assert (last["peildatum"] == np.datetime64(REFERENCE_DATE)).all()
    first = snaps.sort_values("peildatum").groupby("bron_id").first()
    plan = debts.loc[first.index, "in_regeling"].to_numpy(dtype=bool)
    # payment plans run down, arrears grow: compare first and last amounts per debt
    a, z = first["openstaand"].to_numpy(), last["openstaand"].to_numpy()
    assert (a[plan] >= z[plan]).all()
    grows = ~plan & (z > 0)
    assert (a[grows] <= z[grows]).all() and (a[grows] < z[grows]).any()
    assert snaps.groupby("bron_id").size().max() <= 22  # quarterly, HISTORY_YEARS + today


def test_wgs_follow_up_is_seeded_before_today(small, engine):
    load(engine, small)
    with session_scope(engine) as session:
        offered = seed_wgs_follow_up(session, seed=1, today=REFERENCE_DATE)
    with session_scope(engine) as session:
        signals = session.scalars(
            select(Signal).where(Signal.soort.in_(ARREARS_SIGNAL_KINDS))
        ).all()
    assert offered == sum(s.hulp_aangeboden_op is not None for s in signals) > 0
    for s in signals:
        dates = [d for d in (s.contact_gezocht_op, s.hulp_aangeboden_op, s.aanvaard_op,
                             s.geweigerd_op) if d is not None]  # fmt: skip
        assert all(s.gemeld_op <= d <= REFERENCE_DATE for d in dates)
        assert not (s.aanvaard_op and s.geweigerd_op)
    within = sum(offer_within_norm(s) for s in signals)
    assert 0 < within < offered
