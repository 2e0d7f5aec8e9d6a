"""Regie, Logboek, Experimenten, Triageregels and Gebruikers in a real browser: a double click
writes exactly once (rows counted in the server's database), the page then shows the saved
record, and the form is empty again.

The demo server is shared by the whole session: every test counts rows before and after and
picks its own records, so it does not depend on the writes of another test.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.ui import (
    an_address,
    click,
    count_rows,
    double_click,
    eventually,
    field_value,
    fill,
    goto,
    login,
    main_text,
    nothing_picked,
    open_household_at_front_door,
    pick,
    shot,
    wait_idle,
)

pytestmark = pytest.mark.browser


def choose(page, key: str, label: str) -> None:
    """Choose the option labelled exactly ``label`` in the selectbox ``key`` (typed to filter)."""
    box = page.locator(f".st-key-{key} input").first
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(label)
    options = page.locator("[role='listbox'] [role='option']")
    options.filter(has_text=label).first.click()
    wait_idle(page)


def shows(page, text: str) -> bool:
    """Does the page's main area show ``text``?"""
    return text in main_text(page)


def picked(page, key: str) -> str:
    """The text the selectbox ``key`` shows for its chosen option."""
    box = page.locator(f".st-key-{key}")
    return box.inner_text() + box.locator("input").first.input_value()


def one_value(server, sql: str, **params):
    """One row of the demo server's database."""
    from sqlalchemy import text

    from households.db import make_engine

    engine = make_engine(server.database_url)
    with engine.connect() as conn:
        row = conn.execute(text(sql), params).one()
    engine.dispose()
    return row


def household_label(server) -> tuple[int, str]:
    """The id and the picker label of the household the front-door helper opens."""
    postcode, nummer = an_address(server)
    hid, straat, wijk = one_value(
        server,
        "SELECT id, straat, wijk FROM household WHERE postcode = :p AND huisnummer = :n",
        p=postcode,
        n=nummer,
    )
    street = " ".join(x for x in (straat, nummer) if x)
    return hid, f"{street}, {postcode[:4]} {postcode[4:]} ({wijk})"


def test_regie_end_and_assign_double_click_write_once(page, demo_server):
    login(page, demo_server, "gbd")
    step = open_household_at_front_door(page, demo_server, "formulier_regie", 1)
    hid, label = household_label(demo_server)
    goto(page, "Regie")
    assert nothing_picked(page, "regie_huishouden")
    choose(page, "regie_huishouden", label)
    regies = "SELECT count(*) FROM regie WHERE household_id = :h"
    active = "SELECT count(*) FROM regie WHERE household_id = :h AND actief"
    if count_rows(demo_server, active, h=hid):  # start from a household without regie
        fill(page, "regie_einde_reden", "Regie eindigt voor de test")
        click(page, "regie_beeindigen")
        eventually(lambda: shows(page, "Dit huishouden heeft geen regiehouder."))
    assert "Dit huishouden heeft geen regiehouder." in main_text(page)
    before = count_rows(demo_server, regies, h=hid)
    pick(page, "regie_houder")
    fill(page, "regie_doel", "Schulden stabiliseren en wonen behouden")
    fill(page, "regie_partijen", "Woonpunt: betalingsregeling")
    # the decision for a gecoördineerde aanpak (DESIGN 8.3): confirmed, with the reason
    page.locator(".st-key-regie_samenhang_ok label").first.click()
    fill(page, "regie_samenhang", "Huurschuld en zorg hangen samen")
    double_click(page, "regie_toewijzen")
    eventually(lambda: shows(page, "Regiehouder:"))  # the banner names the new holder
    shot(page, "formulier_regie", step, "toegewezen")
    assert count_rows(demo_server, regies, h=hid) == before + 1
    assert count_rows(demo_server, active, h=hid) == 1
    assert "geen regiehouder" not in main_text(page)
    assert field_value(page, "regie_doel") == "" and field_value(page, "regie_partijen") == ""
    assert nothing_picked(page, "regie_houder")
    # transfer: the old regie ends, one new one starts, written once
    holder = "SELECT houder_user_id FROM regie WHERE household_id = :h AND actief"
    first = count_rows(demo_server, holder, h=hid)
    pick(page, "regie_houder", 1)
    double_click(page, "regie_overdragen")
    eventually(lambda: count_rows(demo_server, holder, h=hid) != first)
    eventually(lambda: shows(page, "Regiehouder:"))
    shot(page, "formulier_regie", step + 1, "overgedragen")
    assert count_rows(demo_server, regies, h=hid) == before + 2
    assert count_rows(demo_server, active, h=hid) == 1
    assert nothing_picked(page, "regie_houder")
    fill(page, "regie_einde_reden", "Doel bereikt, huishouden stabiel")
    double_click(page, "regie_beeindigen")
    eventually(lambda: shows(page, "Dit huishouden heeft geen regiehouder."))
    shot(page, "formulier_regie", step + 2, "beeindigd")
    assert count_rows(demo_server, regies, h=hid) == before + 2  # ended, not a new row
    assert count_rows(demo_server, active, h=hid) == 0
    assert page.locator(".st-key-regie_einde_reden").count() == 0  # nothing left to end


