"""AppTest flows of the loop: logs on Huishouden and at the table, deciding again, the
vraagbaak, the ervaringswerker on the Logboek, KISS's knelpunten, the reference list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination import casetables as ct
from coordination import decisions
from coordination import knelpunten as kp
from coordination.loop import escalate
from coordination.loopmodels import BlockingRule, Escalation, SystemBottleneck
from coordination.models import AgendaItem, Decision
from experiments.logbook import log_situation
from households.db import make_engine
from households.models import Signal
from tests import builders as b

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
TODAY = dt.date.today()
SCORES = {"bestaanszekerheid": 2, "zorgcontinuiteit": 3, "meedoen": 2}


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        exp, coord, ew = b.team(s)
        hh, _ = b.household_with_persons(s, naam="Mia Langeberg")
        b.enrol_direct(s, exp, hh, datum=TODAY - dt.timedelta(days=60))
        gerda, karel = b.make_user(s, "gerda", "gbd"), b.make_user(s, "karel", "gbd")
        stefan = b.make_user(s, "stefan", "gbd")
        kiss, beheer = b.make_user(s, "kees", "kiss"), b.make_user(s, "bea", "beheer")
        b.add_regie(s, hh, gerda)
        b.opened(s, stefan, hh)
        log_situation(s, ew, hh.id, TODAY - dt.timedelta(days=3), **SCORES, veiligheid=1,
                      stressors=["schulden"], acute_problemen="Ruzie thuis, politie geweest",
                      verhaal="Ik durf niet naar huis.")  # fmt: skip
        table = ct.table_by_name(s, ct.BREDE_TAFEL)
        for who in (gerda, karel):
            ct.add_member(s, gerda, table.id, who.user_id)
        item = ct.add_agenda_item(s, gerda, table.id, hh.id, "Huur of energie eerst?")
        dec = decisions.decide(s, gerda, item.id, "Bijzondere bijstand voor de huur", "maatwerk")
        decisions.review(s, karel, dec.id, False, "Eerst de standaardregeling proberen")
        s.commit()
        ids = {"hh": hh.id, "table": table.id, "dec": dec.id, "item": item.id, "exp": exp.id}
    yield {"engine": engine, "ew": ew, "gerda": gerda, "stefan": stefan, "kiss": kiss,
           "beheer": beheer, **ids}  # fmt: skip
    engine.dispose()


def _app(page: str, actor, **state) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=60)
    at.session_state["actor"] = actor
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def _count(engine, model, *where) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _frame(at: AppTest, column: str):
    """The first dataframe on the page with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_regie_holder_sees_the_logs_on_the_household_page(world):
    at = _app("huishouden.py", world["gerda"])
    assert not at.exception
    assert any("Veiligheid 1 (acuut onveilig)" in e.value for e in at.error)
    assert any("Ik durf niet naar huis." in m.value for m in at.markdown)
    assert any("Inzage vastgelegd met reden: regiehouder" in c.value for c in at.caption)


def test_a_gbd_who_only_opened_the_household_sees_who_may_read(world):
    at = _app("huishouden.py", world["stefan"])
    assert not at.exception and not at.error
    assert any("alleen te zien voor de regiehouder" in c.value for c in at.caption)
    assert not any("Ik durf niet naar huis." in m.value for m in at.markdown)


def test_the_veiligheid_log_put_the_household_on_the_veiligheid_table(world):
    with Session(world["engine"]) as s:
        [signal] = s.scalars(select(Signal)).all()
        table = ct.table_by_name(s, ct.TAFEL_VEILIGHEID)
        n_items = s.scalar(select(func.count()).where(AgendaItem.case_table_id == table.id))
    assert signal.soort == "veiligheid_logboek" and n_items == 1


def test_table_decides_again_after_tegenspraak(world):
    at = _app("casustafel.py", world["gerda"], tafel=world["table"])
    assert not at.exception
    at.selectbox(key="opnieuw_besluit").set_value(world["dec"]).run()
    at.text_area(key="opnieuw_tekst").input("Betalingsregeling met de verhuurder")
    at.radio(key="opnieuw_soort").set_value("standaard")
    at.button(key="opnieuw_besluiten").click().run()
    assert not at.exception and not at.error
    assert any("het oude blijft in de geschiedenis" in m.value for m in at.success)
    assert _count(world["engine"], Decision, Decision.vervangt_id == world["dec"]) == 1
    at.selectbox(key="lus_punt").set_value(world["item"]).run()
    assert any("*vervangen*" in m.value for m in at.markdown)
    assert any("Ik durf niet naar huis." in m.value for m in at.markdown)  # the table reads it


def test_a_question_with_a_name_is_refused_at_the_table(world):
    at = _app("casustafel.py", world["gerda"], tafel=world["table"])
    at.selectbox(key="escaleren_besluit").set_value(world["dec"]).run()
    at.text_area(key="escaleren_vraag").input("Mag Langeberg de huur uit het budget krijgen?")
    at.button(key="escaleren").click().run()
    assert any("te herkennen" in e.value for e in at.error)
    assert _count(world["engine"], Escalation) == 0
    at.text_area(key="escaleren_vraag").input("Mag het budget een huurachterstand dekken?")
    at.button(key="escaleren").click().run()
    assert not at.error and _count(world["engine"], Escalation) == 1


