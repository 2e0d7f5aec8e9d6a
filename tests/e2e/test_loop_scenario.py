"""The loop in one story in a real browser (issue 11, first required test), each step as that
user does it: the ervaringswerker logs veiligheid 1; the GBD-er with regie reads the log at the
Tafel sociale veiligheid, decides, adds a plan goal for the woningcorporatie, gives it the
task (a referral) and names the blocking rule; the woningcorporatie's partner sees only their
referrals, accepts and closes this one; the GBD-er's worklist and plan show it; KISS sees the
counts per institution and the knelpunt, never the household. Counts come from the database;
screenshots go to docs/screenshots/loop_scenario_NN_*.png for the README.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from tests.e2e.test_forms_formsb import choose, offers, pick_text, saved, type_date
from tests.e2e.ui import (
    click,
    count_rows,
    double_click,
    fill,
    goto,
    login,
    main_text,
    pick,
    shot,
    wait_idle,
)

pytestmark = pytest.mark.browser

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
MARK = uuid.uuid4().hex[:6]
STORY = f"Ik slaap bij de buren sinds de ruzie van gisteren ({MARK})."
DECISION = f"Veilig wonen: woningcorporatie zoekt tijdelijke woonruimte ({MARK})"
GOAL = f"Een veilige woonplek binnen zes weken ({MARK})"
TASK = f"Huisbezoek en tijdelijke woonruimte regelen ({MARK})"
INSTITUTION = "Weller Wonen"


def _docs_shot(page, n: int, name: str) -> None:
    """The step's screenshot in test-artifacts and, for the README, in docs/screenshots."""
    shot(page, "loop_scenario", n, name)
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"loop_scenario_{n:02d}_{name}.png"), full_page=False)


def _new_page(browser, server, naam: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="nl-NL")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    login(page, server, naam)
    return ctx, page


def _one(server, sql: str, **params):
    return count_rows(server, sql, **params)


def _household(server) -> tuple[int, str]:
    """A proeftuin household of ervaringswerker.noord1 on which the demo ``gbd`` holds regie."""
    hid = _one(server, """
        SELECT MIN(r.household_id) FROM regie r JOIN app_user u ON u.id = r.houder_user_id
        WHERE u.naam = 'gbd' AND r.actief AND r.household_id IN (
            SELECT e.household_id FROM experiment_enrolment e
            JOIN experiment_member m ON m.experiment_id = e.experiment_id
            JOIN app_user w ON w.id = m.user_id
            WHERE w.naam = 'ervaringswerker.noord1')""")  # fmt: skip
    assert hid, "the demo gives the gbd user a regie in the proeftuin (data/demo_worklist.py)"
    from sqlalchemy import text

    from households.db import make_engine

    engine = make_engine(server.database_url)
    with engine.connect() as conn:
        code = conn.execute(text("SELECT huishouden_id FROM household WHERE id = :i"),
                            {"i": hid}).scalar_one()  # fmt: skip
    engine.dispose()
    return hid, code


