"""AppTest: KISS opens Bestaanszekerheid and sees the protected pipeline, its charts and the
non-take-up count per wijk (issue 15)."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from households.db import make_engine
from tests import builders as b
from tests.coordination.test_shv_pipeline import trajectory

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
YEAR = dt.date.today().year - 1  # every quarter of last year is complete


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        d = dt.date(YEAR, 1, 6)
        for i in range(12):  # 8 within 14 days, 4 after 20 days
            talk = d + dt.timedelta(days=10 if i < 8 else 20)
            trajectory(s, "Noord", d, [("eerste_gesprek", talk)])
        for _ in range(6):
            h, p = b.household_with_persons(s, wijk="Zuid")
            b.add_provision(s, p, "ISD", "bijstand", start=dt.date(2019, 1, 1))
        kiss = b.make_user(s, "kiss1", "kiss")
        gbd = b.make_user(s, "gbd1", "gbd")
        s.commit()
    yield {"kiss": kiss, "gbd": gbd}
    engine.dispose()


def _app(actor) -> AppTest:
    at = AppTest.from_file(str(PAGES / "bestaanszekerheid.py"), default_timeout=90)
    at.session_state["actor"] = actor
    return at.run()


def test_kiss_sees_pipeline_chart_and_non_take_up(world):
    at = _app(world["kiss"])
    assert not at.exception and not at.error
    at.selectbox(key="bz_jaar").set_value(YEAR).run()
    assert not at.exception and not at.error
    at.selectbox(key="bz_kwartaal").set_value(f"{YEAR}-K1").run()
    tables = [d.value for d in at.dataframe]
    pipeline = next(t for t in tables if "Cijfer" in t.columns)
    row = pipeline[pipeline["Cijfer"] == "Aanmeldingen"].iloc[0]
    assert row["Noord"] == "12" and row["Totaal"] == "12"
    share = pipeline[pipeline["Cijfer"].str.startswith("Aandeel eerste gesprek")].iloc[0]
    assert share["Totaal"] == "67%"
    assert any(m.value == "67%" for m in at.metric)
    ntu = next(t for t in tables if "Huishoudens" in t.columns)
    assert ntu.iloc[1]["Zuid"] in ("6", "x")  # 6 on bijstand since 2019, no minimaregelingen
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 2  # counts and the share: two charts, two units


def test_gbd_is_refused(world):
    at = _app(world["gbd"])
    assert at.error and "geen toegang" in at.error[0].value.lower()