def test_kiss_answers_in_the_vraagbaak_and_the_table_sees_it(world):
    with Session(world["engine"]) as s:
        vraag = "Mag het budget een huurachterstand dekken?"
        esc = escalate(s, world["gerda"], world["dec"], vraag)
        s.commit()
        esc_id = esc.id
    at = _app("vraagbaak.py", world["kiss"])
    assert not at.exception and "Open vragen (1)" in at.header[0].value
    at.selectbox(key="vb_vraag").set_value(esc_id).run()
    at.text_area(key="vb_antwoord").input("Ja, als bijzondere bijstand is afgewezen.")
    at.button(key="vb_antwoorden").click().run()
    assert not at.exception and not at.error and "Open vragen (0)" in at.header[0].value
    table = _app("casustafel.py", world["gerda"], tafel=world["table"])
    table.selectbox(key="lus_punt").set_value(world["item"]).run()
    assert any("Ja, als bijzondere bijstand is afgewezen." in m.value for m in table.success)


def test_a_decision_names_the_blocking_rule_at_the_table(world):
    at = _app("casustafel.py", world["gerda"], tafel=world["table"])
    at.selectbox(key="knelpunt_bron").set_value(0).run()
    with Session(world["engine"]) as s:
        rule_id = s.scalar(select(BlockingRule.id).where(BlockingRule.code == "PW_KOSTENDELERS"))
    at.selectbox(key="knelpunt_regel").set_value(rule_id).run()
    at.text_area(key="knelpunt_tekst").input("Inwonende zoon kost de moeder bijstand")
    at.button(key="knelpunt_vastleggen").click().run()
    assert not at.exception and not at.error
    assert _count(world["engine"], SystemBottleneck, SystemBottleneck.decision_id == world["dec"])


def test_ervaringswerker_brings_the_household_and_sees_decisions(world):
    at = _app("logboek.py", world["ew"], lb_huishouden=world["hh"])
    assert not at.exception
    [seen] = _frame(at, "Besluit").to_dict("records")
    assert seen["Besluit"] == "Bijzondere bijstand voor de huur" and seen["Status"] == "tegenspraak"
    at.selectbox(key="lb_tafel").set_value(world["table"]).run()
    at.text_area(key="lb_tafelvraag").input("Kan de energieschuld mee in de regeling?")
    at.button(key="lb_agenda_toevoegen").click().run()
    assert not at.exception and not at.error
    assert _count(world["engine"], AgendaItem, AgendaItem.toegevoegd_door == world["ew"].user_id)


def test_logboek_says_where_a_veiligheid_one_went(world):
    at = _app("logboek.py", world["ew"], lb_huishouden=world["hh"])
    for key, value in zip(("lb_bestaanszekerheid", "lb_zorgcontinuiteit", "lb_meedoen",
                           "lb_veiligheid"), (2, 3, 2, 1), strict=True):  # fmt: skip
        at.radio(key=key).set_value(value)
    at.button(key="lb_opslaan").click().run()
    assert not at.exception and not at.error
    assert "op de agenda van de Tafel sociale veiligheid" in at.success[0].value
    assert _count(world["engine"], Signal) == 2  # the fixture's log and this one


def test_ervaringswerker_records_a_knelpunt(world):
    at = _app("logboek.py", world["ew"], lb_huishouden=world["hh"])
    at.text_area(key="lb_knelpunt_tekst").input("Huurtoeslag teruggevorderd na een nieuwe baan")
    at.button(key="lb_knelpunt_vastleggen").click().run()
    assert not at.exception and not at.error
    assert _count(world["engine"], SystemBottleneck, SystemBottleneck.experiment_id == world["exp"])


def test_kiss_sees_knelpunten_protected_and_lessons(world):
    with Session(world["engine"]) as s:
        rules = {r.code: r.id for r in kp.blocking_rules(s, world["gerda"])}
        for i in range(5):
            text = f"Kostendelersnorm geval {i}"
            kp.write_bottleneck(s, world["gerda"], rules["PW_KOSTENDELERS"], text,
                                decision_id=world["dec"])  # fmt: skip
        kp.write_bottleneck(s, world["gerda"], rules["BESLAGVRIJE_VOET"], "Beslag te hoog hier",
                            decision_id=world["dec"])  # fmt: skip
        s.commit()
    at = _app("knelpunten.py", world["kiss"])
    assert not at.exception and not at.error
    table = _frame(at, "Regel of regeling")
    by_rule = dict(zip(table["Regel of regeling"], table["Aantal keer genoemd"], strict=True))
    assert by_rule == {"Participatiewet: kostendelersnorm": "5", "Beslagvrije voet": "<5"}
    assert [e.label for e in at.expander] == ["Participatiewet: kostendelersnorm: 5 beschrijvingen"]
    blob = " ".join(m.value for m in at.markdown)
    assert "Beslag te hoog hier" not in blob and "Langeberg" not in blob


def test_knelpunten_and_vraagbaak_are_for_kiss_only(world):
    for page in ("knelpunten.py", "vraagbaak.py"):
        at = _app(page, world["gerda"])
        assert not at.exception and "geen toegang" in at.error[0].value


def test_beheer_adds_a_blocking_rule(world):
    at = _app("referentielijsten.py", world["beheer"])
    assert not at.exception
    at.text_input(key="ref_code").input("energietoeslag")
    at.text_input(key="ref_naam").input("Energietoeslag: peildatum inkomen")
    at.button(key="ref_toevoegen").click().run()
    assert not at.exception and not at.error
    assert _count(world["engine"], BlockingRule, BlockingRule.code == "ENERGIETOESLAG") == 1
    assert "Energietoeslag: peildatum inkomen" in set(_frame(at, "Code")["Naam"])
