"""AppTest flows for the Regie page: assign, conflict message, transfer, end, regie gaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination.models import Regie, RegieParty
from households.db import make_engine
from tests.builders import (
    add_debt,
    add_provision,
    first_person,
    make_household,
    make_user,
    opened,
    valid_bsn,
)

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        gerda = make_user(s, "gerda", "gbd")
        karel = make_user(s, "karel", "gbd")
        h = make_household(s, wijk="Zuid", persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
        add_provision(s, first_person(s, h), "WMO")
        add_debt(s, first_person(s, h), 250_000)
        opened(s, gerda, h)
        s.commit()
        ids = {"h": h.id, "code": h.huishouden_id}
    yield {"engine": engine, "gerda": gerda, "karel": karel, **ids}
    engine.dispose()


def _app(actor) -> AppTest:
    at = AppTest.from_file(str(PAGES / "regie.py"), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def test_gap_then_assign_then_conflict_then_transfer_and_end(world):
    at = _app(world["gerda"])
    assert not at.exception
    assert at.warning[0].value == "Dit huishouden heeft geen regiehouder."
    gaps = at.dataframe[-1].value
    assert gaps["huishouden"].tolist() == [world["code"]]
    assert gaps["openstaande schuld"].tolist() == ["€ 2.500,00"]
    at.selectbox(key="regie_houder").set_value(world["gerda"].user_id)
    at.text_area(key="regie_doel").input("Schulden stabiliseren, wonen behouden")
    at.text_area(key="regie_partijen").input("Woonpunt: betalingsregeling\nISD BOL: schuldhulp")
    at.button(key="regie_toewijzen").click().run()
    assert not at.exception and not at.error
    assert at.success[-1].value == "Regie toegewezen."
    at.run()
    assert at.success[0].value.startswith("Regiehouder: **Gerda**")
    assert at.info[-1].value == "Geen regiegaten."
    # a second assignment names the holder
    at.button(key="regie_toewijzen").click().run()
    assert "regiehouder: Gerda" in at.error[0].value
    # transfer to Karel, keeping goal and parties
    at.text_area(key="regie_doel").input("")
    at.text_area(key="regie_partijen").input("")
    at.selectbox(key="regie_houder").set_value(world["karel"].user_id)
    at.button(key="regie_overdragen").click().run()
    assert not at.error and at.success[-1].value == "Regie overgedragen."
    with Session(world["engine"]) as s:
        active = s.scalars(select(Regie).where(Regie.actief.is_(True))).one()
        assert active.houder_user_id == world["karel"].user_id
        assert active.doel == "Schulden stabiliseren, wonen behouden"
        parties = s.scalars(select(RegieParty.partij).where(RegieParty.regie_id == active.id))
        assert list(parties) == ["Woonpunt", "ISD BOL"]
    at.text_input(key="regie_einde_reden").input("Doel bereikt")
    at.button(key="regie_beeindigen").click().run()
    assert at.success[-1].value == "Regie beëindigd."


def test_contact_at_institution_and_bad_input(world):
    at = _app(world["gerda"])
    at.radio(key="regie_houder_soort").set_value("Contactpersoon bij een instelling").run()
    at.text_input(key="regie_contact").input("Piet Smit")
    at.text_area(key="regie_doel").input("kort")
    at.button(key="regie_toewijzen").click().run()
    assert not at.exception and "minstens 5" in at.error[0].value
    at.text_area(key="regie_doel").input("Behandeling en dagbesteding")
    at.text_area(key="regie_partijen").input("alleen een naam")
    at.button(key="regie_toewijzen").click().run()
    assert "partij: taak" in at.error[0].value
    at.text_area(key="regie_partijen").input("")
    at.button(key="regie_toewijzen").click().run()
    assert not at.error and at.success[-1].value == "Regie toegewezen."
    with Session(world["engine"]) as s:
        assert s.scalar(select(Regie.houder_contact)) == "Piet Smit"


def test_user_without_households_sees_a_hint(world):
    other = world["karel"]
    at = _app(other)
    assert not at.exception
    assert at.info[0].value.startswith("U heeft nog geen huishoudens")
