"""AppTest flows for the Regie page: assign, conflict message, transfer, end, regie gaps."""

from __future__ import annotations

import datetime as dt
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
TODAY = dt.date.today().strftime("%d-%m-%Y")


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        gerda = make_user(s, "gerda", "gbd")
        karel = make_user(s, "karel", "gbd")
        h = make_household(s, wijk="Zuid", persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
        add_provision(s, first_person(s, h), "WMO")
        add_provision(s, first_person(s, h), "ISD", "bijstand")  # 2 domains + debt: complex
        add_debt(s, first_person(s, h), 250_000)
        opened(s, gerda, h)
        s.commit()
        ids = {"h": h.id, "code": h.huishouden_id}
    yield {"engine": engine, "gerda": gerda, "karel": karel, **ids}
    engine.dispose()


def _app(actor, household=None) -> AppTest:
    at = AppTest.from_file(str(PAGES / "regie.py"), default_timeout=60)
    at.session_state["actor"] = actor
    at.run()
    if household is not None:
        at.selectbox(key="regie_huishouden").set_value(household).run()
    return at


def _regies(world) -> list[tuple[int | None, bool]]:
    with Session(world["engine"]) as s:
        return list(s.execute(select(Regie.houder_user_id, Regie.actief).order_by(Regie.id)))


def _fill(at, houder, doel="Schulden stabiliseren, wonen behouden", partijen=""):
    at.selectbox(key="regie_houder").set_value(houder)
    at.text_area(key="regie_doel").input(doel)
    at.text_area(key="regie_partijen").input(partijen)
    _connected(at)


def _connected(at):
    """Confirm the gecoördineerde aanpak (DESIGN 8.3) when the form asks for it."""
    if any(c.key == "regie_samenhang_ok" for c in at.checkbox):
        at.checkbox(key="regie_samenhang_ok").check()
        at.text_area(key="regie_samenhang").input("Schulden en wonen hangen samen")


def test_nothing_is_preselected(world):
    at = _app(world["gerda"])
    assert not at.exception
    assert at.selectbox(key="regie_huishouden").value is None
    assert not at.warning and not at.button  # no form before a household is chosen
    at.selectbox(key="regie_huishouden").set_value(world["h"]).run()
    assert at.selectbox(key="regie_houder").value is None


def test_gap_then_assign_then_transfer_and_end(world):
    at = _app(world["gerda"], world["h"])
    assert not at.exception
    assert at.warning[0].value == "Dit huishouden heeft geen regiehouder."
    gaps = at.dataframe[-1].value
    assert gaps["huishouden"].tolist() == [world["code"]]
    assert gaps["nr"].tolist() == [1]
    assert gaps["waarom urgent"].tolist() == ["complex; 2 domeinen; schuld € 2.500"]
    _fill(at, world["gerda"].user_id, partijen="Woonpunt: betalingsregeling\nISD BOL: schuldhulp")
    at.button(key="regie_toewijzen").click().run()
    assert not at.exception and not at.error
    # right after the save the page shows the new holder (not "geen regiehouder")
    assert [s.value for s in at.success][:2] == [
        "Regie toegewezen aan Gerda.",
        f"Regiehouder: **Gerda** sinds {TODAY}",
    ]
    assert not at.warning and at.info[-1].value == "Geen regiegaten."
    assert at.text_area(key="regie_doel").value == ""
    assert at.selectbox(key="regie_houder").value is None
    assert at.header[0].value == "Regie overdragen"  # no second assignment offered
    assert not [b for b in at.button if b.key == "regie_toewijzen"]
    # transfer to Karel, keeping goal and parties
    at.selectbox(key="regie_houder").set_value(world["karel"].user_id)
    at.button(key="regie_overdragen").click().run()
    assert not at.error and at.success[0].value == "Regie overgedragen aan Karel."
    assert at.success[1].value.startswith("Regiehouder: **Karel**")
    with Session(world["engine"]) as s:
        active = s.scalars(select(Regie).where(Regie.actief.is_(True))).one()
        assert active.houder_user_id == world["karel"].user_id
        assert active.doel == "Schulden stabiliseren, wonen behouden"
        parties = s.scalars(select(RegieParty.partij).where(RegieParty.regie_id == active.id))
        assert list(parties) == ["Woonpunt", "ISD BOL"]
    at.text_input(key="regie_einde_reden").input("Doel bereikt")
    at.button(key="regie_beeindigen").click().run()
    assert at.success[0].value == "Regie beëindigd."
    assert at.warning[0].value == "Dit huishouden heeft geen regiehouder."
    assert at.header[0].value == "Regie toewijzen"
    assert [a for _, a in _regies(world)] == [False, False]


def test_a_resubmitted_transfer_is_written_once(world):
    at = _app(world["gerda"], world["h"])
    _fill(at, world["gerda"].user_id)
    at.button(key="regie_toewijzen").click().run()
    assert not at.error and len(_regies(world)) == 1
    at.selectbox(key="regie_houder").set_value(world["karel"].user_id)
    rendered = at.session_state["_formulier_regie_overdragen"]
    at.button(key="regie_overdragen").click().run()
    assert not at.error and len(_regies(world)) == 2
    assert at.session_state["_formulier_regie_overdragen"].token != rendered.token
    # the same submission again (a double click, a retried request): nothing more is written;
    # its ticket names the regie it was filled in for, which has just ended
    at.session_state["_formulier_regie_overdragen"] = rendered
    at.selectbox(key="regie_houder").set_value(world["gerda"].user_id)
    at.button(key="regie_overdragen").click().run()
    assert not at.exception and "niets opgeslagen" in at.error[0].value
    # and the used token, even bound to the regie now on screen, is not written again
    now = at.session_state["_formulier_regie_overdragen"].target
    at.session_state["_formulier_regie_overdragen"] = type(rendered)(rendered.token, now)
    at.button(key="regie_overdragen").click().run()
    assert not at.error and any("één keer opgeslagen" in m.value for m in at.info)
    assert _regies(world) == [(world["gerda"].user_id, False), (world["karel"].user_id, True)]


def test_a_form_filled_in_for_another_regie_is_refused(world):
    at = _app(world["gerda"], world["h"])
    _fill(at, world["gerda"].user_id)
    at.button(key="regie_toewijzen").click().run()
    at.selectbox(key="regie_houder").set_value(world["karel"].user_id)
    at.text_input(key="regie_einde_reden").input("Doel bereikt")
    ticket = at.session_state["_formulier_regie_beeindigen"]
    # the end form was drawn for the regie before this one (another tab, a colleague)
    at.session_state["_formulier_regie_beeindigen"] = type(ticket)(
        ticket.token, (world["h"], ticket.target[1] + 999)
    )
    at.button(key="regie_beeindigen").click().run()
    assert not at.exception and "niets opgeslagen" in at.error[0].value
    assert _regies(world) == [(world["gerda"].user_id, True)]
    ticket = at.session_state["_formulier_regie_overdragen"]
    at.session_state["_formulier_regie_overdragen"] = type(ticket)(ticket.token, (world["h"], None))
    at.button(key="regie_overdragen").click().run()
    assert "niets opgeslagen" in at.error[0].value
    assert _regies(world) == [(world["gerda"].user_id, True)]


def test_contact_at_institution_and_bad_input(world):
    at = _app(world["gerda"], world["h"])
    at.radio(key="regie_houder_soort").set_value("Contactpersoon bij een instelling").run()
    assert at.selectbox(key="regie_instelling").value is None
    at.text_input(key="regie_contact").input("Piet Smit")
    _connected(at)
    at.text_area(key="regie_doel").input("kort")
    at.button(key="regie_toewijzen").click().run()
    assert not at.exception and "minstens 5" in at.error[0].value
    at.text_area(key="regie_doel").input("Behandeling en dagbesteding")
    at.text_area(key="regie_partijen").input("alleen een naam")
    at.button(key="regie_toewijzen").click().run()
    assert "partij: taak" in at.error[0].value
    assert at.text_input(key="regie_contact").value == "Piet Smit"  # kept after a refusal
    at.text_area(key="regie_partijen").input("")
    at.button(key="regie_toewijzen").click().run()
    assert not at.error and at.success[0].value == "Regie toegewezen aan Piet Smit."
    with Session(world["engine"]) as s:
        assert s.scalar(select(Regie.houder_contact)) == "Piet Smit"


def test_user_without_households_sees_a_hint(world):
    other = world["karel"]
    at = _app(other)
    assert not at.exception
    assert at.info[0].value.startswith("U heeft nog geen huishoudens")
