"""AppTest of issue 12's screens: the reference-data section of Importeren (productcategorie
and the Wgs norm), the KISS figure on the overview, and the partner's arrears form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from households.actor import Actor
from households.db import make_engine
from households.models import Institution, ProductCategory, Signal, User
from households.norms import WGS_OFFER, norm_days
from tests.app.test_import_page import import_page  # noqa: F401 (fixture)
from tests.builders import add_signal, make_household, make_user

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
FORM_SCRIPT = """
import streamlit as st
from app.arrears_form import render
render(st.session_state["actor"])
"""


def test_beheer_maps_a_product_category(import_page, session):  # noqa: F811
    at = import_page
    at.selectbox(key="pc_keuze").set_value("iwmo:07").run()
    at.button(key="pc_opslaan").click().run()  # no soort chosen: refused, nothing written
    assert at.error[0].value.startswith("Kies een soort voorziening van WMO: ")
    at.selectbox(key="pc_soort").set_value("vervoer")
    at.button(key="pc_opslaan").click().run()
    assert not at.exception
    assert at.success[0].value == "Productcategorie 07 wordt nu: vervoer."
    session.expire_all()
    assert session.get(ProductCategory, ("iwmo", "07")).soort == "vervoer"


def test_beheer_sets_the_wgs_norm(import_page, session):  # noqa: F811
    at = import_page
    at.number_input(key="norm_dagen").set_value(10)
    at.button(key="norm_opslaan").click().run()
    assert not at.exception
    assert at.success[0].value == "De norm is nu 10 dagen."
    session.expire_all()
    assert norm_days(session, WGS_OFFER) == 10


def test_kiss_overview_shows_the_protected_wgs_figure(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        actor = make_user(s, "kees", "kiss")
        for i in range(6):
            h = make_household(s, huisnummer=str(i + 1), persons=[(None, "A", "hoofdbewoner")])
            sig = add_signal(s, h, "huurachterstand", gemeld_op=dt.date.today().replace(day=1)
                             - dt.timedelta(days=60))  # fmt: skip
            sig.hulp_aangeboden_op = sig.gemeld_op + dt.timedelta(days=2 if i else 40)
        s.commit()
    at = AppTest.from_file(str(PAGES / "kiss_overzicht.py"), default_timeout=60)
    at.session_state["actor"] = actor
    at.run()
    assert not at.exception and not at.error
    table = next(d.value for d in at.dataframe if "Achterstand" in d.value.columns)
    huur = table[table["Achterstand"] == "Huur"].iloc[0]
    assert huur["Buiten de norm"] == "<5" and "x" in (huur["Binnen de norm"], huur["Signalen"])
    assert any("Vroegsignalering" in h.value for h in at.header)
    engine.dispose()


@pytest.fixture
def partner(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        inst = Institution(instelling_id="I7", naam="Weller Wonen", type="woningcorporatie")
        s.add(inst)
        s.flush()
        user = User(naam="weller", rol="partner", wachtwoord_hash="x", institution_id=inst.id)
        s.add(user)
        make_household(s, postcode="6441AB", huisnummer="12", persons=[(None, "A", "hoofdbewoner")])
        s.commit()
        yield Actor(user.id, "weller", "partner"), s
    engine.dispose()


def _report(at, huisnummer: str):
    at.text_input(key="ach_postcode").input("6441 ab")
    at.text_input(key="ach_huisnummer").input(huisnummer)
    at.date_input(key="ach_datum").set_value(dt.date(2026, 3, 2))
    at.button(key="ach_melden").click().run()
    assert not at.exception and not at.error
    return at.success[0].value


def test_partner_form_says_the_same_whether_or_not_a_household_was_found(partner):
    actor, s = partner
    at = AppTest.from_string(FORM_SCRIPT, default_timeout=60)
    at.session_state["actor"] = actor
    at.run()
    found = _report(at, "12")
    not_found = _report(at, "99")
    assert found == not_found and found.startswith("Dank u. Het signaal is ontvangen.")
    assert [x.soort for x in s.scalars(select(Signal))] == ["huurachterstand"]


def test_partner_form_is_not_shown_to_other_partners(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        inst = Institution(instelling_id="I8", naam="Mondriaan", type="ggz")
        s.add(inst)
        s.flush()
        user = User(naam="ggz", rol="partner", wachtwoord_hash="x", institution_id=inst.id)
        s.add(user)
        s.commit()
        at = AppTest.from_string(FORM_SCRIPT, default_timeout=60)
        at.session_state["actor"] = Actor(user.id, "ggz", "partner")
        at.run()
    assert not at.exception and not at.text_input and not at.button
    engine.dispose()


def test_importeren_page_reads_schuldstanden(import_page, session):  # noqa: F811
    from households.models import DebtSnapshot
    from tests.households.test_debt_history import DEBTS
    from tests.households.test_importing import PERSONS, count, load

    load(session, "personen", PERSONS)
    load(session, "schulden", DEBTS)
    at = import_page
    at.selectbox(key="import_kind").set_value("schuldstanden")
    data = b"bron_id;peildatum;openstaand\nS1;2024-03-31;900\nS2;2025-07-31;650\n"
    at.file_uploader(key="import_file").set_value(("s.csv", data, "text/csv"))
    at.button(key="import_start").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("schuldstanden: 2 regels geïmporteerd; 2 nieuw")
    assert count(session, DebtSnapshot) == 2