def test_the_loop_in_one_story(browser, demo_server):
    server = demo_server
    hid, code = _household(server)

    # 1. The ervaringswerker logs veiligheid 1 for the household.
    ctx, page = _new_page(browser, server, "ervaringswerker.noord1")
    goto(page, "Logboek")
    pick_text(page, "lb_huishouden", code)
    for corner, score in (("bestaanszekerheid", "2"), ("zorgcontinuiteit", "3"),
                          ("meedoen", "2"), ("veiligheid", "1")):  # fmt: skip
        page.locator(f".st-key-lb_{corner} label").filter(has_text=score).first.click()
        wait_idle(page)
    fill(page, "lb_acuut", "Ruzie thuis, politie is geweest")
    fill(page, "lb_verhaal", STORY)
    click(page, "lb_opslaan")
    done = page.locator("[data-testid='stAlert']").filter(has_text="opgeslagen").first
    done.wait_for()
    assert "Tafel sociale veiligheid" in done.inner_text()
    done.scroll_into_view_if_needed()
    _docs_shot(page, 1, "ervaringswerker_veiligheid_1")
    log_id = _one(server, "SELECT MAX(id) FROM stability_log WHERE verhaal = :v", v=STORY)
    assert _one(server, "SELECT COUNT(*) FROM signal WHERE bron_id = :b",
                b=f"logboek:{log_id}") == 1  # fmt: skip
    item = _one(server, """SELECT MAX(a.id) FROM agenda_item a JOIN case_table t
                           ON t.id = a.case_table_id WHERE t.naam = 'Tafel sociale veiligheid'
                           AND a.household_id = :h""", h=hid)  # fmt: skip
    assert item
    ctx.close()

    # 2. The GBD-er with regie reads the log at the table and decides.
    ctx, page = _new_page(browser, server, "gbd")
    goto(page, "Casustafel")
    pick_text(page, "tafel", "Tafel sociale veiligheid")
    pick_text(page, "lus_punt", f"{item}:")
    body = main_text(page)
    assert STORY in body and "Veiligheid 1 (acuut onveilig)" in body
    page.locator(".st-key-lus_punt").scroll_into_view_if_needed()
    _docs_shot(page, 2, "gbd_leest_logboek_aan_tafel")
    pick_text(page, "besluit_agendapunt", f"{item}:")
    fill(page, "besluit_tekst", DECISION)
    choose(page, "besluit_soort", "standaard")
    double_click(page, "besluit_vastleggen")
    assert saved(page, "Besluit vastgelegd.")
    assert _one(server, "SELECT COUNT(*) FROM decision WHERE tekst = :t", t=DECISION) == 1
    decision = _one(server, "SELECT id FROM decision WHERE tekst = :t", t=DECISION)

    # 3. A goal in the plan, owned by the woningcorporatie, from that decision.
    pick_text(page, "tafel_plan_besluit", MARK)
    pick_text(page, "tafel_plan_levensgebied", "Huisvesting")
    fill(page, "tafel_plan_doel", GOAL)
    choose(page, "tafel_plan_eigenaar_soort", "Instelling")
    pick_text(page, "tafel_plan_instelling", INSTITUTION)
    review = dt.date.today() + dt.timedelta(days=42)
    type_date(page, "tafel_plan_evaluatie", review.strftime("%d-%m-%Y"))
    double_click(page, "tafel_plan_toevoegen")
    assert saved(page, "Doel toegevoegd aan het plan")
    assert _one(server, "SELECT COUNT(*) FROM plan_doel WHERE doel = :d AND decision_id = :b",
                d=GOAL, b=decision) == 1  # fmt: skip
    page.locator(".st-key-tafel_plan_besluit").scroll_into_view_if_needed()
    _docs_shot(page, 3, "tafel_doel_in_plan")

    # 4. The task for the woningcorporatie (a referral) and the rule that blocked the standard.
    pick_text(page, "opdracht_agendapunt", f"{item}:")
    fill(page, "opdracht_omschrijving", TASK)
    choose(page, "opdracht_ontvanger_soort", "Instelling")
    pick_text(page, "opdracht_instelling", INSTITUTION)
    fill(page, "opdracht_eigenaar", "Woonconsulent")
    type_date(page, "opdracht_deadline", (dt.date.today() + dt.timedelta(days=28))
              .strftime("%d-%m-%Y"))  # fmt: skip
    double_click(page, "opdracht_geven")
    assert saved(page, "Opdracht gegeven.")
    assert _one(server, "SELECT COUNT(*) FROM verwijzing WHERE taak = :t", t=TASK) == 1
    page.locator(".st-key-opdracht_omschrijving").scroll_into_view_if_needed()
    _docs_shot(page, 4, "tafel_opdracht_woningcorporatie")
    knelpunten = _one(server, "SELECT COUNT(*) FROM systeemknelpunt")
    pick_text(page, "knelpunt_bron", f"besluit {item}:")
    pick(page, "knelpunt_regel")
    fill(page, "knelpunt_tekst", "Urgentie voor een woning vraagt een beschikking die weken duurt")
    double_click(page, "knelpunt_vastleggen")
    assert _one(server, "SELECT COUNT(*) FROM systeemknelpunt") == knelpunten + 1
    ctx.close()

    # 5. The partner of the woningcorporatie: only their referrals, accept, report the outcome.
    ctx, page = _new_page(browser, server, "partner")
    goto(page, "Verwijzingen")
    assert offers(page, "vw_keuze", MARK)
    for other in ("Werkfit-traject", "Netwerkberaad met familie", "Huisbezoek: zorgmijding"):
        assert not offers(page, "vw_keuze", other)
    pick_text(page, "vw_keuze", MARK)
    text = main_text(page)
    assert "Contact bij de gemeente" in text and STORY not in text and "Schulden" not in text
    double_click(page, "vw_accepteer")
    assert saved(page, "De verwijzing is geaccepteerd.")
    _docs_shot(page, 5, "partner_accepteert")
    fill(page, "vw_voortgang", "Eerste gesprek gevoerd; woonruimte in beeld")
    click(page, "vw_voortgang_knop")
    choose(page, "vw_uitkomst", "bereikt")
    fill(page, "vw_toelichting", "Tijdelijke woning gevonden, sleutel overhandigd")
    double_click(page, "vw_afronden_knop")
    assert saved(page, "De verwijzing is afgerond met een uitkomst.")
    _docs_shot(page, 6, "partner_afgerond")
    messages = ("SELECT COUNT(*) FROM verwijzing_bericht b JOIN verwijzing v "
                "ON v.id = b.verwijzing_id WHERE v.taak = :t AND b.soort = :s")  # fmt: skip
    for soort in ("acceptatie", "voortgang", "afronding"):
        assert _one(server, messages, t=TASK, s=soort) == 1
    ctx.close()

    # 6. The GBD-er: the log on the worklist; the plan's goal carries the partner's answers.
    ctx, page = _new_page(browser, server, "gbd")
    goto(page, "Werklijst")
    body = main_text(page)
    assert code in body and "Stabiliteitslog" in body and "Veiligheid 1 van 5" in body
    _docs_shot(page, 7, "gbd_werklijst")
    page.goto(f"{server.url}/huishouden?huishouden={hid}")
    wait_idle(page)
    page.wait_for_selector(".st-key-hh_keuze")
    wait_idle(page)
    history = page.locator("[data-testid='stExpander']").filter(has_text="Geschiedenis per doel")
    history.first.wait_for()
    history.first.locator("summary").first.click()
    wait_idle(page)
    history.first.get_by_text(f"Verwijzing {INSTITUTION}: afgerond").first.wait_for()
    body = main_text(page)
    assert GOAL in body and f"Verwijzing {INSTITUTION}: geaccepteerd" in body
    assert f"Verwijzing {INSTITUTION}: afgerond — bereikt" in body
    # The regie holder can also refer an institution's goal from the plan itself.
    assert page.locator(".st-key-plan_verwijs_knop").count() == 1
    history.first.scroll_into_view_if_needed()
    _docs_shot(page, 8, "gbd_plan")
    ctx.close()

    # The ervaringswerker sees the goal they contribute to on the Logboek (read only).
    ctx, page = _new_page(browser, server, "ervaringswerker.noord1")
    goto(page, "Logboek")
    pick_text(page, "lb_huishouden", code)
    goals = page.locator(".st-key-lb_plan").first
    goals.get_by_text(GOAL).first.wait_for()
    assert INSTITUTION in goals.inner_text()
    goals.scroll_into_view_if_needed()
    _docs_shot(page, 9, "ervaringswerker_plandoelen")
    ctx.close()

    # 7. KISS: counts per institution (protected) and the knelpunt; never the household.
    ctx, page = _new_page(browser, server, "kiss")
    goto(page, "KISS-overzicht")
    page.get_by_text("Terugkoppeling door partners").first.scroll_into_view_if_needed()
    _docs_shot(page, 10, "kiss_terugkoppeling")
    assert code not in main_text(page)
    goto(page, "Knelpunten en lessen")
    body = main_text(page)
    assert code not in body and STORY not in body and MARK not in body
    _docs_shot(page, 11, "kiss_knelpunten")
    ctx.close()
    _kiss_counts_are_protected(server, code)


def _kiss_counts_are_protected(server, code: str) -> None:
    """What KISS's overview is drawn from: per institution, counts protected, no household."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from coordination.overview import partner_feedback
    from households.actor import Actor
    from households.db import make_engine
    from households.models import User

    engine = make_engine(server.database_url)
    with Session(engine) as session:
        kiss = session.scalars(select(User).where(User.naam == "kiss")).one()
        rows = partner_feedback(session, Actor(kiss.id, kiss.naam, kiss.rol), dt.date.today())
        session.rollback()
    engine.dispose()
    mine = [r for r in rows if r["instelling"] == INSTITUTION]
    assert len(mine) == 1 and code not in repr(rows)
    assert all(set(r) == {"instelling", "opdrachten", "met_terugkoppeling", "aandeel"}
               for r in rows)  # fmt: skip
