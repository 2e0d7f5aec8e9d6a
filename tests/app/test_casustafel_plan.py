"""AppTest: "Doel toevoegen aan het plan" on the Casustafel page, for decisions in force only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from app.casustafel_plan import decisions_in_force
from coordination import casetables as ct
from coordination import decisions
from coordination.loopmodels import PlanGoal
from households.db import make_engine
from tests.builders import add_regie, make_household, make_user, opened, valid_bsn

PAGE = Path(__file__).resolve().parents[2] / "app" / "views" / "casustafel.py"
TODAY = dt.date.today()


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        gerda = make_user(s, "gerda", "gbd")
        karel = make_user(s, "karel", "gbd")
        for t in ct.ensure_tables(s):
            ct.add_member(s, gerda, t.id, gerda.user_id)
            ct.add_member(s, gerda, t.id, karel.user_id)
        table = ct.list_tables(s, gerda)[0].id
        h = make_household(s, wijk="Noord", persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
        opened(s, gerda, h)
        add_regie(s, h, karel, start=TODAY - dt.timedelta(days=5))
        items = [ct.add_agenda_item(s, gerda, table, h.id, f"Vraag {n}").id for n in range(3)]
        standard = decisions.decide(s, gerda, items[0], "Schuldhulp starten", "standaard").id
        waiting = decisions.decide(s, gerda, items[1], "Bijdrage voor de huur", "maatwerk").id
        s.commit()
    yield {"engine": engine, "gerda": gerda, "standard": standard, "waiting": waiting}
    engine.dispose()


def test_only_decisions_in_force_are_offered_and_a_goal_is_added(world):
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["actor"] = world["gerda"]
    at.run()
    assert not at.exception
    box = at.selectbox(key="tafel_plan_besluit")
    assert box.options == [box.format_func(world["standard"])]  # the maatwerk one waits
    box.set_value(world["standard"])
    at.selectbox(key="tafel_plan_levensgebied").set_value("financien")
    at.text_area(key="tafel_plan_doel").input("Schuldhulptraject is gestart")
    at.radio(key="tafel_plan_eigenaar_soort").set_value("Afdeling")
    at.run()
    at.text_input(key="tafel_plan_afdeling").input("ISD BOL")
    at.date_input(key="tafel_plan_evaluatie").set_value(TODAY + dt.timedelta(days=30))
    at.button(key="tafel_plan_toevoegen").click().run()
    assert not at.exception and not at.error
    assert "Doel toegevoegd aan het plan" in at.success[0].value
    assert at.selectbox(key="tafel_plan_besluit").value is None  # emptied after the save
    with Session(world["engine"]) as s:
        goal = s.scalars(select(PlanGoal)).one()
    assert (goal.decision_id, goal.hoek, goal.eigenaar_afdeling) == (
        world["standard"], "bestaanszekerheid", "ISD BOL",
    )  # fmt: skip


def test_missing_choice_is_a_dutch_message(world):
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["actor"] = world["gerda"]
    at.run()
    at.button(key="tafel_plan_toevoegen").click().run()
    assert at.error[0].value == "Kies eerst een besluit."


def test_decisions_in_force_reads_the_agenda_status():
    row = ct.AgendaRow(1, 1, "Kerkstraat 1, Noord", "vraag", None, 7, "Besluit", "maatwerk",
                       "Gerda", None, "wacht op review")  # fmt: skip
    assert decisions_in_force([row]) == {}
    assert decisions_in_force([row.__class__(**{**row.__dict__, "status": "in werking"})]) == {
        7: "1: Kerkstraat 1, Noord — Besluit"
    }
