"""AppTest: the household plan on the Huishouden page (first after the badges; forms for the
regie holder; read-only with an explanation for others)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination.loopmodels import GoalProgress, PlanGoal
from coordination.plan import add_goal
from households.db import make_engine
from tests.builders import (
    add_institution,
    add_provision,
    add_regie,
    first_person,
    make_household,
    make_user,
    opened,
    valid_bsn,
)

PAGE = Path(__file__).resolve().parents[2] / "app" / "views" / "huishouden.py"
TODAY = dt.date.today()


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        gerda = make_user(s, "gerda", "gbd")
        karel = make_user(s, "karel", "gbd")
        h = make_household(s, wijk="Zuid", persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
        add_provision(s, first_person(s, h), "WMO")
        add_regie(s, h, gerda, start=TODAY - dt.timedelta(days=10))
        opened(s, karel, h)
        add_institution(s, "Woonpunt")
        s.commit()
        review = TODAY + dt.timedelta(days=3)
        goal = add_goal(s, gerda, h.id, levensgebied="huisvesting", doel="Huur op tijd betaald",
                        evaluatiedatum=review, eigenaar_afdeling="ISD BOL")  # fmt: skip
        s.commit()
        ids = {"h": h.id, "goal": goal.id}
    yield {"engine": engine, "gerda": gerda, "karel": karel, **ids}
    engine.dispose()


def _app(actor) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def _texts(at) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)


def test_plan_comes_first_after_the_badges_grouped_by_corner(world):
    at = _app(world["gerda"])
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert headings[0] == "Huishoudplan"
    assert "**Bestaanszekerheid**" in [m.value for m in at.markdown]
    table = at.dataframe[0].value  # the first table on the page
    assert table.iloc[0].tolist() == [
        "Huisvesting", "Huur op tijd betaald", "ISD BOL",
        (TODAY + dt.timedelta(days=3)).strftime("%d-%m-%Y"), "Open", "ja, binnenkort",
    ]  # fmt: skip
    assert "1 toe aan evaluatie" in " ".join(m.value for m in at.markdown)


def test_holder_adds_a_goal_and_changes_a_status(world):
    at = _app(world["gerda"])
    at.selectbox(key="plan_levensgebied").set_value("sociaal_netwerk")
    at.text_area(key="plan_doel").input("Twee keer per week naar het buurthuis")
    at.radio(key="plan_eigenaar_soort").set_value("Afdeling")
    at.run()
    at.text_input(key="plan_afdeling").input("Team Wmo")
    at.date_input(key="plan_evaluatie").set_value(TODAY + dt.timedelta(days=40))
    at.button(key="plan_doel_toevoegen").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Doel toegevoegd aan het plan."
    assert at.text_area(key="plan_doel").value == ""
    with Session(world["engine"]) as s:
        goals = s.execute(select(PlanGoal.hoek, PlanGoal.eigenaar_afdeling).order_by(PlanGoal.id))
        assert list(goals)[-1] == ("meedoen", "Team Wmo")
    assert "**Meedoen**" in [m.value for m in at.markdown]
    # change the first goal's status with a note
    at.selectbox(key="plan_wijzig_doel").set_value(world["goal"]).run()
    at.selectbox(key="plan_wijzig_status").set_value("loopt")
    at.text_area(key="plan_wijzig_notitie").input("Regeling met Woonpunt getroffen")
    at.button(key="plan_wijzig_opslaan").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Doel bijgewerkt (status: Loopt)."
    with Session(world["engine"]) as s:
        notes = s.scalars(
            select(GoalProgress.notitie).where(GoalProgress.doel_id == world["goal"])
        ).all()
    assert notes == ["Doel opgesteld", "Regeling met Woonpunt getroffen"]
    assert "Open → Loopt (Gerda): Regeling met Woonpunt getroffen" in _texts(at)


def test_bad_input_shows_a_dutch_message_and_writes_nothing(world):
    at = _app(world["gerda"])
    at.text_area(key="plan_doel").input("Iets")
    at.button(key="plan_doel_toevoegen").click().run()
    assert at.error[0].value == "Kies een levensgebied."
    at.selectbox(key="plan_wijzig_doel").set_value(world["goal"]).run()
    at.button(key="plan_wijzig_opslaan").click().run()
    assert "Er is niets gewijzigd" in at.error[0].value
    with Session(world["engine"]) as s:
        assert len(s.scalars(select(PlanGoal.id)).all()) == 1
        assert len(s.scalars(select(GoalProgress.id)).all()) == 1


def test_without_regie_the_plan_is_read_only_with_an_explanation(world):
    at = _app(world["karel"])
    assert not at.exception
    assert at.subheader[0].value == "Huishoudplan"
    assert "Alleen de regiehouder (Gerda)" in at.info[0].value
    keys = {w.key for w in at.button} | {w.key for w in at.selectbox}
    assert "plan_doel_toevoegen" not in keys and "plan_wijzig_doel" not in keys
