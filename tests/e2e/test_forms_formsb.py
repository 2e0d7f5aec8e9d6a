"""Casustafel forms in a real browser: a double click writes once, the page then shows the saved
record (in the lists of the next forms too), and the form is empty again.

Each test makes its own records with a unique marker in the text and picks them by that text,
so it does not depend on the shared demo data or on other tests' writes.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.e2e.ui import (
    count_rows,
    double_click,
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


def saved(page, message: str) -> bool:
    """The save's own message, or — when the second click of a double click reran the page
    after the save — the form's "written once" notice (both mean one write)."""
    text = main_text(page)
    return message in text or "één keer opgeslagen" in text


def _in_days(n: int) -> dt.date:
    return dt.date.today() + dt.timedelta(days=n)


def _marker() -> str:
    return uuid.uuid4().hex[:8]


def _casustafel(page, server, naam: str) -> None:
    login(page, server, naam)
    goto(page, "Casustafel")


def offers(page, key: str, text: str) -> bool:
    """Does the selectbox ``key`` offer an option containing ``text`` (typed to filter)?"""
    box = page.locator(f".st-key-{key} input").first
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.type(text)
    page.wait_for_timeout(400)
    found = page.locator("[role='listbox'] [role='option']").filter(has_text=text).count() > 0
    page.keyboard.press("Escape")
    wait_idle(page)
    return found


def pick_text(page, key: str, text: str) -> None:
    """Choose the option of selectbox ``key`` that contains ``text``."""
    box = page.locator(f".st-key-{key} input").first
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.type(text)
    option = page.locator("[role='listbox'] [role='option']").filter(has_text=text).first
    option.wait_for(state="visible")
    option.click()
    wait_idle(page)


def choose(page, key: str, label: str) -> None:
    """Choose ``label`` in the radio group ``key``."""
    page.locator(f".st-key-{key} label").filter(has_text=label).first.click()
    wait_idle(page)


def type_date(page, key: str, value: str) -> None:
    """Type a date (dd-mm-jjjj) into the date input ``key`` (day, month and year segments)."""
    day = page.locator(f".st-key-{key} [role='spinbutton'][data-type='day']").first
    day.wait_for(state="visible")
    day.click()
    page.keyboard.type(value.replace("-", ""))
    page.keyboard.press("Tab")
    wait_idle(page)


def date_value(page, key: str) -> str:
    """The date the date input ``key`` holds (ISO, empty when none)."""
    return page.locator(f".st-key-{key} input[type='date']").first.input_value()


def save_twice(page, key: str) -> None:
    """Double click the form's button; no refusal may follow (the second click is absorbed)."""
    double_click(page, key)
    body = main_text(page)
    assert "niets opgeslagen" not in body and "Kies eerst" not in body, body


def _euros(page, label: str) -> float:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    value = box.locator("[data-testid='stMetricValue']").inner_text()
    return float(value.replace("€", "").replace(".", "").replace(",", ".").strip())


def test_agenda_decision_and_review_double_clicks_write_once(page, browser, demo_server):
    mark = _marker()
    vraag, besluit = f"Wie pakt de schulden op? {mark}", f"Eenmalig huur betalen {mark}"
    _casustafel(page, demo_server, "gbd")
    items = count_rows(demo_server, "SELECT count(*) FROM agenda_item")
    pick(page, "agenda_huishouden")
    fill(page, "agenda_vraag", vraag)
    save_twice(page, "agenda_toevoegen")
    shot(page, "formulier_casustafel", 1, "agendapunt")
    assert count_rows(demo_server, "SELECT count(*) FROM agenda_item") == items + 1
    assert saved(page, "Agendapunt toegevoegd.")
    assert field_value(page, "agenda_vraag") == "" and nothing_picked(page, "agenda_huishouden")
    assert offers(page, "besluit_agendapunt", mark)  # the new item can be decided at once

    decided = count_rows(demo_server, "SELECT count(*) FROM decision")
    pick_text(page, "besluit_agendapunt", mark)
    fill(page, "besluit_tekst", besluit)
    choose(page, "besluit_soort", "maatwerk")
    save_twice(page, "besluit_vastleggen")
    shot(page, "formulier_casustafel", 2, "besluit")
    assert count_rows(demo_server, "SELECT count(*) FROM decision") == decided + 1
    assert "Besluit vastgelegd. Het wacht op review" in main_text(page)
    # the text is gone and nothing is picked: one more click cannot decide on another household
    assert field_value(page, "besluit_tekst") == "" and nothing_picked(page, "besluit_agendapunt")
    assert not offers(page, "besluit_agendapunt", mark)
    assert offers(page, "review_besluit", besluit)  # waiting for review, shown at once

    colleague = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    other = colleague.new_page()
    other.set_default_timeout(20_000)
    try:
        _casustafel(other, demo_server, "gbd.collega")
        reviews = count_rows(demo_server, "SELECT count(*) FROM review")
        pick_text(other, "review_besluit", besluit)
        choose(other, "review_oordeel", "akkoord")
        save_twice(other, "review_vastleggen")
        shot(other, "formulier_casustafel", 3, "review")
        assert count_rows(demo_server, "SELECT count(*) FROM review") == reviews + 1
        assert "Review vastgelegd." in main_text(other)
        assert nothing_picked(other, "review_besluit")
        assert not offers(other, "review_besluit", besluit)
        assert offers(other, "budget_besluit", besluit)  # in force: the budget form offers it
    finally:
        colleague.close()


