"""Dutch everywhere: every page, for every role, on a small demo database.

The walk renders each page a role may open (AppTest, logged in as that role's
demo account) and scans everything it shows — text, widget labels and options,
metric labels, table headers and cells, chart titles, fields, data and locale —
for ``None``/``nan``/``NaT``, English UI words, Python-style numbers, ISO dates
and snake_case headers (:mod:`tests.app.dutch_scan`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from app.navigation import PAGES_DIR, pages_for
from households.actor import Actor
from households.db import make_engine
from households.models import User
from tests.app.dutch_scan import scan_app

#: The demo account whose day is walked, per role (the ervaringswerker with households).
ACCOUNTS = {
    "voordeur": "voordeur", "gbd": "gbd", "ervaringswerker": "ervaringswerker.noord1",
    "partner": "partner", "kiss": "kiss", "beheer": "beheer",
}  # fmt: skip
#: The audit trail shows stored records verbatim (object ids, old and new values).
VERBATIM = {"auditlog.py": ("Object", "Doel", "Oud", "Nieuw")}


@pytest.fixture
def demo_actors(db_url) -> dict[str, Actor]:
    """`kiss demo` on 300 households; the demo account of every role."""
    from data.demo import run_demo

    engine = make_engine(db_url)
    try:
        run_demo(engine, households=300, seed=7)
        with Session(engine) as s:
            users = {u.naam: Actor(u.id, u.naam, u.rol) for u in s.scalars(select(User))}
    finally:
        engine.dispose()
    return {rol: users[naam] for rol, naam in ACCOUNTS.items()}


def _render(page: str, actor: Actor) -> AppTest:
    at = AppTest.from_file(str(PAGES_DIR / page), default_timeout=120)
    at.session_state["actor"] = actor
    return at.run()


def test_every_page_for_every_role_speaks_dutch(demo_actors):
    findings: list[str] = []
    seen = {"pages": 0, "charts": 0, "tables": 0, "metrics": 0}
    for rol, actor in demo_actors.items():
        for spec in pages_for(rol):
            at = _render(spec.file, actor)
            assert not at.exception, (rol, spec.file, [e.message for e in at.exception])
            seen["pages"] += 1
            seen["charts"] += len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))
            seen["tables"] += len(at.dataframe)
            seen["metrics"] += len(at.metric)
            for problem in scan_app(at, VERBATIM.get(spec.file, ())):
                findings.append(f"{rol} · {spec.file} · {problem}")
    # The walk really saw the pages with their charts and tables (not a row of refusals).
    assert seen["pages"] == sum(len(pages_for(r)) for r in ACCOUNTS)
    assert seen["charts"] >= 10 and seen["tables"] >= 15 and seen["metrics"] >= 10, seen
    assert findings == [], "\n".join(sorted(set(findings))[:80])


def _bad_page():
    import altair as alt
    import pandas as pd
    import streamlit as st

    st.write("Openstaand: None")
    st.metric("Total", "€ 71915.44")
    st.dataframe(pd.DataFrame({"with_feedback/share": [0.5], "Datum": ["2026-11-26"]}), key="t")
    st.selectbox("Kies", ["Select"], key="s")
    data = pd.DataFrame({"maand": ["2026-01-01"], "aantal_huishoudens": [3]})
    st.altair_chart(alt.Chart(data).mark_bar().encode(x="maand:T", y="aantal_huishoudens:Q"))


def test_the_scan_finds_what_it_must_refuse():
    at = AppTest.from_function(_bad_page, default_timeout=30).run()
    found = "\n".join(scan_app(at))
    for expected in (
        "Openstaand: None': None", "Total", "Python-getal 71915.44",
        "snake_case-kop with_feedback/share",
        "ISO-datum 2026-11-26", "Select", "snake_case-kop aantal_huishoudens",
        "grafiek zonder Nederlandse notatie",
    ):  # fmt: skip
        assert expected in found, (expected, found)


def test_the_scan_passes_dutch_text():
    def page():
        import datetime as dt

        import streamlit as st

        from app import format as nl

        st.write(f"Openstaand: {nl.euro(71915.44)} op {nl.date(dt.date(2026, 11, 26))}")
        st.dataframe(nl.table([{"Datum": dt.date(2026, 1, 5), "Open": True, "Bedrag": 2.5}]))

    at = AppTest.from_function(page, default_timeout=30).run()
    assert scan_app(at) == []


def test_table_never_shows_python_values():
    from app.format import table

    frame = table([{"a": None, "b": float("nan"), "c": pd.NaT, "d": True,
                    "e": dt.datetime(2026, 11, 26, 9, 5), "f": 1502.91}])  # fmt: skip
    assert frame.iloc[0].tolist() == ["—", "—", "—", "ja", "26-11-2026 09:05", "1.502,91"]
