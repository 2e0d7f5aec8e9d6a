"""The loop in the real browser: an ervaringswerker scores veiligheid 1, the household is on
the Tafel sociale veiligheid agenda and the GBD-er reads the log there; KISS answers a question
from a table and reads the systeemknelpunten (screenshots for the README)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.ui import (
    click,
    count_rows,
    fill,
    goto,
    login,
    main_text,
    pick,
    shot,
    wait_idle,
)

pytestmark = pytest.mark.browser

STORY = "Ik slaap bij de buren sinds de ruzie van gisteren."


def _veiligheid_item_index(server, household_id: int) -> tuple[int, int]:
    """(index in the table's agenda picker, agenda item id) of the household's open item."""
    from sqlalchemy import text

    from households.db import make_engine

    engine = make_engine(server.database_url)
    with engine.connect() as conn:
        items = conn.execute(text(
            "SELECT a.id, a.household_id, d.id FROM agenda_item a "
            "JOIN case_table t ON t.id = a.case_table_id "
            "LEFT JOIN decision d ON d.agenda_item_id = a.id "
            "WHERE t.naam = 'Tafel sociale veiligheid' ORDER BY a.id, d.id"
        )).all()  # fmt: skip
    engine.dispose()
    ids = list(dict.fromkeys(i for i, _, _ in items))
    mine = next(i for i, h, d in items if h == household_id and d is None)
    return ids.index(mine), mine


def test_veiligheid_one_reaches_the_table_and_the_gbd_reads_the_log(browser, demo_server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    login(page, demo_server, "ervaringswerker.noord1")
    goto(page, "Logboek")
    pick(page, "lb_huishouden")
    for corner, score in (("bestaanszekerheid", "2"), ("zorgcontinuiteit", "3"),
                          ("meedoen", "2"), ("veiligheid", "1")):  # fmt: skip
        page.locator(f".st-key-lb_{corner} label").filter(has_text=score).first.click()
        wait_idle(page)
    fill(page, "lb_acuut", "Ruzie thuis, politie is geweest")
    fill(page, "lb_verhaal", STORY)
    click(page, "lb_opslaan")
    saved = page.locator("[data-testid='stAlert']").filter(has_text="opgeslagen").first
    saved.wait_for()
    assert "Tafel sociale veiligheid" in saved.inner_text()
    saved.scroll_into_view_if_needed()
    shot(page, "lus", 1, "ervaringswerker_veiligheid_1")
    log_id = count_rows(demo_server, "SELECT MAX(id) FROM stability_log WHERE verhaal = :v",
                        v=STORY)  # fmt: skip
    household = count_rows(demo_server, "SELECT household_id FROM stability_log WHERE id = :i",
                           i=log_id)  # fmt: skip
    assert count_rows(demo_server, "SELECT COUNT(*) FROM signal WHERE bron_id = :b",
                      b=f"logboek:{log_id}") == 1  # fmt: skip
    # The ervaringswerker sees the decisions of the tables for their households.
    assert "Besluiten van de tafels voor uw huishoudens" in main_text(page)
    ctx.close()

    ctx = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="nl-NL")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    login(page, demo_server, "gbd")
    goto(page, "Casustafel")
    pick(page, "tafel", 2)  # Brede tafel, Tafel Noord en Oost, Tafel sociale veiligheid
    index, _ = _veiligheid_item_index(demo_server, household)
    pick(page, "lus_punt", index)
    body = main_text(page)
    assert STORY in body and "Veiligheid 1 (acuut onveilig)" in body
    # The reason written in the audit: the table, or the regie when this GBD-er holds it.
    assert re.search(r"reden: (casustafel Tafel sociale veiligheid|regiehouder)", body)
    page.locator(".st-key-lus_punt").scroll_into_view_if_needed()
    shot(page, "lus", 2, "casustafel_veiligheid_logboek")
    ctx.close()


def test_kiss_answers_a_question_and_reads_the_knelpunten(page, demo_server):
    login(page, demo_server, "kiss")
    goto(page, "Vraagbaak")
    open_before = count_rows(demo_server, "SELECT COUNT(*) FROM escalatie WHERE antwoord IS NULL")
    assert open_before >= 1
    shot(page, "kiss", 4, "vraagbaak")
    pick(page, "vb_vraag")
    fill(page, "vb_antwoord", "Nee, de norm geldt; KISS agendeert dit bij het college.")
    click(page, "vb_antwoorden")
    page.locator("[data-testid='stAlert']").filter(has_text="beantwoord").first.wait_for()
    assert count_rows(demo_server, "SELECT COUNT(*) FROM escalatie WHERE antwoord IS NULL") == (
        open_before - 1
    )
    goto(page, "Knelpunten en lessen")
    body = main_text(page)
    # The table is drawn on a canvas: the expanders with descriptions are in the page's text.
    assert "Participatiewet: kostendelersnorm: 5 beschrijvingen" in body
    shot(page, "kiss", 5, "knelpunten")