def test_logbook_double_click_writes_one_entry(page, demo_server):
    login(page, demo_server, "ervaringswerker.noord1")
    goto(page, "Logboek")
    assert nothing_picked(page, "lb_huishouden")
    pick(page, "lb_huishouden")
    logs = "SELECT count(*) FROM stability_log"
    before = count_rows(demo_server, logs)
    for corner, score in (("bestaanszekerheid", "3"), ("zorgcontinuiteit", "4"),
                          ("meedoen", "2"), ("veiligheid", "4")):  # fmt: skip
        page.locator(f".st-key-lb_{corner} label").filter(has_text=score).first.click()
        wait_idle(page)
    fill(page, "lb_verhaal", "Dubbel geklikt: het gaat iets beter.")
    double_click(page, "lb_opslaan")
    eventually(lambda: field_value(page, "lb_verhaal") == "")
    shot(page, "formulier_logboek", 1, "dubbelklik")
    assert count_rows(demo_server, logs) == before + 1
    today = time.strftime("%d-%m-%Y")
    assert f"tot {today}. Eerste → laatste" in main_text(page)  # the triangle shows the new log
    checked = page.locator(".st-key-lb_bestaanszekerheid input:checked")
    assert checked.count() == 0  # the scores are cleared


def _coordinated_experiment(server) -> tuple[int, str]:
    return tuple(
        one_value(
            server,
            "SELECT e.id, e.naam FROM experiment e "
            "JOIN experiment_member m ON m.experiment_id = e.id "
            "JOIN app_user u ON u.id = m.user_id "
            "WHERE u.naam = 'gbd' AND m.rol = 'coordinator' AND e.status = 'actief' "
            "ORDER BY e.id LIMIT 1",
        )
    )


def test_lesson_and_enrolment_double_click_write_once(page, demo_server):
    exp_id, naam = _coordinated_experiment(demo_server)
    login(page, demo_server, "gbd")
    goto(page, "Experimenten")
    assert nothing_picked(page, "ex_experiment")
    choose(page, "ex_experiment", naam)
    lessons = "SELECT count(*) FROM experiment_lesson WHERE experiment_id = :e"
    before = count_rows(demo_server, lessons, e=exp_id)
    page.get_by_role("tab", name="Lessen").click()
    fill(page, "ex_les", "Dubbel geklikt: een huisbezoek werkt beter dan een brief.")
    double_click(page, "ex_les_opslaan")
    page.get_by_role("tab", name="Lessen").click()
    eventually(lambda: field_value(page, "ex_les") == "")
    shot(page, "formulier_experiment", 1, "les")
    assert count_rows(demo_server, lessons, e=exp_id) == before + 1

    enrolments = "SELECT count(*) FROM experiment_enrolment WHERE experiment_id = :e"
    before = count_rows(demo_server, enrolments, e=exp_id)
    page.get_by_role("tab", name="Outreach").click()
    click(page, "ex_outreach")
    assert nothing_picked(page, "ex_kandidaat")
    pick(page, "ex_kandidaat")
    page.locator(".st-key-ex_toestemming label").first.click()
    wait_idle(page)
    double_click(page, "ex_inschrijven")
    page.get_by_role("tab", name="Outreach").click()
    eventually(lambda: nothing_picked(page, "ex_kandidaat"))
    shot(page, "formulier_experiment", 2, "inschrijving")
    assert count_rows(demo_server, enrolments, e=exp_id) == before + 1
    assert not page.locator(".st-key-ex_toestemming input").first.is_checked()


