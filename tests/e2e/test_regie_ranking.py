"""The Regie page in a real browser: the GBD-er sees the regie gaps ranked by urgency, each
with the reason (``waarom urgent``), in the order of the one urgency score; axe-core finds
nothing blocking on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from coordination.regie import regie_gaps
from households.actor import Actor
from households.db import make_engine, session_scope
from tests.e2e.test_accessibility import Findings
from tests.e2e.ui import goto, login, main_text, shot, wait_idle

pytestmark = pytest.mark.browser


def _expected(server) -> list:
    """The gaps the service ranks for the demo's gbd user today (the page shows the first 50)."""
    engine = make_engine(server.database_url)
    try:
        with engine.connect() as conn:
            uid, naam = conn.execute(text("SELECT id, naam FROM app_user WHERE naam = 'gbd'")).one()
        with session_scope(engine) as s:
            return regie_gaps(s, Actor(uid, naam, "gbd"), dt.date.today(), limit=50)
    finally:
        engine.dispose()


def _grid_rows(page) -> list[list[str]]:
    """The rows of the gaps table as the browser's accessible grid exposes them."""
    grid = page.locator(".st-key-regie_gaten [role='grid'], .st-key-regie_gaten table").first
    rows = grid.locator("tr")
    out = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td, th").all_inner_texts()
        out.append([c.strip() for c in cells])
    return out


def test_gbd_sees_the_regie_gaps_ranked_by_urgency_with_reasons(page, demo_server):
    login(page, demo_server, "gbd")
    goto(page, "Regie")
    page.wait_for_selector(".st-key-regie_gaten [data-testid='stDataFrame']")
    wait_idle(page)
    body = main_text(page)
    assert "Regiegaten: complexe huishoudens zonder regiehouder" in body
    assert "Het urgentst bovenaan: eerst een open veiligheidssignaal" in body
    page.locator(".st-key-regie_gaten").scroll_into_view_if_needed()
    shot(page, "gbd", 30, "regiegaten_urgentie")
    header, *rows = _grid_rows(page)
    assert header == ["nr", "huishouden", "naam en adres", "wijk", "waarom urgent",
                      "complex door"]  # fmt: skip
    expected = _expected(demo_server)
    assert expected and len(rows) >= min(5, len(expected)), rows  # the rows the grid drew
    # the page shows the service's order (the one urgency score), numbered, with reasons
    assert [(r[0], r[1], r[4]) for r in rows] == [
        (str(k), g.huishouden_id, g.urgentie.reden) for k, g in enumerate(expected[: len(rows)], 1)
    ]
    assert [g.urgentie.key for g in expected] == sorted(g.urgentie.key for g in expected)
    assert rows[0][4].startswith(
        ("open veiligheidssignaal", "acute hulpvraag", "jeugdbescherming", "dreigende")
    )
    findings = Findings("gbd_regie")
    findings.check(page, "Regie")
    findings.write()
    assert not findings.blocking, "\n".join(findings.blocking)
