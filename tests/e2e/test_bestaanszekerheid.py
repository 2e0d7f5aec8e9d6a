"""KISS opens Bestaanszekerheid and Evaluatie in a real browser (issue 15): the schuldhulp
pipeline of last year's quarters with its charts and the non-take-up count, and the
evaluation with its balance table; axe-core on both pages. Screenshots for the README:
``docs/screenshots/bestaanszekerheid_*.png``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from coordination.shvmodels import DebtTrajectory, DebtTrajectoryStep
from households.db import make_engine
from tests.e2e.conftest import ROOT
from tests.e2e.test_accessibility import (
    ALSO_BLOCKING,
    BLOCKING,
    describe,
    open_expanders,
    scan,
)
from tests.e2e.ui import eventually, goto, login, main_text, pick, shot, wait_idle

pytestmark = pytest.mark.browser
DOCS = ROOT / "docs" / "screenshots"
YEAR = dt.date.today().year - 1


def _trajectories(database_url: str) -> None:
    """40 hand-made trajectories in last year's first quarter (households without an open
    one), all in Noord: 30 spoken to (24 within 14 days), 10 ended without follow-up."""
    engine = make_engine(database_url)
    with Session(engine) as s:
        free = s.execute(text(
            "SELECT id FROM household WHERE wijk = 'Noord' AND id NOT IN (SELECT household_id "
            "FROM schuldhulptraject) ORDER BY id LIMIT 40")).scalars().all()  # fmt: skip
        start = dt.date(YEAR, 1, 12)
        for i, hid in enumerate(free):
            reden = "geen_vervolg" if i >= 30 else "stabiel_zonder_regeling"
            end = dt.date(YEAR, 11, 2)
            t = DebtTrajectory(household_id=hid, bron=("zelf", "signaal", "gbd")[i % 3],
                               aangemeld_op=start, stap="beeindigd", stap_sinds=end,
                               beeindigd_op=end, reden_einde=reden)  # fmt: skip
            s.add(t)
            s.flush()
            s.add(DebtTrajectoryStep(traject_id=t.id, stap="aanmelding", datum=start))
            if i < 30:
                talk = start + dt.timedelta(days=9 if i < 24 else 25)
                s.add(DebtTrajectoryStep(traject_id=t.id, stap="eerste_gesprek", datum=talk))
            s.add(DebtTrajectoryStep(traject_id=t.id, stap="beeindigd", datum=t.beeindigd_op))
        s.commit()
    engine.dispose()


def _shot(page, n: int, name: str) -> None:
    shot(page, "bestaanszekerheid", n, name)
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"bestaanszekerheid_{n:02d}_{name}.png"), full_page=False)


def _no_blocking(page, where: str) -> None:
    open_expanders(page)
    blocking = [v for v in scan(page) if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING]
    assert not blocking, describe(where, blocking)


def test_kiss_sees_pipeline_chart_and_balance_table(page, demo_server):
    _trajectories(demo_server.database_url)
    login(page, demo_server, "kiss")
    goto(page, "Bestaanszekerheid")
    pick(page, "bz_jaar", 1)  # last year: every quarter complete
    eventually(lambda: "Aanmeldingen" in main_text(page), what="de keten")
    text_now = main_text(page)
    assert "Eerste gesprek binnen de norm" in text_now and "Niet-gebruik van regelingen" in text_now
    pick(page, "bz_kwartaal", 3)  # the first quarter (newest first)
    wait_idle(page)
    # the flow chart; the share within the norm only where intake and within-norm are both
    # published, which the protection of this small demo (with last year's stock) does not allow
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1
    assert "Norm: eerste gesprek binnen 14 dagen" in main_text(page)
    _shot(page, 1, "keten")
    _no_blocking(page, "Bestaanszekerheid")
    goto(page, "Evaluatie")
    eventually(lambda: "Balans van de matching" in main_text(page), what="de balanstabel")
    # the balance table, the outcomes and the enrolled-only table (grids: no text to read)
    assert page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").count() >= 4
    page.get_by_text("Balans van de matching").first.scroll_into_view_if_needed()
    _shot(page, 2, "evaluatie")
    _no_blocking(page, "Evaluatie")
