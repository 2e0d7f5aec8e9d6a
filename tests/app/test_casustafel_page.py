"""AppTest flows for the Casustafel page: agenda, decide, review, actions, feedback, budget."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination import casetables as ct
from coordination.budget import set_budget
from coordination.models import Action, AgendaItem, BudgetSpend, Decision, Feedback, Review
from households.db import make_engine
from tests.builders import (
    add_institution,
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
        for t in ct.ensure_tables(s):
            ct.add_member(s, gerda, t.id, gerda.user_id)
            ct.add_member(s, gerda, t.id, karel.user_id)
        h = make_household(s, wijk="Zuid", persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
        opened(s, gerda, h)
        inst = add_institution(s, "Mondriaan")
        set_budget(s, gerda, dt.date.today().year, "5000")
        s.commit()
        ids = {"h": h.id, "inst": inst.id}
    yield {"engine": engine, "gerda": gerda, "karel": karel, **ids}
    engine.dispose()


def _app(actor) -> AppTest:
    at = AppTest.from_file(str(PAGES / "casustafel.py"), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def _count(engine, model):
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def _only_id(engine, model):
    with Session(engine) as s:
        return s.scalars(select(model.id)).one()


def _ok(at, message):
    assert not at.exception, at.exception
    assert not at.error, at.error[0].value
    assert at.success[-1].value == message


def test_full_case_table_flow(world):
    at = _app(world["gerda"])
    assert not at.exception
    assert at.selectbox(key="tafel").value is not None
    at.date_input(key="overleg_datum").set_value(dt.date.today()).run()
    at.button(key="overleg_plannen").click().run()
    _ok(at, f"Overleg gepland op {dt.date.today():%d-%m-%Y}.")
    at.selectbox(key="agenda_huishouden").set_value(world["h"])
    at.text_area(key="agenda_vraag").input("Wie pakt de schulden op?")
    at.button(key="agenda_toevoegen").click().run()
    _ok(at, "Agendapunt toegevoegd.")
    at.run()
    assert at.dataframe[0].value["status"].tolist() == ["open"]
    # decide maatwerk
    item_id = _only_id(world["engine"], AgendaItem)
    at.selectbox(key="besluit_agendapunt").set_value(item_id).run()
    at.text_area(key="besluit_tekst").input("Eenmalig huur betalen uit het budget")
    at.radio(key="besluit_soort").set_value("maatwerk")
    at.button(key="besluit_vastleggen").click().run()
    _ok(at, "Besluit vastgelegd. Het wacht op review door een andere GBD-er.")
    # own review refused
    at.run()
    at.selectbox(key="review_besluit").set_value(_only_id(world["engine"], Decision)).run()
    at.button(key="review_vastleggen").click().run()
    assert "eigen besluit" in at.error[0].value
    # spending before review refused (nothing to pick)
    at.text_input(key="budget_bedrag").input("100")
    at.text_input(key="budget_verantwoording").input("Huur van juni betaald")
    at.button(key="budget_besteden").click().run()
    assert at.error and _count(world["engine"], BudgetSpend) == 0
    # action to an institution
    at.selectbox(key="opdracht_agendapunt").set_value(item_id).run()
    at.text_input(key="opdracht_omschrijving").input("Intake verslavingszorg")
    at.radio(key="opdracht_ontvanger_soort").set_value("Instelling").run()
    at.selectbox(key="opdracht_instelling").set_value(world["inst"])
    at.text_input(key="opdracht_eigenaar").input("P. Smit")
    at.date_input(key="opdracht_deadline").set_value(dt.date.today() + dt.timedelta(days=14))
    at.button(key="opdracht_geven").click().run()
    _ok(at, "Opdracht gegeven.")
    at.run()
    at.selectbox(key="terugkoppeling_opdracht").set_value(_only_id(world["engine"], Action)).run()
    at.text_area(key="terugkoppeling_tekst").input("Intake gepland")
    at.text_input(key="terugkoppeling_door").input("P. Smit")
    at.button(key="terugkoppeling_vastleggen").click().run()
    _ok(at, "Terugkoppeling vastgelegd.")
    at.run()
    # Compliance counts the partner's own answer to the referral, not feedback typed in
    # by a GBD-er: the partner has not answered yet (tests/app/test_verwijzingen_page.py).
    compliance = next(d.value for d in at.dataframe if "instelling" in d.value.columns)
    assert compliance.to_dict("records") == [
        {
            "instelling": "Mondriaan",
            "verwijzingen": 1,
            "binnen 5 werkdagen beantwoord": 0,
            "aandeel": "0%",
        }
    ]

    # the second coordinator reviews, then spends
    at2 = _app(world["karel"])
    at2.selectbox(key="review_besluit").set_value(_only_id(world["engine"], Decision)).run()
    at2.radio(key="review_oordeel").set_value("akkoord")
    at2.button(key="review_vastleggen").click().run()
    _ok(at2, "Review vastgelegd.")
    at2.run()
    assert at2.dataframe[0].value["status"].tolist() == ["in werking"]
    assert at2.dataframe[0].value["review"].tolist() == ["akkoord (Karel)"]
    at2.selectbox(key="budget_besluit").set_value(_only_id(world["engine"], Decision)).run()
    at2.text_input(key="budget_bedrag").input("1.250,00")
    at2.text_input(key="budget_verantwoording").input("Huur van juni betaald")
    at2.button(key="budget_besteden").click().run()
    _ok(at2, "Uitgave vastgelegd: € 1.250,00.")
    at2.run()
    assert at2.metric[2].value == "€ 3.750,00"
    with Session(world["engine"]) as s:
        assert s.scalar(select(func.count()).select_from(AgendaItem)) == 1
        assert s.scalar(select(Decision.soort)) == "maatwerk"
        assert s.scalar(select(Review.akkoord)) is True
        assert s.scalar(select(Action.eigenaar)) == "P. Smit"
        assert s.scalar(select(Feedback.door)) == "P. Smit"


def test_dissent_without_reason_and_bad_input(world):
    at = _app(world["gerda"])
    at.selectbox(key="agenda_huishouden").set_value(world["h"])
    at.text_area(key="agenda_vraag").input("kort")
    at.button(key="agenda_toevoegen").click().run()
    assert not at.exception and "minstens 5" in at.error[0].value
    at.text_area(key="agenda_vraag").input("Is bemoeizorg nodig?")
    at.button(key="agenda_toevoegen").click().run()
    at.run()
    at.selectbox(key="besluit_agendapunt").set_value(_only_id(world["engine"], AgendaItem)).run()
    at.text_area(key="besluit_tekst").input("Bemoeizorg inzetten")
    at.radio(key="besluit_soort").set_value("maatwerk")
    at.button(key="besluit_vastleggen").click().run()
    at2 = _app(world["karel"])
    at2.selectbox(key="review_besluit").set_value(_only_id(world["engine"], Decision)).run()
    at2.radio(key="review_oordeel").set_value("tegenspraak")
    at2.button(key="review_vastleggen").click().run()
    assert "tegenspraak een reden" in at2.error[0].value
    at2.text_input(key="review_reden").input("Eerst huisarts betrekken")
    at2.button(key="review_vastleggen").click().run()
    _ok(at2, "Review vastgelegd.")
    at2.run()
    assert at2.dataframe[0].value["status"].tolist() == ["tegenspraak"]
    at2.text_input(key="opdracht_omschrijving").input("Huisarts bellen")
    at2.text_input(key="opdracht_afdeling").input("")
    at2.selectbox(key="opdracht_agendapunt").set_value(_only_id(world["engine"], AgendaItem)).run()
    at2.text_input(key="opdracht_eigenaar").input("K. Bos")
    at2.date_input(key="opdracht_deadline").set_value(dt.date.today())
    at2.button(key="opdracht_geven").click().run()
    assert "afdeling óf" in at2.error[0].value


def test_non_member_can_join(world):
    bert = None
    engine = world["engine"]
    with Session(engine, expire_on_commit=False) as s:
        bert = make_user(s, "bert", "gbd")
        s.commit()
    at = _app(bert)
    assert at.info[0].value == "U bent geen lid van deze tafel."
    at.button(key="tafel_aanschuiven").click().run()
    _ok(at, "U bent nu lid van deze tafel.")
