"""AppTest flows for the Logboek, Experimenten and Evaluatie pages."""

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from app.auth import LAST_ACTIVITY_KEY
from experiments.models import Enrolment, Lesson, StabilityLog
from households.db import make_engine
from tests import builders as b

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
TODAY = dt.date.today().strftime("%d-%m-%Y")
SCORE_KEYS = ("lb_bestaanszekerheid", "lb_zorgcontinuiteit", "lb_meedoen", "lb_veiligheid")


@pytest.fixture
def world(db_url):
    """One active experiment with a coordinator, an ervaringswerker, a kiss user, households."""
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        exp, coord, ew = b.team(s)
        kiss = b.make_user(s, "kiss1", "kiss")
        enrolled, _ = b.household_with_persons(s, wijk="Noord")
        b.enrol_direct(s, exp, enrolled, datum=dt.date.today() - dt.timedelta(days=60))
        candidate, p = b.household_with_persons(s, wijk="Oost")
        b.add_debt(s, p, 75_000)
        s.commit()
        ids = {"exp": exp.id, "enrolled": enrolled.id, "candidate": candidate.id,
               "candidate_code": candidate.huishouden_id}  # fmt: skip
    yield {"engine": engine, "coord": coord, "ew": ew, "kiss": kiss, **ids}
    engine.dispose()


def _app(page: str, actor) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def _count(engine, model, *where):
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _logboek(world) -> AppTest:
    at = _app("logboek.py", world["ew"])
    assert at.selectbox(key="lb_huishouden").value is None  # nothing preselected
    assert not at.radio and "Kies het huishouden" in at.info[0].value
    at.selectbox(key="lb_huishouden").set_value(world["enrolled"]).run()
    return at


def _score(at, values=(2, 3, 2, 4)):
    for key, value in zip(SCORE_KEYS, values, strict=True):
        at.radio(key=key).set_value(value)
    at.multiselect(key="lb_stressoren").set_value(["schulden", "werk"])
    at.text_area(key="lb_verhaal").input("Het gaat iets beter.")


def test_logboek_saves_a_log_and_shows_the_trend(world):
    at = _logboek(world)
    assert not at.exception and "Nog geen logregels" in at.info[-1].value
    _score(at)
    at.button(key="lb_opslaan").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == f"Logregel van {TODAY} opgeslagen."
    assert _count(world["engine"], StabilityLog) == 1
    # the page shows the new log right away, and the form is empty again
    triangle, verloop = at.get("vega_lite_chart")  # the triangle, then the scores over time
    assert '"eerste log"' in triangle.proto.spec and '"laatste log"' in triangle.proto.spec
    assert json.loads(verloop.proto.spec)["height"] == 320
    assert any(c.value.startswith(f"1 log, van {TODAY} tot {TODAY}") for c in at.caption)
    assert [at.radio(key=k).value for k in SCORE_KEYS] == [None] * 4
    assert at.multiselect(key="lb_stressoren").value == []
    assert at.text_area(key="lb_verhaal").value == ""
    assert at.selectbox(key="lb_huishouden").value == world["enrolled"]  # the target stays


def test_logboek_a_resubmitted_log_is_written_once(world):
    at = _logboek(world)
    _score(at)
    rendered = at.session_state["_formulier_logboek"]
    at.button(key="lb_opslaan").click().run()
    assert _count(world["engine"], StabilityLog) == 1
    at.session_state["_formulier_logboek"] = rendered  # a double click, a retried request
    _score(at)
    at.button(key="lb_opslaan").click().run()
    assert not at.exception and not at.error
    assert any("één keer opgeslagen" in m.value for m in at.info)
    assert _count(world["engine"], StabilityLog) == 1


def test_logboek_a_log_filled_in_for_another_household_is_refused(world):
    at = _logboek(world)
    _score(at)
    ticket = at.session_state["_formulier_logboek"]
    at.session_state["_formulier_logboek"] = type(ticket)(ticket.token, world["candidate"])
    at.button(key="lb_opslaan").click().run()
    assert not at.exception and "niets opgeslagen" in at.error[0].value
    assert _count(world["engine"], StabilityLog) == 0
    assert at.text_area(key="lb_verhaal").value == "Het gaat iets beter."  # kept


def test_logboek_missing_score_gives_a_dutch_message(world):
    at = _logboek(world)
    at.radio(key="lb_bestaanszekerheid").set_value(3)
    at.button(key="lb_opslaan").click().run()
    assert "heel getal van 1 tot en met 5" in at.error[0].value
    assert _count(world["engine"], StabilityLog) == 0


def test_logboek_without_households(world, db_url):
    with Session(world["engine"]) as s:
        other = b.make_user(s, "ew9", "ervaringswerker")
        s.commit()
    at = _app("logboek.py", other)
    assert not at.exception
    assert "geen huishoudens" in at.info[0].value


