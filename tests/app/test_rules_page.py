"""The Triageregels page (AppTest): a save shows the version just saved; a typo is refused."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination.models import RuleSet
from households.db import make_engine
from tests.builders import make_user

PAGE = str(Path(__file__).resolve().parents[2] / "app" / "views" / "regels.py")


def _beheer(db_url):
    engine = make_engine(db_url)
    with Session(engine) as s:
        actor = make_user(s, "bea", "beheer")
        s.commit()
    engine.dispose()
    return actor


def _versions(db_url) -> int:
    engine = make_engine(db_url)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(RuleSet))
    engine.dispose()
    return n


def test_saving_shows_the_new_version_number(db_url):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["actor"] = _beheer(db_url)
    at.run()
    assert at.header[0].value == "Actieve regels: versie 1"
    for expected in (2, 3):
        at.number_input(key="r_herhaald_aantal").set_value(expected + 2)
        at.text_area(key="r_toelichting").input(f"drempel naar {expected + 2} aanvragen")
        at.button(key="r_opslaan").click().run()
        assert not at.exception and not at.error
        assert at.success[0].value == f"Opgeslagen als versie {expected}; die versie is nu actief."
        assert at.header[0].value == f"Actieve regels: versie {expected}"
        assert at.dataframe[0].value["versie"].tolist()[0] == expected
        assert at.text_area(key="r_toelichting").value == ""  # the form is cleared
        assert at.number_input(key="r_herhaald_aantal").value == expected + 2
    at.run()  # the message is shown once, not on every later rerun
    assert not at.success and at.header[0].value == "Actieve regels: versie 3"


def test_a_refused_save_writes_nothing_and_keeps_the_form(db_url):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["actor"] = _beheer(db_url)
    at.run()
    at.multiselect(key="r_veilig_soorten").set_value([])
    at.text_area(key="r_toelichting").input("geen veiligheidssignalen meer")
    at.button(key="r_opslaan").click().run()
    assert not at.exception and not at.success
    assert "kies een of meer soorten signalen" in at.error[0].value
    assert at.text_area(key="r_toelichting").value == "geen veiligheidssignalen meer"
    assert _versions(db_url) == 1


def _page(db_url) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["actor"] = _beheer(db_url)
    return at.run()


def test_a_resubmitted_version_is_saved_once(db_url):
    at = _page(db_url)
    at.number_input(key="r_herhaald_aantal").set_value(5)
    at.text_area(key="r_toelichting").input("drempel naar 5 aanvragen")
    rendered = at.session_state["_formulier_regels"]
    at.button(key="r_opslaan").click().run()
    assert _versions(db_url) == 2
    # a double click or a retried request presents the same ticket again: nothing is written
    at.session_state["_formulier_regels"] = type(rendered)(rendered.token, 2)
    at.text_area(key="r_toelichting").input("drempel naar 5 aanvragen")
    at.button(key="r_opslaan").click().run()
    assert not at.exception and not at.error
    assert any("één keer opgeslagen" in m.value for m in at.info)
    assert _versions(db_url) == 2 and at.header[0].value == "Actieve regels: versie 2"


def test_a_form_filled_in_on_an_older_version_is_refused(db_url):
    at = _page(db_url)
    at.number_input(key="r_herhaald_aantal").set_value(6)
    at.text_area(key="r_toelichting").input("drempel naar 6 aanvragen")
    ticket = at.session_state["_formulier_regels"]
    # the form was drawn on version 1; meanwhile another beheerder saved version 2
    at.session_state["_formulier_regels"] = type(ticket)(ticket.token, 0)
    at.button(key="r_opslaan").click().run()
    assert not at.exception and "niets opgeslagen" in at.error[0].value
    assert _versions(db_url) == 1
    assert at.text_area(key="r_toelichting").value == "drempel naar 6 aanvragen"  # kept


def test_a_click_from_before_a_save_writes_nothing_more_and_shows_the_saved_state(db_url):
    # The double-click race CI met under load: the second click arrives after the first
    # was saved and before the rerun that follows the save was drawn. It is judged against
    # the ticket the save left behind, and must neither write again nor say "changed".
    from app.forms import ALREADY_SAVED, _new_ticket

    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["actor"] = _beheer(db_url)
    at.run()
    at.text_area(key="r_toelichting").input("eerste klik")
    at.button(key="r_opslaan").click().run()
    assert _versions(db_url) == 2 and at.header[0].value == "Actieve regels: versie 2"
    # as the save left it: a new token, still for version 1, the target before the save
    at.session_state["_formulier_regels"] = _new_ticket(1, after_save=True)
    at.text_area(key="r_toelichting").input("eerste klik")  # the stale render's text
    at.button(key="r_opslaan").click().run()
    assert not at.exception and not at.error
    assert _versions(db_url) == 2  # written once
    assert [i.value for i in at.info] == [ALREADY_SAVED]
    assert at.text_area(key="r_toelichting").value == ""  # the saved state, form cleared
    at.text_area(key="r_toelichting").input("een echte tweede wijziging")  # and it works on
    at.button(key="r_opslaan").click().run()
    assert _versions(db_url) == 3 and at.header[0].value == "Actieve regels: versie 3"
