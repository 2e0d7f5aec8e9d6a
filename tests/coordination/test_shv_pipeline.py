"""The KISS schuldhulp pipeline on hand-made trajectories: counts, norm share, protection."""

from __future__ import annotations

import datetime as dt

import pytest

from coordination.intervals import feasible_intervals, relations_of
from coordination.shv_pipeline import (
    ROWS,
    pipeline_counts,
    pipeline_relations,
    pipeline_table,
    published_years,
    quarter_bounds,
    shv_pipeline,
)
from coordination.shv_read import trajectory_frames
from coordination.shvmodels import DebtTrajectory, DebtTrajectoryStep
from coordination.suppression import TOTAL, is_hidden
from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent
from tests.builders import household_with_persons

TODAY = dt.date(2026, 11, 26)  # K1-K3 of 2026 are complete


def trajectory(session, wijk, aangemeld, steps=(), bron="zelf", crisis=None, einde=None):
    """A trajectory with its step rows ``[(stap, datum)]``; ``einde = (datum, reden)``."""
    h, _ = household_with_persons(session, wijk=wijk)
    last = ("aanmelding", aangemeld)
    t = DebtTrajectory(
        household_id=h.id, bron=bron, aangemeld_op=aangemeld, stap="aanmelding",
        stap_sinds=aangemeld, crisis=crisis is not None, crisis_soort=crisis,
    )  # fmt: skip
    session.add(t)
    session.flush()
    session.add(DebtTrajectoryStep(traject_id=t.id, stap="aanmelding", datum=aangemeld))
    for stap, datum in steps:
        session.add(DebtTrajectoryStep(traject_id=t.id, stap=stap, datum=datum))
        last = (stap, datum)
    if einde is not None:
        session.add(DebtTrajectoryStep(traject_id=t.id, stap="beeindigd", datum=einde[0]))
        last = ("beeindigd", einde[0])
        t.beeindigd_op, t.reden_einde = einde
    t.stap, t.stap_sinds = last
    session.flush()
    return t


def world(session, zuid=True, carried=True):
    """Noord: 20 aanmeldingen in K1 2026 — 10 spoken to within 14 days (zelf), 5 after 20
    days (signaal), 5 ended without follow-up (gbd); with ``carried`` one budgetbeheer since
    July 2024 (re-assessment due in K1 2026; a stock of 1 at the end of 2025, which makes
    cells of K1 2026 hidden with it). Zuid: 2 crisis aanmeldingen (small cells)."""
    d = dt.date(2026, 1, 5)
    for _ in range(10):
        trajectory(session, "Noord", d, [("eerste_gesprek", d + dt.timedelta(days=10)),
                                         ("plan_van_aanpak", dt.date(2026, 2, 20))])  # fmt: skip
    for _ in range(5):
        trajectory(session, "Noord", d, [("eerste_gesprek", d + dt.timedelta(days=20))],
                   bron="signaal")  # fmt: skip
    for _ in range(5):
        trajectory(session, "Noord", d, einde=(dt.date(2026, 2, 1), "geen_vervolg"), bron="gbd")
    if carried:
        trajectory(session, "Noord", dt.date(2024, 5, 1),
                   [("eerste_gesprek", dt.date(2024, 5, 8)),
                    ("plan_van_aanpak", dt.date(2024, 6, 1)),
                    ("budgetbeheer", dt.date(2024, 7, 1))])  # fmt: skip
    if zuid:
        for _ in range(2):
            trajectory(session, "Zuid", dt.date(2026, 2, 2),
                       [("eerste_gesprek", dt.date(2026, 2, 5))], crisis="ontruiming")  # fmt: skip
    session.commit()


def test_counts(session):
    world(session)
    t, steps = trajectory_frames(session)
    norms = {"shv_eerste_gesprek": (14, False), "shv_crisis": (3, True),
             "shv_herbeoordeling_budgetbeheer": (548, False)}  # fmt: skip
    start, end = quarter_bounds(2026, 1)
    c = pipeline_counts(t, steps, start, end, norms)
    assert (c["aanmeldingen"], c["bron_zelf"], c["bron_signaal"], c["bron_gbd"]) == (22, 12, 5, 5)
    assert (c["intake"], c["zonder_vervolg"], c["wachtend"], c["crisis"]) == (17, 5, 0, 2)
    # 10 within 14 days, 5 too late, the 2 crisis ones within 3 working days
    assert c["binnen_norm"] == 12
    assert c["gestart_plan_van_aanpak"] == 10
    assert c["lopend"] == 18 and c["lopend_plan_van_aanpak"] == 10 and c["lopend_budgetbeheer"] == 1
    assert c["herbeoordeling"] == 1  # 2024-07-01 + 548 days = 2025-12-31
    assert c["beeindigd"] == 5 and c["einde_geen_vervolg"] == 5
    zuid = pipeline_counts(t[t["wijk"] == "Zuid"], steps, start, end, norms)
    assert zuid["aanmeldingen"] == 2 and zuid["binnen_norm"] == 2


