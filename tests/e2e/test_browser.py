"""Real-browser walks through the main flow of every role (Playwright + Debian Chromium).

Each test logs in through the login form of a running `kiss serve` on demo data,
walks the role's main flow by clicking as a person would, saves a screenshot per
step under ``test-artifacts/browser/`` and fails on any exception box.
"""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import text

from households.db import make_engine
from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current script run."""
    time.sleep(0.3)
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_load_state("networkidle")


def assert_no_exception(page) -> None:
    """Fail when Streamlit shows an exception box."""
    boxes = page.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()


def shot(page, role: str, step: int, name: str) -> None:
    """Screenshot of this step, then the exception check."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{role}_{step:02d}_{name}.png"), full_page=True)
    assert_no_exception(page)


def fill(page, key: str, value: str) -> None:
    """Fill the text input or text area with widget key ``key`` and commit it."""
    field = page.locator(f".st-key-{key} input, .st-key-{key} textarea").first
    field.fill(value)
    field.press("Tab")
    wait_idle(page)


def click(page, key: str) -> None:
    """Click the button with widget key ``key``."""
    page.locator(f".st-key-{key} button").first.click()
    wait_idle(page)


def pick(page, key: str, index: int = 0) -> None:
    """Choose option ``index`` of the selectbox with widget key ``key``."""
    page.locator(f".st-key-{key} input").first.click()
    page.locator("[role='option']").nth(index).click()
    wait_idle(page)


def nothing_picked(page, key: str) -> bool:
    """Does the selectbox ``key`` show its placeholder and no chosen option?"""
    box = page.locator(f".st-key-{key}")
    field = box.locator("input").first
    placeholder = field.get_attribute("placeholder") or box.inner_text()
    return "Kies een" in placeholder and "—" not in box.inner_text() + field.input_value()


def goto(page, title: str) -> None:
    """Open a page through the sidebar navigation (no reload: the session stays)."""
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    wait_idle(page)


def login(page, server, naam: str) -> None:
    """Log in through the form."""
    page.goto(server.url)
    wait_idle(page)
    fill(page, "login_naam", naam)
    fill(page, "login_wachtwoord", DEMO_PASSWORD)
    click(page, "login_knop")
    page.wait_for_selector("[data-testid='stSidebarNav']")
    wait_idle(page)


def sidebar_titles(page) -> list[str]:
    """The page titles in the sidebar navigation."""
    texts = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
    return [t.strip().splitlines()[-1].strip() for t in texts]  # drop the icon's ligature


def an_address(server) -> tuple[str, str]:
    """Postcode and huisnummer of a demo household that has provisions."""
    engine = make_engine(server.database_url)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT h.postcode, h.huisnummer FROM household h "
                "JOIN person p ON p.household_id = h.id "
                "JOIN provision v ON v.person_id = p.id "
                "WHERE h.postcode IS NOT NULL ORDER BY h.id LIMIT 1"
            )
        ).one()
    engine.dispose()
    return row[0], row[1]


def open_household_at_front_door(page, server, role: str, step: int) -> int:
    """Search by address, pick the household, state the purpose, open it."""
    postcode, nummer = an_address(server)
    goto(page, "Voordeur")
    shot(page, role, step, "voordeur")
    fill(page, "zoek_postcode", postcode)
    fill(page, "zoek_huisnummer", nummer)
    click(page, "zoek")
    shot(page, role, step + 1, "zoekresultaat")
    # nothing is preselected: the picker shows its placeholder until a person is chosen
    assert nothing_picked(page, "kies_huishouden")
    assert "gevonden" in page.locator("[data-testid='stMain']").inner_text()
    pick(page, "kies_huishouden")
    assert not nothing_picked(page, "kies_huishouden")
    fill(page, "doel", "Hulpvraag aan de voordeur")
    click(page, "openen")
    shot(page, role, step + 2, "huishouden_open")
    return step + 3


def test_wrong_password_is_refused(page, demo_server):
    page.goto(demo_server.url)
    wait_idle(page)
    fill(page, "login_naam", "voordeur")
    fill(page, "login_wachtwoord", "fout-wachtwoord-123")
    click(page, "login_knop")
    shot(page, "login", 1, "fout_wachtwoord")
    assert page.locator("[data-testid='stAlert']").count() >= 1
    assert page.locator("[data-testid='stSidebarNav']").count() == 0


