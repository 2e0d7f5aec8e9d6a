"""KISS steering and the experiment registry in a real browser (axe-checked, screenshots).

- ``kiss`` opens Doelen en middelen, sees the demo goals with their progress charts,
  creates a goal with tussendoelen (a double click writes once) and sees it with its chart;
  costs and the budget's use are on the page. Screenshots: docs/screenshots/sturing_*.png.
- ``beheer`` opens the Experimentenregister, registers a new experiment and changes its
  status. Screenshots: docs/screenshots/experimentenregister_*.png.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.e2e.test_accessibility import Findings, check_page
from tests.e2e.test_forms_formsb import choose, pick_text, saved, type_date
from tests.e2e.ui import (
    count_rows,
    double_click,
    fill,
    goto,
    login,
    main_text,
    shot,
    wait_idle,
)

pytestmark = pytest.mark.browser

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
MARK = uuid.uuid4().hex[:6]


def _docs_shot(page, prefix: str, n: int, name: str) -> None:
    shot(page, prefix, n, name)
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{prefix}_{n:02d}_{name}.png"), full_page=True)


def _scroll_to(page, heading: str) -> None:
    """Scroll so that ``heading`` is at the top of the view (for the README screenshots)."""
    page.get_by_role("heading", name=heading).first.evaluate(
        "e => e.scrollIntoView({block: 'start'})")  # fmt: skip
    page.wait_for_timeout(300)


def _charts(page) -> int:
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(state="visible")
    return page.locator("[data-testid='stVegaLiteChart']").count()


def test_kiss_creates_a_goal_and_sees_its_progress(page, demo_server):
    findings = Findings("sturing")
    login(page, demo_server, "kiss")
    goto(page, "Doelen en middelen")
    text = main_text(page)
    assert "Regiegaten −50%" in text and "centrale voordeur" in text
    assert "Tussen-wal-en-schip-budget" in text and "Kosten van voorzieningen" in text
    before = _charts(page)
    _docs_shot(page, "sturing", 1, "doelen")
    _scroll_to(page, "Kosten van voorzieningen per maand")
    _docs_shot(page, "sturing", 2, "kosten")
    _scroll_to(page, "Tussen-wal-en-schip-budget")
    _docs_shot(page, "sturing", 3, "budget")
    check_page(page, findings, "Doelen en middelen")

    titel = f"Gestapeld (CBS) −20% eind 2028 ({MARK})"
    fill(page, "doel_titel", titel)
    pick_text(page, "doel_indicator", "Gestapelde huishoudens (CBS)")
    type_date(page, "doel_start", "01-01-2026")
    type_date(page, "doel_deadline", "31-12-2028")
    choose(page, "doel_soort", "Verandering")
    fill(page, "doel_streef", "-20")
    fill(page, "doel_tussen", "31-12-2026: -5\n31-12-2027: -12")
    double_click(page, "doel_opslaan")
    assert saved(page, f"Doel vastgelegd: {titel}.")
    sql = "SELECT count(*) FROM stuurdoel WHERE titel = :t"
    assert count_rows(demo_server, sql, t=titel) == 1  # a double click writes once
    tussen = ("SELECT count(*) FROM stuurdoel_tussendoel m JOIN stuurdoel g ON g.id = m.goal_id "
              "WHERE g.titel = :t")  # fmt: skip
    assert count_rows(demo_server, tussen, t=titel) == 2
    wait_idle(page)
    assert titel in main_text(page)
    assert _charts(page) == before + 1  # the new goal's progress chart
    _scroll_to(page, titel)
    _docs_shot(page, "sturing", 4, "nieuw_doel")
    findings.write()
    assert not findings.blocking, "\n".join(findings.blocking)


def test_a_bad_goal_is_refused_in_dutch(page, demo_server):
    login(page, demo_server, "kiss")
    goto(page, "Doelen en middelen")
    fill(page, "doel_titel", f"Onmogelijk doel ({MARK})")
    pick_text(page, "doel_indicator", "centrale voordeur")
    type_date(page, "doel_start", "01-01-2026")
    type_date(page, "doel_deadline", "31-12-2027")
    choose(page, "doel_soort", "Absolute waarde")
    fill(page, "doel_streef", "120")
    double_click(page, "doel_opslaan")
    assert "een aandeel ligt tussen 0 en 100 procent" in main_text(page)
    assert count_rows(demo_server, "SELECT count(*) FROM stuurdoel WHERE titel = :t",
                      t=f"Onmogelijk doel ({MARK})") == 0  # fmt: skip


def test_beheer_registers_an_experiment_and_changes_its_status(page, demo_server):
    findings = Findings("experimentenregister")
    login(page, demo_server, "beheer")
    goto(page, "Experimentenregister")
    page.locator("[data-testid='stDataFrame']").first.wait_for(state="visible")  # the register
    assert count_rows(demo_server, "SELECT count(*) FROM experiment") == 5  # K2's five
    _docs_shot(page, "experimentenregister", 1, "register")
    check_page(page, findings, "Experimentenregister")

    naam = f"Schuldenvrij Rumpen {MARK}"
    fill(page, "reg_naam", naam)
    pick_text(page, "reg_wijken", "Oost")
    page.keyboard.press("Escape")
    type_date(page, "reg_start", "01-03-2027")
    type_date(page, "reg_einde", "31-12-2027")
    pick_text(page, "reg_criteria", "huurachterstand")
    fill(page, "reg_hypothesen", "Vroeg erop af voorkomt schulden.")
    double_click(page, "reg_toevoegen")
    assert saved(page, f"Experiment '{naam}' vastgelegd.")
    sql = "SELECT count(*) FROM experiment WHERE naam = :n AND status = :s"
    assert count_rows(demo_server, sql, n=naam, s="gepland") == 1
    _docs_shot(page, "experimentenregister", 2, "nieuw")

    pick_text(page, "reg_kies", naam)
    exp_id = count_rows(demo_server, "SELECT id FROM experiment WHERE naam = :n", n=naam)
    pick_text(page, f"reg_status_{exp_id}", "actief")
    double_click(page, "reg_wijzigen")
    assert saved(page, f"Experiment '{naam}' gewijzigd.")
    assert count_rows(demo_server, sql, n=naam, s="actief") == 1
    audit = (
        "SELECT count(*) FROM audit_event WHERE actie = 'experiment_wijzigen' AND object_id = :i"
    )
    assert count_rows(demo_server, audit, i=str(exp_id)) == 1
    _docs_shot(page, "experimentenregister", 3, "status_gewijzigd")
    findings.write()
    assert not findings.blocking, "\n".join(findings.blocking)
