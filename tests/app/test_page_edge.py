"""The page edge: a domain error rolls back, shows the Dutch message and stops the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from households.db import make_engine
from households.models import Institution
from tests.builders import make_household, make_user, valid_bsn

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"


def _failing_page():
    import streamlit as st

    from app.context import unit_of_work
    from households.errors import InvalidInput
    from households.models import Institution

    st.title("Proef")
    with unit_of_work() as session:
        session.add(Institution(instelling_id="I-half", naam="Halverwege", type="zorgaanbieder"))
        session.flush()
        raise InvalidInput("Dit mag niet.")
    st.write("na de fout")  # never reached


def _attempting_page():
    import streamlit as st

    from app.context import attempt
    from households.errors import Conflict
    from households.models import Institution

    def half_then_refuse(session):
        session.add(Institution(instelling_id="I-half", naam="Halverwege", type="zorgaanbieder"))
        session.flush()
        raise Conflict("Dat bestaat al.")

    done = attempt(half_then_refuse, success="Gelukt.")
    st.write(f"pagina gaat door: {bool(done)}")
    wel = Institution(instelling_id="I-wel", naam="Wel", type="zorgaanbieder")
    again = attempt(lambda s: s.add(wel), success="Gelukt.")
    st.write(f"tweede poging: {bool(again)}")


def _institutions(db_url) -> list[str]:
    engine = make_engine(db_url)
    try:
        with Session(engine) as s:
            return list(s.scalars(select(Institution.naam).order_by(Institution.naam)))
    finally:
        engine.dispose()


def test_domain_error_shows_the_message_and_stops_the_page(db_url):
    at = AppTest.from_function(_failing_page, default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Dit mag niet."]
    assert at.title[0].value == "Proef"
    assert not any("na de fout" in m.value for m in at.markdown)
    assert _institutions(db_url) == []  # the half-done write was rolled back


def test_attempt_shows_the_message_and_the_page_goes_on(db_url):
    at = AppTest.from_function(_attempting_page, default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Dat bestaat al."]
    assert [s.value for s in at.success] == ["Gelukt."]
    assert [m.value for m in at.markdown] == [
        "pagina gaat door: False",
        "tweede poging: True",
    ]
    assert _institutions(db_url) == ["Wel"]


@pytest.fixture
def gbd(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        actor = make_user(s, "gerrit", "gbd")
        s.commit()
    engine.dispose()
    return actor


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("gebruikers.py", "geen toegang"),
        ("auditlog.py", "audittrail"),
        ("kiss_overzicht.py", "geen toegang"),
        ("regels.py", None),  # readable by every role: renders whole
    ],
)
def test_refused_pages_stop_after_the_message(gbd, page, message):
    at = AppTest.from_file(str(PAGES / page), default_timeout=60)
    at.session_state["actor"] = gbd
    at.run()
    assert not at.exception
    if message is None:
        assert not at.error
        return
    assert len(at.error) == 1 and message in at.error[0].value
    assert not at.dataframe and not at.get("selectbox") and not at.get("vega_lite_chart")


def test_failed_action_keeps_the_page(db_url):
    """Opening a household without a purpose is refused; the search results stay on screen."""
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        anna = make_user(s, "anna", "voordeur")
        h = make_household(s, persons=[(valid_bsn(1), "Jan de Vries", "hoofdbewoner")])
        s.commit()
        household_id = h.id
    engine.dispose()
    at = AppTest.from_file(str(PAGES / "voordeur.py"), default_timeout=60)
    at.session_state["actor"] = anna
    at.run()
    at.text_input(key="zoek_bsn").input(valid_bsn(1)).run()
    at.button(key="zoek").click().run()
    at.selectbox(key="kies_huishouden").select_index(0).run()
    at.button(key="openen").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "doel" in at.error[0].value.lower()
    assert at.selectbox(key="kies_huishouden").value is not None
    assert household_id
    assert at.expander  # the rest of the page (registering a household) is still there
    assert [h.value for h in at.header] == ["Huishouden zoeken"]  # nothing was opened


def test_format_doctests_and_values():
    import doctest

    import app.format
    import households.formatting

    for module in (app.format, households.formatting):
        assert doctest.testmod(module).failed == 0
    import datetime as dt
    from decimal import Decimal

    from app.format import date, euro, long_date, number, percentage

    assert euro(Decimal("1234.56")) == "€ 1.234,56"
    assert euro(1_000_000) == "€ 1.000.000,00"
    assert number(1234) == "1.234" and number("x") == "x"
    assert date(dt.date(2026, 11, 26)) == "26-11-2026"
    assert long_date(dt.date(2026, 11, 26)) == "26 november 2026"
    assert percentage(0.5) == "50%"