def test_rule_version_double_click_saves_one_version(page, demo_server):
    login(page, demo_server, "beheer")
    goto(page, "Triageregels")
    versions = "SELECT count(*) FROM rule_set"
    before = count_rows(demo_server, versions)
    highest = count_rows(demo_server, "SELECT max(versie) FROM rule_set")
    assert f"Actieve regels: versie {highest}" in main_text(page)
    fill(page, "r_toelichting", "Dubbel geklikt: zelfde regels, nieuwe versie")
    double_click(page, "r_opslaan")
    # the header shows the version just saved
    eventually(lambda: shows(page, f"Actieve regels: versie {highest + 1}"))
    shot(page, "formulier_regels", 1, "opgeslagen")
    assert count_rows(demo_server, versions) == before + 1
    eventually(lambda: field_value(page, "r_toelichting") == "")  # cleared by the rerun


def test_new_user_and_role_change_double_click_write_once(page, demo_server):
    login(page, demo_server, "beheer")
    goto(page, "Gebruikers")
    assert nothing_picked(page, "gebruiker_keuze") and nothing_picked(page, "nieuw_rol")
    naam = f"dubbel.{count_rows(demo_server, 'SELECT count(*) FROM app_user')}"
    users = "SELECT count(*) FROM app_user WHERE naam = :n"
    fill(page, "nieuw_naam", naam)
    fill(page, "nieuw_weergavenaam", "Dubbel Geklikt")
    choose(page, "nieuw_rol", "gbd")
    password = page.locator("[class*='st-key-nieuw_wachtwoord_'] input").first
    password.fill("een-lang-wachtwoord-2026")
    double_click(page, "nieuw_toevoegen")
    eventually(lambda: field_value(page, "nieuw_naam") == "")
    shot(page, "formulier_gebruikers", 1, "nieuw")
    assert count_rows(demo_server, users, n=naam) == 1
    password = page.locator("[class*='st-key-nieuw_wachtwoord_'] input").first
    assert password.input_value() == ""  # a fresh field: the password is not kept
    assert nothing_picked(page, "nieuw_rol")

    # the new account (no other test uses it) gets another role
    changes = "SELECT count(*) FROM audit_event WHERE actie = 'rol_wijzigen'"
    before = count_rows(demo_server, changes)
    choose(page, "gebruiker_keuze", naam)
    assert "Rol: gbd · actief" in main_text(page)
    choose(page, "gebruiker_nieuwe_rol", "voordeur")
    double_click(page, "gebruiker_rol_wijzigen")
    # the account on screen shows its new role
    eventually(lambda: shows(page, "Rol: voordeur · actief"), what="rol")
    assert naam in picked(page, "gebruiker_keuze")  # still the same account on screen
    shot(page, "formulier_gebruikers", 2, "rol")
    assert count_rows(demo_server, changes) == before + 1
    rol = one_value(demo_server, "SELECT rol FROM app_user WHERE naam = :n", n=naam)[0]
    assert rol == "voordeur"
    assert nothing_picked(page, "gebruiker_nieuwe_rol")


def test_melding_double_click_writes_one_signal(page, demo_server):
    login(page, demo_server, "voordeur")
    step = open_household_at_front_door(page, demo_server, "formulier_melding", 1)
    hid, _ = household_label(demo_server)
    signals = "SELECT count(*) FROM signal WHERE household_id = :h"
    before = count_rows(demo_server, signals, h=hid)
    page.get_by_text("Melding registreren (vroegsignaal").first.click()
    wait_idle(page)
    assert nothing_picked(page, "melding_soort")
    pick(page, "melding_soort")
    assert not nothing_picked(page, "melding_soort")  # the check can fail
    fill(page, "melding_bron", "Wijkagent")
    fill(page, "melding_toelichting", "Dubbel geklikt: zorgen over de buren")
    double_click(page, "melding_registreren")
    eventually(lambda: field_value(page, "melding_toelichting") == "", what="melding")
    shot(page, "formulier_melding", step, "dubbelklik")
    assert count_rows(demo_server, signals, h=hid) == before + 1
    assert field_value(page, "melding_bron") == ""
    assert nothing_picked(page, "melding_soort")