def test_action_and_feedback_double_clicks_write_once_on_the_new_action(page, demo_server):
    mark = _marker()
    opdracht, terug = f"Schuldhulp inschakelen {mark}", f"Intake gepland {mark}"
    _casustafel(page, demo_server, "gbd")
    actions = count_rows(demo_server, "SELECT count(*) FROM action")
    pick(page, "opdracht_agendapunt")
    fill(page, "opdracht_omschrijving", opdracht)
    fill(page, "opdracht_afdeling", "Schuldhulpverlening")
    fill(page, "opdracht_eigenaar", "K. Bos")
    type_date(page, "opdracht_deadline", f"{_in_days(30):%d-%m-%Y}")
    save_twice(page, "opdracht_geven")
    shot(page, "formulier_casustafel", 4, "opdracht")
    assert count_rows(demo_server, "SELECT count(*) FROM action") == actions + 1
    assert saved(page, "Opdracht gegeven.")
    assert field_value(page, "opdracht_omschrijving") == ""
    assert field_value(page, "opdracht_eigenaar") == ""
    assert date_value(page, "opdracht_deadline") == ""
    assert nothing_picked(page, "opdracht_agendapunt")
    assert nothing_picked(page, "terugkoppeling_opdracht")  # no silent first choice
    assert offers(page, "terugkoppeling_opdracht", mark)  # the new action, at once

    feedback = count_rows(demo_server, "SELECT count(*) FROM feedback")
    pick_text(page, "terugkoppeling_opdracht", mark)
    fill(page, "terugkoppeling_tekst", terug)
    fill(page, "terugkoppeling_door", "K. Bos")
    save_twice(page, "terugkoppeling_vastleggen")
    shot(page, "formulier_casustafel", 5, "terugkoppeling")
    assert count_rows(demo_server, "SELECT count(*) FROM feedback") == feedback + 1
    assert saved(page, "Terugkoppeling vastgelegd.")
    assert field_value(page, "terugkoppeling_tekst") == ""
    assert nothing_picked(page, "terugkoppeling_opdracht")
    on_new = count_rows(
        demo_server,
        "SELECT count(*) FROM feedback f JOIN action a ON a.id = f.action_id "
        "WHERE f.tekst = :t AND a.omschrijving = :o",
        t=terug,
        o=opdracht,
    )
    assert on_new == 1  # recorded on the new action, not on another one


def test_meeting_spend_and_budget_double_clicks_write_once(page, demo_server):
    _casustafel(page, demo_server, "gbd")
    meetings = count_rows(demo_server, "SELECT count(*) FROM meeting")
    day = _in_days(40 + int(_marker(), 16) % 300)
    type_date(page, "overleg_datum", f"{day:%d-%m-%Y}")
    save_twice(page, "overleg_plannen")
    shot(page, "formulier_casustafel", 6, "overleg")
    assert count_rows(demo_server, "SELECT count(*) FROM meeting") == meetings + 1
    assert f"Overleg gepland op {day:%d-%m-%Y}." in main_text(page)
    assert date_value(page, "overleg_datum") == ""

    spends = count_rows(demo_server, "SELECT count(*) FROM tws_spend")
    spent = _euros(page, "Besteed")
    pick(page, "budget_besluit")
    fill(page, "budget_bedrag", "12,50")
    fill(page, "budget_verantwoording", f"Dubbel geklikt {_marker()}")
    save_twice(page, "budget_besteden")
    shot(page, "formulier_casustafel", 7, "uitgave")
    assert count_rows(demo_server, "SELECT count(*) FROM tws_spend") == spends + 1
    assert saved(page, "Uitgave vastgelegd: € 12,50.")
    assert _euros(page, "Besteed") == pytest.approx(spent + 12.5)  # the metrics are fresh
    assert field_value(page, "budget_bedrag") == "" and nothing_picked(page, "budget_besluit")

    events = "SELECT count(*) FROM audit_event WHERE actie = 'budget_vaststellen'"
    before = count_rows(demo_server, events)
    fill(page, "budget_jaarbedrag", "250.000")
    save_twice(page, "budget_vaststellen")
    shot(page, "formulier_casustafel", 8, "budget")
    assert count_rows(demo_server, events) == before + 1
    assert _euros(page, "Budget") == 250_000
    assert field_value(page, "budget_jaarbedrag") == ""
