"""Schuldhulp in a real browser (issue 15), in a small test world of its own.

A GBD-er with regie registers the household for schuldhulp (twelve days ago), sees the
eerste-gesprek norm about to pass on the page and on the worklist, records the eerste
gesprek and sees the plan-van-aanpak deadline, records the plan; each write is counted in
the server's database. axe-core checks the page. Screenshots:
``docs/screenshots/schuldhulp_NN_*.png`` (for the README) and ``test-artifacts/browser``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from households.accounts import create_user
from households.actor import SYSTEM, Actor
from households.db import make_engine
from tests.builders import add_debt, add_regie, first_person, make_household
from tests.e2e.conftest import (
    DEMO_PASSWORD,
    KISS,
    ROOT,
    DemoServer,
    _free_port,
    _wait_healthy,
    server_env,
)
from tests.e2e.test_accessibility import describe, scan
from tests.e2e.test_forms_formsb import type_date
from tests.e2e.ui import count_rows, double_click, eventually, goto, login, main_text, pick, shot

pytestmark = pytest.mark.browser
TODAY = dt.date.today()
DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
STEPS = "SELECT count(*) FROM schuldhulp_stap"


def _world(database_url: str) -> None:
    """Gerda (gbd) holds regie for the household of Jan Jansen, who has a debt."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as s:
        user = create_user(s, SYSTEM, "gerda", "gbd", DEMO_PASSWORD, weergavenaam="Gerda Smeets")
        s.flush()
        jan = [(None, "Jan Jansen", "hoofdbewoner")]
        h = make_household(s, wijk="Noord", postcode="6441AB", huisnummer="12",
                           straat="Kerkstraat", persons=jan)  # fmt: skip
        add_debt(s, first_person(s, h), 240_000, "Weller Wonen", sinds=TODAY - dt.timedelta(400))
        add_regie(s, h, Actor(user.id, user.naam, user.rol), start=TODAY - dt.timedelta(days=30))
        s.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def shv_server(tmp_path_factory, _pg_templates) -> Iterator[DemoServer]:
    """`kiss serve` on the small test world."""
    workdir = tmp_path_factory.mktemp("schuldhulp")
    env = server_env(workdir, _pg_templates)
    subprocess.run([*KISS, "init"], cwd=workdir, env=env, check=True, capture_output=True)
    code = f"from tests.e2e.test_schuldhulp import _world; _world({env['KISS_DATABASE_URL']!r})"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    port = _free_port()
    log = open(workdir / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [*KISS, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield DemoServer(url=url, database_url=env["KISS_DATABASE_URL"])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture
def page(browser, shv_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def _docs_shot(page, n: int, name: str) -> None:
    shot(page, "schuldhulp", n, name)
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"schuldhulp_{n:02d}_{name}.png"), full_page=False)


def _saved(page, text: str) -> None:
    try:
        eventually(lambda: text in main_text(page), what=f"({text})")
    except AssertionError:
        shot(page, "schuldhulp", 99, "niet_opgeslagen")
        raise AssertionError(main_text(page)[-1500:]) from None


def test_gbd_registers_records_the_steps_and_sees_the_deadline(page, shv_server):
    server = shv_server
    login(page, server, "gerda")
    goto(page, "Schuldhulp")
    assert "U heeft geen lopende schuldhulptrajecten." in main_text(page)
    pick(page, "shv_huishouden")
    assert "Geen lopend schuldhulptraject." in main_text(page)
    # register, twelve days ago: the 14 days of the eerste gesprek end in two days
    pick(page, "shv_bron")  # Zelf aangemeld
    registered = TODAY - dt.timedelta(days=12)
    type_date(page, "shv_aanmeld_datum", f"{registered:%d-%m-%Y}")
    double_click(page, "shv_aanmelden_opslaan")
    _saved(page, "Aangemeld voor schuldhulp.")
    assert count_rows(server, STEPS) == 1
    due = registered + dt.timedelta(days=14)
    text = main_text(page)
    assert f"Norm bijna verstreken: Eerste gesprek uiterlijk {due:%d-%m-%Y} (nog 2 dagen)" in text
    page.locator(".st-key-shv_stap").scroll_into_view_if_needed()
    _docs_shot(page, 1, "aangemeld_norm_bijna_verstreken")
    violations = scan(page)
    assert not violations, "\n".join(describe("Schuldhulp", violations))
    # the worklist warns too
    goto(page, "Werklijst")
    assert f"Schuldhulp: Eerste gesprek uiterlijk {due:%d-%m-%Y} (nog 2 dagen)" in main_text(page)
    _docs_shot(page, 2, "werklijst_waarschuwing")
    # the eerste gesprek today: the plan van aanpak is due in 56 days
    goto(page, "Schuldhulp")
    pick(page, "shv_huishouden")
    pick(page, "shv_stap")  # Eerste gesprek
    double_click(page, "shv_stap_opslaan")
    _saved(page, "Eerste gesprek vastgelegd.")
    assert count_rows(server, STEPS) == 2
    plan_due = TODAY + dt.timedelta(days=56)
    assert f"Plan van aanpak uiterlijk {plan_due:%d-%m-%Y} (nog 56 dagen)" in main_text(page)
    page.locator(".st-key-shv_stap").scroll_into_view_if_needed()
    _docs_shot(page, 3, "eerste_gesprek_plan_deadline")
    # the plan: no norm runs in this step; the debts can go into the regeling now
    pick(page, "shv_stap")  # Plan van aanpak
    double_click(page, "shv_stap_opslaan")
    _saved(page, "Plan van aanpak vastgelegd.")
    assert count_rows(server, STEPS) == 3
    assert count_rows(server, "SELECT versie FROM schuldhulptraject") == 3
    text = main_text(page)
    assert "In deze stap loopt geen norm." in text and "Schulden in de regeling opnemen" in text
    page.locator(".st-key-shv_schulden").scroll_into_view_if_needed()
    _docs_shot(page, 4, "plan_van_aanpak")
    violations = scan(page)
    assert not violations, "\n".join(describe("Schuldhulp", violations))
