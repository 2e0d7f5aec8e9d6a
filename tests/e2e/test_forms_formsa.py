"""Regie, Logboek, Experimenten, Triageregels and Gebruikers in a real browser: a double click
writes exactly once (rows counted in the server's database), the page then shows the saved
record, and the form is empty again.

The demo server is shared by the whole session: every test counts rows before and after and
picks its own records, so it does not depend on the writes of another test.
"""

from __future__ import annotations

import pytest

from tests.e2e.ui import (
    an_address,
    click,
    count_rows,
    double_click,
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
    assert "Dit huishouden heeft geen regiehouder." in main_text(page)
    before = count_rows(demo_server, regies, h=hid)
    pick(page, "regie_houder")
    fill(page, "regie_doel", "Schulden stabiliseren en wonen behouden")
    fill(page, "regie_partijen", "Woonpunt: betalingsregeling")
    double_click(page, "regie_toewijzen")
    shot(page, "formulier_regie", step, "toegewezen")
    assert count_rows(demo_server, regies, h=hid) == before + 1
    assert count_rows(demo_server, active, h=hid) == 1
    body = main_text(page)
    assert "Regie toegewezen aan" in body and "Regiehouder:" in body
    assert "geen regiehouder" not in body  # the banner shows the holder right after the save
    assert field_value(page, "regie_doel") == "" and field_value(page, "regie_partijen") == ""
    assert nothing_picked(page, "regie_houder")
    fill(page, "regie_einde_reden", "Doel bereikt, huishouden stabiel")
    double_click(page, "regie_beeindigen")
    shot(page, "formulier_regie", step + 1, "beeindigd")
    assert count_rows(demo_server, regies, h=hid) == before + 1  # ended, not a new row
    assert count_rows(demo_server, active, h=hid) == 0
    body = main_text(page)
    assert "Regie beëindigd." in body and "Dit huishouden heeft geen regiehouder." in body
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
    shot(page, "formulier_logboek", 1, "dubbelklik")
    assert count_rows(demo_server, logs) == before + 1
    body = main_text(page)
    assert "Logregel van" in body and "opgeslagen" in body
    assert "Laatste log" in body  # the trend below shows the new entry
    assert field_value(page, "lb_verhaal") == ""
    checked = page.locator(".st-key-lb_bestaanszekerheid input:checked")
    assert checked.count() == 0  # the scores are cleared