def test_norm_share_and_audit(session, account):
    world(session, zuid=False, carried=False)
    fig = shv_pipeline(session, account("kiss1", "kiss"), 2026, today=TODAY)
    assert fig.kwartalen == ("2026-K1", "2026-K2", "2026-K3")
    q = "2026-K1"
    assert fig.cellen[(q, "aanmeldingen", TOTAL)] == 20
    assert fig.cellen[(q, "intake", TOTAL)] == 15
    assert fig.cellen[(q, "binnen_norm", TOTAL)] == 10
    assert fig.aandeel[(q, TOTAL)] == pytest.approx(10 / 15, abs=1e-3)  # under the 75% target
    assert fig.norm_dagen == 14 and fig.norm_doel_pct == 75
    assert fig.wachttijd[(q, TOTAL)] == pytest.approx((10 * 10 + 5 * 20) / 15, abs=0.1)
    assert fig.cellen[(q, "herbeoordeling", TOTAL)] == 0
    table = pipeline_table(fig, q)
    assert list(table.index) == list(ROWS.values())
    n = session.query(AuditEvent).filter(AuditEvent.actie == "shv_pijplijn_inzien").count()
    assert n == 1


def test_a_small_wijk_that_would_cost_the_totals_is_not_shown_per_wijk(session, account):
    """Zuid has 2 aanmeldingen: protecting it per wijk would hide the gemeente's totals
    (Noord = Totaal - Zuid), so the year is published for the whole gemeente only."""
    world(session, carried=False)
    fig = shv_pipeline(session, account("kiss1", "kiss"), 2026, today=TODAY)
    q = "2026-K1"
    assert fig.withheld == "by_wijk" and fig.kolommen == (TOTAL,)
    assert ("2026-K1", "aanmeldingen", "Zuid") not in fig.cellen
    assert fig.cellen[(q, "aanmeldingen", TOTAL)] == 22
    assert fig.cellen[(q, "crisis", TOTAL)] == "<5"


def test_no_small_cell_can_be_pinned(session, account):
    """The interval attack over every published relation pins no hidden cell."""
    world(session)
    fig = shv_pipeline(session, account("kiss1", "kiss"), 2026, today=TODAY)
    eqs, ineqs = pipeline_relations(list(fig.kwartalen), list(fig.kolommen))
    relations = relations_of(eqs, ineqs)
    hidden = [k for k, v in fig.cellen.items() if is_hidden(v)]
    assert hidden
    bounds = {k: (1, 4) if fig.cellen[k] == "<5" else (1, None) for k in hidden}
    published = {k: v for k, v in fig.cellen.items() if not is_hidden(v)}
    cells = {**published, **dict.fromkeys(hidden, 0)}
    intervals = feasible_intervals(cells, bounds, relations, {})
    for k in hidden:
        lo, hi = intervals[k]
        assert hi - lo >= (1 if fig.cellen[k] == "<5" else 5), k


def test_only_kiss(session, account):
    with pytest.raises(AccessDenied):
        shv_pipeline(session, account("gbd1", "gbd"), 2026, today=TODAY)


def test_the_published_years_together_pin_no_hidden_cell(session, account):
    """An attacker who combines every year KISS can open (the running stock links Q4 of one
    year to Q1 of the next) still pins no hidden cell: the years are protected together."""
    world(session)
    kiss = account("kiss1", "kiss")
    figs = [shv_pipeline(session, kiss, y, today=TODAY) for y in published_years(TODAY)]
    quarters = sorted(q for f in figs for q in f.kwartalen)
    assert quarters[0].startswith(f"{TODAY.year - 2}-") and len(quarters) == 11
    cellen = {k: v for f in figs for k, v in f.cellen.items()}
    columns = sorted({c for f in figs for c in f.kolommen})
    eqs, ineqs = pipeline_relations(quarters, columns)
    eqs = [(a, m) for a, m in eqs if a in cellen and set(m) <= set(cellen)]
    ineqs = [(a, b) for a, b in ineqs if set(a) | set(b) <= set(cellen)]
    hidden = [k for k, v in cellen.items() if is_hidden(v)]
    bounds = {k: (1, 4) if cellen[k] == "<5" else (1, None) for k in hidden}
    published = {k: v for k, v in cellen.items() if not is_hidden(v)}
    intervals = feasible_intervals(
        {**published, **dict.fromkeys(hidden, 0)}, bounds, relations_of(eqs, ineqs), {}
    )
    for k in hidden:
        lo, hi = intervals[k]
        assert hi - lo >= (1 if cellen[k] == "<5" else 5), k


def test_a_year_outside_the_published_window_is_refused(session, account):
    with pytest.raises(InvalidInput, match="Kies een jaar van"):
        shv_pipeline(session, account("kiss1", "kiss"), TODAY.year - 3, today=TODAY)


def test_frames_of_some_households_are_their_slice_of_the_whole(session):
    world(session)
    t, steps = trajectory_frames(session)
    some = sorted(set(t["household_id"]))[:3]
    mine, my_steps = trajectory_frames(session, some)
    assert set(mine["household_id"]) == set(some)
    expected = t[t["household_id"].isin(some)].reset_index(drop=True)
    assert mine.reset_index(drop=True).equals(expected)
    wanted = steps[steps["traject_id"].isin(set(expected["traject_id"]))].reset_index(drop=True)
    assert my_steps.reset_index(drop=True).equals(wanted)
    empty, no_steps = trajectory_frames(session, [])
    assert empty.empty and no_steps.empty
