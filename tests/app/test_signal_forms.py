"""Melding (Voordeur) and Wgs follow-up (Huishouden) forms: saved once, shown, form emptied."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination.access import open_household
from households.db import make_engine
from households.models import Signal
from tests.builders import make_household, make_user, valid_bsn

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
TODAY = dt.date.today()


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        h = make_household(s, wijk="Noord", postcode="6443AB", huisnummer="12",
                           persons=[(valid_bsn(1), "Jan de Vries", "hoofdbewoner")])  # fmt: skip
        anna = make_user(s, "anna", "voordeur")
        gerda = make_user(s, "gerda", "gbd")
        s.add(Signal(household_id=h.id, soort="huurachterstand", bron="Weller Wonen",
                     gemeld_op=TODAY - dt.timedelta(days=10)))  # fmt: skip
        s.commit()
        open_household(s, gerda, h.id, "Wgs-signaal opvolgen")
        s.commit()
        data = {"engine": engine, "anna": anna, "gerda": gerda, "h": h.id}
    yield data
    engine.dispose()


def _page(name, actor) -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def _signals(world) -> list[Signal]:
    with Session(world["engine"]) as s:
        return list(s.scalars(select(Signal).order_by(Signal.id)))


def test_voordeur_registers_a_melding_once_and_shows_it(world):
    at = _page("voordeur.py", world["anna"])
    at.text_input(key="zoek_bsn").input(valid_bsn(1)).run()
    at.button(key="zoek").click().run()
    at.selectbox(key="kies_huishouden").select_index(0).run()
    at.text_input(key="doel").input("Melding van school").run()
    at.button(key="openen").click().run()
    at.selectbox(key="melding_soort").set_value("school")
    at.text_input(key="melding_bron").input("Basisschool De Egge")
    at.text_area(key="melding_toelichting").input("Veel verzuim sinds de zomer")
    ticket = at.session_state["_formulier_melding"]
    at.button(key="melding_registreren").click().run()
    assert not at.exception and not at.error
    assert any(m.value == "Melding geregistreerd." for m in at.success)
    assert [s.soort for s in _signals(world)] == ["huurachterstand", "school"]
    assert at.text_input(key="melding_bron").value == ""
    assert at.selectbox(key="melding_soort").value is None
    # the same submission again writes nothing
    at.session_state["_formulier_melding"] = ticket
    at.selectbox(key="melding_soort").set_value("school")
    at.button(key="melding_registreren").click().run()
    assert len(_signals(world)) == 2
    # a ticket for another household is refused
    at.session_state["_formulier_melding"] = type(ticket)(ticket.token + "0", world["h"] + 1)
    at.selectbox(key="melding_soort").set_value("overlast")
    at.button(key="melding_registreren").click().run()
    assert "niets opgeslagen" in at.error[0].value and len(_signals(world)) == 2


def test_huishouden_records_wgs_steps_and_shows_them(world):
    at = _page("huishouden.py", world["gerda"])
    assert not at.exception and not at.error
    assert at.dataframe[-1].value["opvolging"].tolist() == ["nog niets"]
    at.button(key="wgs_vastleggen").click().run()
    assert "Kies het signaal" in at.error[0].value
    sid = _signals(world)[0].id
    at.selectbox(key="wgs_signaal").set_value(sid).run()
    at.selectbox(key="wgs_stap").set_value("hulp_aangeboden")
    at.button(key="wgs_vastleggen").click().run()
    assert not at.exception and not at.error
    assert any(m.value == "Stap vastgelegd." for m in at.success)
    assert at.dataframe[-1].value["opvolging"].tolist()[0].startswith("hulp aangeboden")
    assert at.selectbox(key="wgs_stap").value is None
    assert list(at.selectbox(key="wgs_stap").options) == ["hulp aanvaard", "hulp geweigerd"]
    assert _signals(world)[0].hulp_aangeboden_op == TODAY
