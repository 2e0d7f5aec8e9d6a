"""AppTest of the KISS overview page: month-end dates, CBS and local stacking side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from households.db import make_engine
from tests.builders import add_provision, first_person, make_household, make_user, valid_bsn

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"


@pytest.fixture
def kiss(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        actor = make_user(s, "kees", "kiss")
        for i in range(12):
            h = make_household(
                s,
                wijk="Centrum",
                huisnummer=str(100 + i),
                persons=[(valid_bsn(i + 1), "Jan Jansen", "hoofdbewoner")],
            )
            add_provision(s, first_person(s, h), "WMO")
            add_provision(
                s, first_person(s, h), "ISD", soort="bijstand" if i < 6 else "minimaregelingen"
            )
        s.commit()
    yield actor
    engine.dispose()


def test_overview_page_shows_cbs_beside_local_stacking(kiss):
    at = AppTest.from_file(str(PAGES / "kiss_overzicht.py"), default_timeout=60)
    at.session_state["actor"] = kiss
    at.run()
    assert not at.exception and not at.error
    assert not at.warning  # no "Demogegevens — synthetisch": these rows are not from the generator
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Gestapeld (CBS)"] == "6"  # bijstand + Wmo
    assert metrics["Gestapeld (lokaal)"] == "12"  # minima count locally
    assert any("vergelijkbaar met CBS" in md.value for md in at.markdown)
    options = at.selectbox(key="kiss_datum").options
    assert all(o.count("-") == 2 for o in options)  # dd-mm-jjjj month ends only


def test_overview_page_says_when_the_figures_were_computed_and_when_they_lag(kiss, monkeypatch):
    import datetime as dt

    from households import figurecache
    from households.figurecache import Served

    at = AppTest.from_file(str(PAGES / "kiss_overzicht.py"), default_timeout=60)
    at.session_state["actor"] = kiss
    at.run()
    assert not at.exception
    assert any(c.value.startswith("Cijfers berekend om ") for c in at.caption)
    assert not [i for i in at.info if "nieuwe cijfers" in i.value]

    real = figurecache.served_figures

    def lagging(*args, **kwargs):  # as served while a colleague's write is being counted
        served = real(*args, **kwargs)
        return Served(served.value, dt.datetime(2026, 11, 27, 9, 15, 3), verouderd=True)

    monkeypatch.setattr("coordination.overview.served_figures", lagging)
    at.run()
    assert not at.exception
    notes = [i.value for i in at.info if "nieuwe cijfers" in i.value]
    assert notes and notes[0].startswith("Cijfers van 09:15:03.")
