"""Real-browser walks through the main flow of every role (Playwright + Debian Chromium).

Each test logs in through the login form of a running `kiss serve` on demo data,
walks the role's main flow by clicking as a person would, saves a screenshot per
step under ``test-artifacts/browser/`` and fails on any exception box.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.ui import (
    assert_no_exception,
    click,
    fill,
    goto,
    login,
    nothing_picked,
    open_household_at_front_door,
    pick,
    shot,
    sidebar_titles,
    wait_idle,
)

pytestmark = pytest.mark.browser


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
    pick(page, "aanvraag_domein")
    pick(page, "aanvraag_urgentie", 1)
    fill(page, "aanvraag_omschrijving", "Vraagt hulp bij huishouden en post")
    click(page, "aanvraag_registreren")
    # the save reruns the page: wait for the run that shows the outcome
    page.get_by_text(re.compile(r"aanvraag \d+ in 12 maanden", re.IGNORECASE)).first.wait_for()
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
    pick(page, "lb_huishouden")  # nothing is preselected
    shot(page, "ervaringswerker", 1, "logboek")
    for corner, score in (("bestaanszekerheid", "3"), ("zorgcontinuiteit", "4"),
                          ("meedoen", "2"), ("veiligheid", "4")):  # fmt: skip
        page.locator(f".st-key-lb_{corner} label").filter(has_text=score).first.click()
        wait_idle(page)
    fill(page, "lb_verhaal", "Het gaat iets beter sinds de betalingsregeling.")
    click(page, "lb_opslaan")
    # the save reruns the page: wait for the run that shows the message
    page.locator("[data-testid='stAlert']").filter(has_text="opgeslagen").first.wait_for()
    shot(page, "ervaringswerker", 2, "opgeslagen")


def test_kiss_sees_only_aggregates(page, demo_server):
    login(page, demo_server, "kiss")
    assert sidebar_titles(page) == [
        "Start", "KISS-overzicht", "Doelen en middelen", "Bestaanszekerheid", "Instellingen",
        "Evaluatie", "Knelpunten en lessen", "Vraagbaak",
    ]  # fmt: skip
    for step, title in enumerate(("KISS-overzicht", "Instellingen", "Evaluatie"), start=1):
        goto(page, title)
        shot(page, "kiss", step, title.lower())
    assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1


def test_beheer_reads_the_audit_log_and_verifies_the_chain(page, demo_server):
    login(page, demo_server, "beheer")
    assert sidebar_titles(page) == [
        "Start", "Importeren", "Experimentenregister", "Triageregels", "Referentielijsten",
        "Gebruikers", "Auditlog", "Inzage",
    ]  # fmt: skip
    for step, title in enumerate(("Importeren", "Triageregels", "Gebruikers"), start=1):
        goto(page, title)
        shot(page, "beheer", step, title.lower())
    goto(page, "Auditlog")
    shot(page, "beheer", 4, "auditlog")
