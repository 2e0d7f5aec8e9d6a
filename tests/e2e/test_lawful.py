"""Lawful basis in a real browser (DESIGN 8.2, 8.3).

The front-door worker opens a household with an open police signal and sees "bekend bij
Zorg en Veiligheid" instead of the content; the GBD-er records the household's consent for
the woningcorporatie and withdraws it, and the partner loses the referral's name and
address at once. axe-core finds no serious violation on the pages with the new sections.
Screenshots go to docs/screenshots/privacy_NN_*.png for the README.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from data.demo_partner import FRESH_TASK
from households.db import make_engine
from tests.e2e.test_accessibility import describe, scan
from tests.e2e.test_forms_formsb import pick_text
from tests.e2e.ui import click, count_rows, eventually, fill, goto, login, main_text, pick, shot

pytestmark = pytest.mark.browser

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
SAFETY_HOUSEHOLD = (
    "SELECT h.postcode, h.huisnummer FROM household h JOIN signal s ON s.household_id = h.id "
    "WHERE s.soort IN ('politie', 'huiselijk_geweld') AND s.gesloten_op IS NULL "
    "AND h.postcode IS NOT NULL ORDER BY h.id LIMIT 1"
)
REFERRAL = (
    "SELECT h.id, h.postcode, h.huisnummer, v.taak FROM verwijzing v "
    "JOIN household h ON h.id = v.household_id JOIN institution i ON i.id = v.institution_id "
    "WHERE i.naam = 'Weller Wonen' AND v.household_id NOT IN "
    "(SELECT household_id FROM verwijzing WHERE taak = :fresh) ORDER BY v.id LIMIT 1"
)
VALID = "SELECT count(*) FROM toestemming WHERE household_id = :h AND ingetrokken_op IS NULL"


def _row(server, sql: str, **params):
    engine = make_engine(server.database_url)
    with engine.connect() as conn:
        row = conn.execute(text(sql), params).one()
    engine.dispose()
    return row


def _docs_shot(page, n: int, name: str) -> None:
    shot(page, "privacy", n, name)
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"privacy_{n:02d}_{name}.png"), full_page=False)


def _new_page(browser, server, naam: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nl-NL")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    login(page, server, naam)
    return ctx, page


def _open_at_door(page, postcode: str, nummer: str) -> None:
    goto(page, "Voordeur")
    fill(page, "zoek_postcode", postcode)
    fill(page, "zoek_huisnummer", nummer)
    click(page, "zoek")
    pick(page, "kies_huishouden")
    fill(page, "doel", "Hulpvraag aan de voordeur")
    click(page, "openen")


def _no_serious(page, where: str) -> None:
    blocking = [v for v in scan(page) if v["impact"] in ("serious", "critical")]
    assert not blocking, "\n".join(describe(where, blocking))


def _open_expander(page, label: str, inside_key: str) -> None:
    if not page.locator(f".st-key-{inside_key}").first.is_visible():
        page.locator("[data-testid='stExpander'] summary").filter(has_text=label).first.click()
        page.locator(f".st-key-{inside_key}").first.wait_for(state="visible")


def test_front_door_sees_bekend_bij_instead_of_safety_content(page, demo_server):
    postcode, nummer = _row(demo_server, SAFETY_HOUSEHOLD)
    login(page, demo_server, "voordeur")
    _open_at_door(page, postcode, nummer)
    body = main_text(page)
    assert "Grondslag voor het hele huishouden" in body
    assert "bekend bij Zorg en Veiligheid (politie, Veilig Thuis) — contact: team Zorg en " in body
    page.locator(".st-key-vd_grondslag").first.scroll_into_view_if_needed()
    _docs_shot(page, 1, "voordeur_bekend_bij")
    _no_serious(page, "Voordeur (voordeur)")


def test_gbd_records_and_withdraws_consent_and_the_partner_loses_the_details(browser, demo_server):
    hid, postcode, nummer, taak = _row(demo_server, REFERRAL, fresh=FRESH_TASK)
    ctx, partner = _new_page(browser, demo_server, "partner")
    goto(partner, "Verwijzingen")
    pick_text(partner, "vw_keuze", taak[:30])
    assert "(geen geldige toestemming)" not in main_text(partner)  # the demo consent holds
    ctx2, gbd = _new_page(browser, demo_server, "gbd")
    _open_at_door(gbd, postcode, nummer)
    goto(gbd, "Huishouden")
    assert "Toestemming om te delen met partners" in main_text(gbd)
    _open_expander(gbd, "Toestemming vastleggen of intrekken", "tst_instellingen")
    before = count_rows(demo_server, VALID, h=hid)
    pick_text(gbd, "tst_instellingen", "Weller Wonen")
    fill(gbd, "tst_toelichting", "Bewoner stemt in met delen met de woningcorporatie")
    click(gbd, "toestemming_vastleggen")
    eventually(lambda: "Toestemming vastgelegd." in main_text(gbd), what="consent saved")
    assert count_rows(demo_server, VALID, h=hid) == before + 1
    gbd.get_by_text("Toestemming om te delen met partners").first.scroll_into_view_if_needed()
    _docs_shot(gbd, 2, "gbd_toestemming")
    _no_serious(gbd, "Huishouden (gbd)")
    while count_rows(demo_server, VALID, h=hid):  # the resident withdraws every consent
        _open_expander(gbd, "Toestemming vastleggen of intrekken", "tst_intrekken")
        pick(gbd, "tst_intrekken")
        n = count_rows(demo_server, VALID, h=hid)
        click(gbd, "toestemming_intrekken")
        eventually(lambda n=n: count_rows(demo_server, VALID, h=hid) == n - 1, what="withdrawn")
    eventually(lambda: "Toestemming ingetrokken" in main_text(gbd), what="withdrawal shown")
    ctx.close()  # the partner comes back later, in a new session
    ctx, partner = _new_page(browser, demo_server, "partner")
    goto(partner, "Verwijzingen")
    pick_text(partner, "vw_keuze", taak[:30])
    body = main_text(partner)
    assert "Naam: (geen geldige toestemming)" in body and "geen geldige toestemming gegeven" in body
    _docs_shot(partner, 3, "partner_zonder_toestemming")
    _no_serious(partner, "Verwijzingen (partner)")
    ctx.close()
    ctx2.close()
