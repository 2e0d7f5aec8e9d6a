"""The Schuldhulp page and section (AppTest): register, record steps, debts, see the deadline."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from app.auth import LAST_ACTIVITY_KEY
from coordination.shvmodels import DebtInArrangement, DebtTrajectory
from households.db import make_engine
from tests.builders import add_debt, household_with_persons, make_user, opened

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        gerda = make_user(s, "gerda", "gbd")
        h, person = household_with_persons(s, naam="Jan Jansen")
        debt = add_debt(s, person, 80_000, "Woonpunt")
        opened(s, gerda, h)
        s.commit()
    yield {"engine": engine, "gerda": gerda, "h": h.id, "debt": debt.id}
    engine.dispose()


def _app(actor, query=None) -> AppTest:
    st.cache_resource.clear()
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state[LAST_ACTIVITY_KEY] = time.time()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("views/schuldhulp.py").run()
    assert not at.exception
    return at


def _trajectory(world) -> DebtTrajectory | None:
    with Session(world["engine"]) as s:
        return s.scalar(select(DebtTrajectory))


def test_register_steps_and_debts_on_the_page(world):
    at = _app(world["gerda"], {"huishouden": str(world["h"])})
    assert at.title[0].value == "Schuldhulp"
    at.selectbox(key="shv_bron").set_value("zelf").run()
    at.selectbox(key="shv_crisis").set_value("ontruiming").run()
    at.button(key="shv_aanmelden_opslaan").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    t = _trajectory(world)
    assert (t.stap, t.crisis_soort) == ("aanmelding", "ontruiming")
    warnings = " ".join(w.value for w in (*at.warning, *at.error, *at.info))
    assert "Eerste gesprek (crisis) uiterlijk" in warnings
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Lopende trajecten"] == "1" and metrics["Crisis"] == "1"
    for stap in ("eerste_gesprek", "plan_van_aanpak"):
        at.selectbox(key="shv_stap").set_value(stap).run()
        at.button(key="shv_stap_opslaan").click().run()
        assert not at.error, [e.value for e in at.error]
    assert _trajectory(world).stap == "plan_van_aanpak"
    at.multiselect(key="shv_schulden").set_value([world["debt"]]).run()
    at.button(key="shv_schuld_opslaan").click().run()
    assert not at.error, [e.value for e in at.error]
    with Session(world["engine"]) as s:
        assert s.scalar(select(DebtInArrangement.debt_id)) == world["debt"]
    at.selectbox(key="shv_stap").set_value("beeindigd").run()
    at.button(key="shv_stap_opslaan").click().run()
    assert "Kies de reden" in " ".join(e.value for e in at.error)
    at.selectbox(key="shv_reden").set_value("doorverwezen").run()
    at.button(key="shv_stap_opslaan").click().run()
    assert not at.error
    assert _trajectory(world).reden_einde == "doorverwezen"
    assert "Geen lopend schuldhulptraject." in " ".join(m.value for m in at.markdown)


def test_the_household_page_shows_the_section(world):
    st.cache_resource.clear()
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.session_state["actor"] = world["gerda"]
    at.session_state[LAST_ACTIVITY_KEY] = time.time()
    at.query_params["huishouden"] = str(world["h"])
    at.run()
    at.switch_page("views/huishouden.py").run()
    assert not at.exception
    assert "Schuldhulp" in [h.value for h in at.subheader]
    assert at.button(key="shv_aanmelden_opslaan")


def test_beheer_sets_the_schuldhulp_norms(world):
    from households.norms import norm_days, norm_target

    with Session(world["engine"], expire_on_commit=False) as s:
        beheer = make_user(s, "bea", "beheer")
        s.commit()
    st.cache_resource.clear()
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.session_state["actor"] = beheer
    at.session_state[LAST_ACTIVITY_KEY] = time.time()
    at.run()
    at.switch_page("views/referentielijsten.py").run()
    assert not at.exception
    assert "Normen schuldhulpverlening" in [h.value for h in at.header]
    at.number_input(key="norm_shv_eerste_gesprek_dagen").set_value(10)
    at.number_input(key="norm_shv_eerste_gesprek_doel").set_value(80)
    at.button(key="norm_shv_eerste_gesprek_opslaan").click().run()
    assert not at.error, [e.value for e in at.error]
    at.number_input(key="norm_shv_crisis_dagen").set_value(2)
    at.button(key="norm_shv_crisis_opslaan").click().run()
    with Session(world["engine"]) as s:
        assert norm_days(s, "shv_eerste_gesprek") == 10
        assert norm_target(s, "shv_eerste_gesprek") == 80
        assert norm_days(s, "shv_crisis") == 2
