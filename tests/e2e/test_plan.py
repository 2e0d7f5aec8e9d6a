"""The household plan in a real browser, in a small test world of its own.

A GBD-er with regie logs in, opens Huishouden, adds a goal and changes its status with a
progress note — each with a double click that writes exactly once (rows counted in the
server's database) — sees the history, and downloads the printable plan, which fits on one
A4 page (Chromium's own PDF of it). Screenshots: ``test-artifacts/browser/plan_*.png``.
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
from tests.builders import add_institution, add_provision, add_regie, first_person, make_household
from tests.e2e.conftest import (
    ARTIFACTS,
    DEMO_PASSWORD,
    KISS,
    ROOT,
    DemoServer,
    _free_port,
    _wait_healthy,
    server_env,
)
from tests.e2e.test_forms_formsb import choose, type_date
from tests.e2e.ui import (
    count_rows,
    double_click,
    eventually,
    field_value,
    fill,
    goto,
    login,
    main_text,
    nothing_picked,
    pick,
    shot,
    wait_idle,
)

pytestmark = pytest.mark.browser
TODAY = dt.date.today()
GOALS = "SELECT count(*) FROM plan_doel"
HISTORY = "SELECT count(*) FROM plan_voortgang"


def _world(database_url: str) -> None:
    """Gerda (gbd) holds regie for the household of Jan and Mia Jansen; Woonpunt exists."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as s:
        user = create_user(s, SYSTEM, "gerda", "gbd", DEMO_PASSWORD, weergavenaam="Gerda Smeets")
        s.flush()
        gerda = Actor(user.id, user.naam, user.rol)
        h = make_household(s, wijk="Noord", postcode="6441AB", huisnummer="12",
                           straat="Kerkstraat",
                           persons=[(None, "Jan Jansen", "hoofdbewoner"),
                                    (None, "Mia Jansen", "partner")])  # fmt: skip
        add_provision(s, first_person(s, h), "WMO")
        regie = add_regie(s, h, gerda, start=TODAY - dt.timedelta(days=7))
        regie.doel = "Rust in huis: vaste lasten betaald en de woning behouden"
        add_institution(s, "Woonpunt")
        s.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def plan_server(tmp_path_factory, _pg_templates) -> Iterator[DemoServer]:
    """`kiss serve` on the small test world."""
    workdir = tmp_path_factory.mktemp("plan")
    env = server_env(workdir, _pg_templates)
    subprocess.run([*KISS, "init"], cwd=workdir, env=env, check=True, capture_output=True)
    # built by the server's own environment (its key file signs the audit chain)
    code = f"from tests.e2e.test_plan import _world; _world({env['KISS_DATABASE_URL']!r})"
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
def page(browser, plan_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL",
                                  accept_downloads=True)  # fmt: skip
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def _pdf_pages(browser, html: str) -> int:
    context = browser.new_context()
    printed = context.new_page()
    printed.set_content(html)
    pdf = printed.pdf(format="A4", prefer_css_page_size=True)
    context.close()
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def test_regie_holder_adds_a_goal_changes_it_and_prints_one_page(page, plan_server, browser):
    server = plan_server
    login(page, server, "gerda")
    goto(page, "Huishouden")
    assert "Huishoudplan" in main_text(page) and "Dit plan heeft nog geen doelen." in main_text(
        page
    )
    # add a goal: a double click writes one goal and one history row
    pick(page, "plan_levensgebied", 3)  # Huisvesting
    fill(page, "plan_doel", "De huurachterstand is afgelost en de woning blijft behouden")
    choose(page, "plan_eigenaar_soort", "Instelling")
    pick(page, "plan_instelling")
    type_date(page, "plan_evaluatie", f"{TODAY + dt.timedelta(days=10):%d-%m-%Y}")
    double_click(page, "plan_doel_toevoegen")
    eventually(lambda: "Doel toegevoegd aan het plan." in main_text(page), what="(saved)")
    assert count_rows(server, GOALS) == 1 and count_rows(server, HISTORY) == 1
    assert field_value(page, "plan_doel") == "" and nothing_picked(page, "plan_levensgebied")
    text = main_text(page)  # (the goal's table is drawn on a canvas: its cells are no text)
    assert "Bestaanszekerheid" in text and "1 doel, 1 open of lopend; 1 toe aan evaluatie" in text
    shot(page, "plan", 1, "doel_toegevoegd")
    # change its status with a note: written once, then in the history
    pick(page, "plan_wijzig_doel")
    pick(page, "plan_wijzig_status", 1)  # Loopt
    fill(page, "plan_wijzig_notitie", "Betalingsregeling met Woonpunt getekend")
    double_click(page, "plan_wijzig_opslaan")
    eventually(lambda: "Doel bijgewerkt (status: Loopt)." in main_text(page), what="(changed)")
    assert count_rows(server, HISTORY) == 2
    assert count_rows(server, "SELECT versie FROM plan_doel") == 2
    assert (
        nothing_picked(page, "plan_wijzig_doel") and field_value(page, "plan_wijzig_notitie") == ""
    )
    page.get_by_text("Geschiedenis per doel").click()
    wait_idle(page)
    assert "Open → Loopt (Gerda Smeets): Betalingsregeling met Woonpunt getekend" in main_text(page)
    shot(page, "gbd", 7, "huishoudplan")
    # the printable plan: downloaded, audited, one A4 page, no BSN field, plain Dutch
    with page.expect_download() as download:
        page.locator(".st-key-plan_afdrukken button").first.click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Voor Jan Jansen en Mia Jansen" in html
    assert "De huurachterstand is afgelost" in html and "Gerda Smeets" in html
    printed_rows = "SELECT count(*) FROM audit_event WHERE actie = 'plan_afdrukken'"
    eventually(lambda: count_rows(server, printed_rows) == 1, what="(print audited)")
    assert _pdf_pages(browser, html) == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "plan_afdruk.html").write_text(html, encoding="utf-8")
    printed = browser.new_page(viewport={"width": 800, "height": 1130})
    printed.set_content(html)
    printed.screenshot(path=str(ARTIFACTS / "plan_02_afdruk.png"), full_page=True)
    printed.close()


def test_a_full_printed_plan_still_fits_on_one_a4(browser):
    """The most the print shows (MAX_ACTIVE long goals and MAX_DONE reached) on one page."""
    from coordination.plan_print import MAX_ACTIVE, MAX_DONE, plan_html
    from tests.coordination.test_plan_print import _goal, _view

    long_aim = "De huurachterstand is afgelost en de huur wordt elke maand op tijd betaald, " * 3
    corners = ("bestaanszekerheid", "zorgcontinuiteit", "meedoen", "veiligheid")
    goals = [_goal(n, hoek=corners[n % 4], doel=long_aim) for n in range(1, MAX_ACTIVE + 3)]
    goals += [_goal(100 + n, status="bereikt", doel=long_aim) for n in range(MAX_DONE + 2)]
    html = plan_html(_view(goals, regie_doel=long_aim))
    assert "Er zijn nog 2 andere afspraken" in html
    assert _pdf_pages(browser, html) == 1
