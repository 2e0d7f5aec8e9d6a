"""AppTest flows for the Voordeur page: search, open, register request, triage, new household."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination.models import AgendaItem
from households.db import make_engine
from households.models import HelpRequest, Household
from tests.builders import add_request, make_household, make_user, valid_bsn

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
TODAY = dt.date.today()


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        anna = make_user(s, "anna", "voordeur")
        h = make_household(
            s,
            wijk="Noord",
            postcode="6443AB",
            huisnummer="12",
            straat="Kennedylaan",
            persons=[(valid_bsn(1), "Jan Pieter de Vries", "hoofdbewoner")],
        )
        add_request(s, h, TODAY - dt.timedelta(days=100))
        add_request(s, h, TODAY - dt.timedelta(days=20), voordeur="JEUGD", domein="JEUGD")
        s.commit()
        ids = {"h": h.id}
    yield {"engine": engine, "anna": anna, **ids}
    engine.dispose()


def _app(actor) -> AppTest:
    at = AppTest.from_file(str(PAGES / "voordeur.py"), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def _search_and_open(at, world):
    at.text_input(key="zoek_bsn").input(valid_bsn(1)).run()
    at.button(key="zoek").click().run()
    pick = at.selectbox(key="kies_huishouden")
    assert pick.value is None and pick.placeholder == "Kies een persoon of huishouden"
    assert at.markdown[0].value == "**1 persoon gevonden**"
    pick.select_index(0).run()
    at.text_input(key="doel").input("Hulpvraag aan de balie").run()
    at.button(key="openen").click().run()
    assert not at.exception and not at.error
    return at


def test_search_open_register_and_triage(world):
    at = _search_and_open(_app(world["anna"]), world)
    assert at.header[-1].value == "Huishouden Kennedylaan 12, 6443 AB"
    at.selectbox(key="aanvraag_domein").set_value("ISD")
    at.text_area(key="aanvraag_omschrijving").input("Geen inkomen meer sinds ontslag")
    at.selectbox(key="aanvraag_urgentie").set_value("normaal")
    at.button(key="aanvraag_registreren").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Dit is aanvraag 3 in 12 maanden."
    assert "maatwerk" in at.info[1].value
    assert any("3e aanvraag in 12 maanden" in m.value for m in at.markdown)
    assert at.radio(key="triage_keuze").value == "maatwerk"
    at.button(key="triage_besluiten").click().run()
    assert not at.error
    assert at.success[-1].value == "Triage vastgelegd: maatwerk → agenda Tafel Noord en Oost."
    with Session(world["engine"]) as s:
        req = s.scalars(select(HelpRequest).where(HelpRequest.voordeur == "CENTRAAL")).one()
        assert (req.domein, req.triage_advies, req.triage) == ("ISD", "maatwerk", "maatwerk")
        assert s.scalar(select(AgendaItem.help_request_id)) == req.id
    at.run()
    journey = [m.value for m in at.markdown if "via centrale voordeur" in m.value]
    assert journey and "intake: anna" in journey[0] and "nog geen besluit" in journey[0]
    steps = next(m.value for m in at.markdown if "agendapunt: Tafel Noord en Oost" in m.value)
    assert "triage: maatwerk" in steps


def test_override_without_reason_shows_message(world):
    at = _search_and_open(_app(world["anna"]), world)
    at.selectbox(key="aanvraag_domein").set_value("WMO")
    at.selectbox(key="aanvraag_urgentie").set_value("normaal")
    at.text_area(key="aanvraag_omschrijving").input("Vraag over een traplift")
    at.button(key="aanvraag_registreren").click().run()
    at.radio(key="triage_keuze").set_value("standaard")
    at.button(key="triage_besluiten").click().run()
    assert "geef een reden op" in at.error[0].value
    at.text_input(key="triage_reden").input("Alleen een traplift, verder stabiel").run()
    at.button(key="triage_besluiten").click().run()
    assert at.success[-1].value == "Triage vastgelegd: standaard → normaal proces WMO."


def test_bad_input_gives_messages_not_tracebacks(world):
    at = _app(world["anna"])
    at.text_input(key="zoek_bsn").input("123456789").run()
    at.button(key="zoek").click().run()
    assert not at.exception and "geen geldig BSN" in at.error[0].value
    at = _search_and_open(_app(world["anna"]), world)
    at.text_area(key="aanvraag_omschrijving").input("kort")
    at.button(key="aanvraag_registreren").click().run()
    assert not at.exception and "Kies het domein" in at.error[0].value
    at.selectbox(key="aanvraag_domein").set_value("WMO")
    at.selectbox(key="aanvraag_urgentie").set_value("hoog")
    at.button(key="aanvraag_registreren").click().run()
    assert not at.exception and "minstens 5" in at.error[0].value


def test_open_without_purpose_is_refused(world):
    at = _app(world["anna"])
    at.text_input(key="zoek_naam").input("vries").run()
    at.button(key="zoek").click().run()
    at.selectbox(key="kies_huishouden").select_index(0).run()
    at.button(key="openen").click().run()
    assert "doel" in at.error[0].value and [h.value for h in at.header] == ["Huishouden zoeken"]


def test_open_without_a_pick_is_refused(world):
    at = _app(world["anna"])
    at.text_input(key="zoek_naam").input("vries").run()
    at.button(key="zoek").click().run()
    at.text_input(key="doel").input("Hulpvraag aan de balie").run()
    at.button(key="openen").click().run()
    assert (
        not at.exception
        and "Kies eerst een persoon" in at.error[0].value
        and [h.value for h in at.header] == ["Huishouden zoeken"]
    )


def test_many_matches_show_the_count_and_page_without_preselection(world):
    with Session(world["engine"]) as s:
        for i in range(30):
            make_household(
                s,
                wijk="Zuid",
                postcode="6441AB",
                huisnummer=str(i + 1),
                straat="Markt",
                persons=[(valid_bsn(200 + i), f"Mia {chr(65 + i)}. Stassen", "kind", 1990 + i)],
            )
        s.commit()
    at = _app(world["anna"])
    at.text_input(key="zoek_naam").input("stassen").run()
    at.button(key="zoek").click().run()
    assert not at.exception and not at.error
    assert at.markdown[0].value == (
        "**30 personen gevonden — verfijn met voornaam of geboortejaar**"
    )
    pick = at.selectbox(key="kies_huishouden")
    assert pick.value is None and len(pick.options) == 25
    assert "M.A. Stassen (1990) — Markt 1, 6441 AB — wijk Zuid — 1 pers." in pick.options
    at.button(key="zoek_volgende").click().run()
    pick = at.selectbox(key="kies_huishouden")
    assert pick.value is None and len(pick.options) == 5
    assert "Pagina 2 van 2" in at.caption[-1].value or any(
        "Pagina 2 van 2" in c.value for c in at.caption
    )
    pick.select_index(4).run()
    at.button(key="zoek_vorige").click().run()
    pick = at.selectbox(key="kies_huishouden")
    assert pick.value is None and len(pick.options) == 25  # a new page never keeps a pick
    at.number_input(key="zoek_geboortejaar").set_value(1995).run()
    at.button(key="zoek").click().run()
    assert at.markdown[0].value == "**1 persoon gevonden**"


def test_the_new_household_form_starts_empty_and_names_missing_fields(world):
    at = _app(world["anna"])
    assert at.selectbox(key="nieuw_wijk").value is None
    assert at.selectbox(key="nieuw_rol").value is None
    assert at.number_input(key="nieuw_geboortejaar").value is None
    at.text_input(key="nieuw_postcode").input("6444 cd")
    at.text_input(key="nieuw_huisnummer").input("3")
    at.text_input(key="nieuw_straat").input("Vijverweg")
    at.text_input(key="nieuw_bsn").input(valid_bsn(7))
    at.button(key="nieuw_registreren").click().run()
    assert not at.exception
    assert at.error[0].value == "Vul de verplichte velden in: wijk, geboortejaar en rol."
    with Session(world["engine"]) as s:
        assert s.scalar(select(Household.id).where(Household.postcode == "6444CD")) is None


def test_register_unknown_household(world):
    at = _app(world["anna"])
    at.selectbox(key="nieuw_wijk").set_value("Oost")
    at.number_input(key="nieuw_geboortejaar").set_value(1984)
    at.selectbox(key="nieuw_rol").set_value("hoofdbewoner")
    at.text_input(key="nieuw_postcode").input("6444 cd")
    at.text_input(key="nieuw_huisnummer").input("3")
    at.text_input(key="nieuw_straat").input("Vijverweg")
    at.text_input(key="nieuw_bsn").input(valid_bsn(7))
    at.text_input(key="nieuw_naam").input("Sara Bakker")
    at.button(key="nieuw_registreren").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Huishouden aangemeld en geopend."
    assert at.header[-1].value == "Huishouden Vijverweg 3, 6444 CD"
    with Session(world["engine"]) as s:
        assert s.scalar(select(Household.wijk).where(Household.postcode == "6444CD")) == "Oost"


def test_register_with_invalid_bsn(world):
    at = _app(world["anna"])
    at.selectbox(key="nieuw_wijk").set_value("Oost")
    at.number_input(key="nieuw_geboortejaar").set_value(1984)
    at.selectbox(key="nieuw_rol").set_value("hoofdbewoner")
    at.text_input(key="nieuw_postcode").input("6444CD")
    at.text_input(key="nieuw_huisnummer").input("3")
    at.text_input(key="nieuw_straat").input("Vijverweg")
    at.text_input(key="nieuw_bsn").input("111222334")
    at.button(key="nieuw_registreren").click().run()
    assert not at.exception and "BSN" in at.error[0].value


def _requests(world) -> int:
    with Session(world["engine"]) as s:
        return len(
            s.scalars(select(HelpRequest).where(HelpRequest.household_id == world["h"])).all()
        )


def _fill_request(at, text="Hulp bij de administratie"):
    at.selectbox(key="aanvraag_domein").set_value("ISD")
    at.selectbox(key="aanvraag_urgentie").set_value("normaal")
    at.text_area(key="aanvraag_omschrijving").input(text)


def test_a_resubmitted_request_is_written_once_and_the_form_is_cleared(world):
    at = _search_and_open(_app(world["anna"]), world)
    before = _requests(world)
    _fill_request(at)
    rendered = at.session_state["_formulier_hulpvraag"]  # the token of the form as filled in
    at.button(key="aanvraag_registreren").click().run()
    assert not at.exception and not at.error
    assert _requests(world) == before + 1
    # after the save the page shows the new state and an empty form
    assert at.metric[3].value == str(before + 1)
    assert at.selectbox(key="aanvraag_domein").value is None
    assert at.text_area(key="aanvraag_omschrijving").value == ""
    assert at.session_state["_formulier_hulpvraag"].token != rendered.token
    # the same submission again (a double click, a retried request): nothing more is written
    at.session_state["_formulier_hulpvraag"] = rendered
    _fill_request(at)
    at.button(key="aanvraag_registreren").click().run()
    assert not at.exception and not at.error
    assert any("één keer opgeslagen" in m.value for m in at.info)
    assert _requests(world) == before + 1


def test_a_form_filled_in_for_another_household_is_refused(world):
    at = _search_and_open(_app(world["anna"]), world)
    before = _requests(world)
    _fill_request(at)
    ticket = at.session_state["_formulier_hulpvraag"]
    # the form was rendered for another household than the one now on screen
    at.session_state["_formulier_hulpvraag"] = type(ticket)(ticket.token, world["h"] + 999)
    at.button(key="aanvraag_registreren").click().run()
    assert not at.exception
    assert "niets opgeslagen" in at.error[0].value
    assert _requests(world) == before