def _frame(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _experimenten(world, who: str) -> AppTest:
    at = _app("experimenten.py", world[who])
    assert at.selectbox(key="ex_experiment").value is None  # nothing preselected
    at.selectbox(key="ex_experiment").set_value(world["exp"]).run()
    assert not at.exception
    return at


def test_experimenten_outreach_and_enrol(world):
    at = _experimenten(world, "coord")
    at.button(key="ex_outreach").click().run()
    assert at.selectbox(key="ex_kandidaat").value is None  # no household enrolled silently
    at.selectbox(key="ex_kandidaat").set_value(world["candidate"])
    at.button(key="ex_inschrijven").click().run()
    assert "toestemming" in at.error[0].value
    at.checkbox(key="ex_toestemming").check()
    rendered = at.session_state["_formulier_inschrijving"]
    at.button(key="ex_inschrijven").click().run()
    assert not at.error
    assert at.success[0].value.startswith(f"Huishouden {world['candidate_code']} (")
    enrolled = Enrolment.household_id == world["candidate"]
    assert _count(world["engine"], Enrolment, enrolled) == 1
    # the page shows it: in the participants, no longer a candidate; the form is empty
    assert world["candidate_code"] in _frame(at, "Ingeschreven")["Huishouden"].tolist()
    assert not [x for x in at.selectbox if x.key == "ex_kandidaat"]
    assert at.session_state["ex_toestemming"] is False
    # the same submission again writes nothing (and no "already enrolled" error)
    at.session_state["_formulier_inschrijving"] = rendered
    at.session_state["ex_outreach_lijst"] = [(world["candidate"], "x", "Oost", "", "")]
    at.run()
    at.selectbox(key="ex_kandidaat").set_value(world["candidate"])
    at.checkbox(key="ex_toestemming").check()
    at.button(key="ex_inschrijven").click().run()
    assert not at.error and any("één keer opgeslagen" in m.value for m in at.info)
    assert _count(world["engine"], Enrolment, enrolled) == 1


def test_experimenten_an_enrolment_for_another_experiment_is_refused(world):
    at = _experimenten(world, "coord")
    at.button(key="ex_outreach").click().run()
    at.selectbox(key="ex_kandidaat").set_value(world["candidate"])
    at.checkbox(key="ex_toestemming").check()
    ticket = at.session_state["_formulier_inschrijving"]
    at.session_state["_formulier_inschrijving"] = type(ticket)(ticket.token, world["exp"] + 1)
    at.button(key="ex_inschrijven").click().run()
    assert not at.exception and "niets opgeslagen" in at.error[0].value
    assert _count(world["engine"], Enrolment, Enrolment.household_id == world["candidate"]) == 0


def test_experimenten_add_lesson_once(world):
    at = _experimenten(world, "ew")
    at.text_area(key="ex_les").input("Een huisbezoek werkt beter dan een brief.")
    rendered = at.session_state["_formulier_les"]
    at.button(key="ex_les_opslaan").click().run()
    assert at.success[0].value == "Les opgeslagen."
    assert _count(world["engine"], Lesson) == 1
    assert _frame(at, "Verandering werkwijze")["Les"].tolist() == [
        "Een huisbezoek werkt beter dan een brief."
    ]
    assert at.text_area(key="ex_les").value == ""
    assert "coördinatoren" in " ".join(i.value for i in at.info)  # no outreach for ew
    at.session_state["_formulier_les"] = rendered  # a double click, a retried request
    at.text_area(key="ex_les").input("Een huisbezoek werkt beter dan een brief.")
    at.button(key="ex_les_opslaan").click().run()
    assert any("één keer opgeslagen" in m.value for m in at.info)
    assert _count(world["engine"], Lesson) == 1
    ticket = at.session_state["_formulier_les"]
    at.session_state["_formulier_les"] = type(ticket)(ticket.token, world["exp"] + 1)
    at.button(key="ex_les_opslaan").click().run()
    assert "niets opgeslagen" in at.error[0].value and _count(world["engine"], Lesson) == 1


def test_experimenten_select_a_narrative(world):
    with Session(world["engine"]) as s:
        log = StabilityLog(
            experiment_id=world["exp"], household_id=world["enrolled"], datum=dt.date.today(),
            door_user_id=world["ew"].user_id, stressoren=[], verhaal_geselecteerd=False,
            verhaal="Eindelijk rust.", bestaanszekerheid=2, zorgcontinuiteit=3, meedoen=3,
            veiligheid=4,
        )  # fmt: skip
        s.add(log)
        s.commit()
        log_id = log.id
    at = _experimenten(world, "coord")
    at.session_state[LAST_ACTIVITY_KEY] = time.time()  # a live sign-in (checked in callbacks)
    box = at.checkbox(key=f"ex_verhaal_{log_id}")
    assert box.value is False
    box.check().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Verhaal geselecteerd voor het rapport."
    assert at.checkbox(key=f"ex_verhaal_{log_id}").value is True
    selected = StabilityLog.verhaal_geselecteerd.is_(True)
    assert _count(world["engine"], StabilityLog, selected) == 1
    at.checkbox(key=f"ex_verhaal_{log_id}").uncheck().run()
    assert at.success[0].value == "Verhaal niet meer geselecteerd."
    assert _count(world["engine"], StabilityLog, selected) == 0


def test_evaluatie_shows_tables_and_download(world):
    at = _app("evaluatie.py", world["kiss"])
    assert not at.exception and not at.error
    assert at.get("download_button")[0].proto.label.startswith("Download evaluatierapport")
    frames = [d.value for d in at.dataframe]
    did = next(f for f in frames if "Effect (verschil-in-verschillen)" in f.columns)
    # one enrolled household: suppressed; nobody registered for schuldhulp after enrolment
    assert did["n deelnemers"].tolist() == ["<5"] * 4 + ["0"]
    assert any("SMD na matching" in f.columns for f in frames)  # the balance table
    assert str(world["candidate_code"]) not in at.get("download_button")[0].proto.label


def test_evaluatie_refused_for_ervaringswerker(world):
    at = _app("evaluatie.py", world["ew"])
    assert "geen toegang" in at.error[0].value