def test_voordeur_registers_a_request_and_sees_triage(page, demo_server):
    login(page, demo_server, "voordeur")
    assert sidebar_titles(page) == ["Start", "Voordeur"]
    shot(page, "voordeur", 1, "start")
    step = open_household_at_front_door(page, demo_server, "voordeur", 2)
    fill(page, "aanvraag_omschrijving", "Vraagt hulp bij huishouden en post")
    click(page, "aanvraag_registreren")
    shot(page, "voordeur", step, "aanvraag_triage")
    body = page.locator("[data-testid='stMain']").inner_text()
    assert re.search(r"aanvraag \d+ in 12 maanden", body, re.IGNORECASE)
    assert re.search(r"standaard|maatwerk", body, re.IGNORECASE)


def test_a_common_surname_is_counted_and_paged(page, demo_server):
    login(page, demo_server, "voordeur")
    goto(page, "Voordeur")
    fill(page, "zoek_naam", "Stassen")
    click(page, "zoek")
    body = page.locator("[data-testid='stMain']").inner_text()
    assert re.search(r"\d[\d.]* personen gevonden — verfijn met voornaam of geboortejaar", body)
    assert "Pagina 1 van" in body
    click(page, "zoek_volgende")
    assert "Pagina 2 van" in page.locator("[data-testid='stMain']").inner_text()
    shot(page, "voordeur", 9, "zoeken_pagina_2")
    assert nothing_picked(page, "kies_huishouden")
    assert_no_exception(page)


def test_gbd_walks_household_regie_and_case_table(page, demo_server):
    login(page, demo_server, "gbd")
    titles = sidebar_titles(page)
    assert {"Voordeur", "Huishouden", "Regie", "Casustafel"} <= set(titles)
    assert "KISS-overzicht" not in titles
    step = open_household_at_front_door(page, demo_server, "gbd", 1)
    for title in ("Huishouden", "Regie", "Casustafel", "Experimenten", "Instellingen"):
        goto(page, title)
        shot(page, "gbd", step, title.lower())
        step += 1


def test_ervaringswerker_logs_a_situation(page, demo_server):
    login(page, demo_server, "ervaringswerker.noord1")
    assert sidebar_titles(page) == ["Start", "Experimenten", "Logboek"]
    goto(page, "Logboek")
    shot(page, "ervaringswerker", 1, "logboek")
    for corner, score in (("bestaanszekerheid", "3"), ("zorgcontinuiteit", "4"),
                          ("meedoen", "2"), ("veiligheid", "4")):  # fmt: skip
        page.locator(f".st-key-lb_{corner} label").filter(has_text=score).first.click()
        wait_idle(page)
    fill(page, "lb_verhaal", "Het gaat iets beter sinds de betalingsregeling.")
    click(page, "lb_opslaan")
    shot(page, "ervaringswerker", 2, "opgeslagen")
    assert page.locator("[data-testid='stAlert']").filter(has_text="opgeslagen").count() >= 1


def test_kiss_sees_only_aggregates(page, demo_server):
    login(page, demo_server, "kiss")
    assert sidebar_titles(page) == ["Start", "KISS-overzicht", "Instellingen", "Evaluatie"]
    for step, title in enumerate(("KISS-overzicht", "Instellingen", "Evaluatie"), start=1):
        goto(page, title)
        shot(page, "kiss", step, title.lower())
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1


def test_beheer_reads_the_audit_log_and_verifies_the_chain(page, demo_server):
    login(page, demo_server, "beheer")
    assert sidebar_titles(page) == [
        "Start", "Importeren", "Triageregels", "Gebruikers", "Auditlog",
    ]  # fmt: skip
    for step, title in enumerate(("Importeren", "Triageregels", "Gebruikers"), start=1):
        goto(page, title)
        shot(page, "beheer", step, title.lower())
    goto(page, "Auditlog")
    shot(page, "beheer", 4, "auditlog")
