"""Chart builders (pure) and the issue-4 pages: charts get only aggregated, suppressed data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from app.charts import (
    counts_frame,
    distribution_chart,
    graph_chart,
    ranking_chart,
    timeline_chart,
    trend_chart,
    upset_chart,
    wijk_chart,
)
from coordination.access import open_household
from households.actor import Actor
from households.db import make_engine
from tests.builders import make_user
from tests.coordination.test_stacking import debt, hh, institution, person, prov, signal

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def _values(chart) -> list[dict]:
    spec = chart.to_dict()
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_counts_frame_keeps_suppression_as_label():
    df = counts_frame({"1": 12, "2": "<5", "3": 0})
    assert df["label"].tolist() == ["12", "<5", "0"]
    assert df["aantal"].isna().tolist() == [False, True, False]


def test_upset_chart_holds_only_the_combination_counts():
    chart = upset_chart({"ISD": 7, "WMO": "<5", "ISD+WMO": 5})
    rows = _values(chart)
    bars = [r for r in rows if "label" in r]
    assert [(r["combinatie"], r["label"]) for r in bars] == [
        ("ISD", "7"), ("WMO", "<5"), ("ISD+WMO", "5"),
    ]  # fmt: skip
    members = {(r["combinatie"], r["domein"]) for r in rows if r.get("lid")}
    assert members == {("ISD", "ISD"), ("WMO", "Wmo"), ("ISD+WMO", "ISD"), ("ISD+WMO", "Wmo")}


def test_wijk_and_trend_charts_drop_hidden_values():
    by_wijk = {"Noord": {"stacked": 12, "complex": "<5"}, "Oost": {"stacked": 0, "complex": 8}}
    rows = _values(wijk_chart(by_wijk, ["stacked", "complex"]))
    assert {(r["wijk"], r["maat"]): r["aantal"] for r in rows} == {
        ("Noord", "gestapeld"): 12.0, ("Noord", "complex"): None,
        ("Oost", "gestapeld"): 0.0, ("Oost", "complex"): 8.0,
    }  # fmt: skip
    trend = [{"kwartaal": "2025-K1", "stacked": "<5"}, {"kwartaal": "2025-K2", "stacked": 9}]
    assert [r["aantal"] for r in _values(trend_chart(trend, ["stacked"]))] == [None, 9.0]


def test_distribution_chart_keeps_order():
    rows = _values(distribution_chart({"1": 30, "2": 12, "6+": "<5"}))
    assert [r["categorie"] for r in rows] == ["1", "2", "6+"]


def test_graph_and_timeline_charts():
    nodes = pd.DataFrame({"id": ["a", "b", "c"], "soort": ["huishouden", "persoon", "voorziening"],
                          "label": ["H1", "Anna", "WMO: hulp"], "x": [1.0, 2.0, 3.0],
                          "y": [0.0, 0.0, 0.0], "actief": [True, True, False]})  # fmt: skip
    edges = pd.DataFrame({"x": [1.0, 2.0], "y": [0.0, 0.0], "x2": [2.0, 3.0], "y2": [0.0, 0.0],
                          "relatie": ["lid", "ontvangt"], "actief": [True, False]})  # fmt: skip
    spec = graph_chart(nodes, edges).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "point", "text", "text"]
    rule, point = spec["layer"][0], spec["layer"][1]
    assert rule["encoding"]["strokeDash"]["title"] == "Status"  # ended edges dashed, in a legend
    assert point["encoding"]["shape"]["field"] == "soort"  # shape as well as colour
    texts = [r["tekst"] for r in _values(graph_chart(nodes, edges)) if "tekst" in r]
    assert texts == ["H1", "Anna", "WMO: hulp (beëindigd)"]
    assert spec["config"]["locale"]["time"]["months"][0] == "januari"
    rows = [{"domein": "WMO", "voorziening": "hulp", "van": dt.date(2024, 1, 1),
             "tot": dt.date(2025, 1, 1), "actief": False, "aanbieder": "MEE"}]  # fmt: skip
    tl = timeline_chart(rows).to_dict()
    bars, ended = tl["layer"]
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x2"]["field"] == "tot"
    assert bars["encoding"]["x"]["axis"]["format"] == "%Y"  # the timeline shows years
    assert [r["einde"] for r in _values(timeline_chart(rows))] == ["beëindigd 01-01-2025"]
    assert tl["config"]["locale"]["number"]["thousands"] == "."


def test_ranking_chart():
    ranking = pd.DataFrame({"naam": ["Radar", "MEE"], "huishoudens": [40, "<5"],
                            "co_instellingen": [3, 1]})  # fmt: skip
    rows = _values(ranking_chart(ranking))
    assert [(r["naam"], r["huishoudens"], r["label"]) for r in rows] == [
        ("Radar", 40.0, "40"), ("MEE", None, "<5"),
    ]  # fmt: skip


# --- pages (AppTest) -------------------------------------------------------------------------


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        radar = institution(s, "Radar")
        for i in range(12):
            h = hh(s, f"P{i:03d}", "Noord" if i < 7 else "Oost")
            p = person(s, h, naam=f"Persoon Geheim{i}")
            prov(s, p, "WMO", TODAY - 100 * DAY, institution=radar)
            if i % 2:
                prov(s, p, "JEUGD", TODAY - 50 * DAY, soort="jeugdbescherming")
                debt(s, p, 321_00, TODAY - 20 * DAY, schuldeiser="ISD BOL")
        signal(s, h, "politie", TODAY - 3 * DAY)
        gbd = make_user(s, "gerda", "gbd")
        kiss = make_user(s, "kim", "kiss")
        open_household(s, gbd, h.id, "casustafel voorbereiden")
        s.commit()
        data = {"gbd": gbd, "kiss": kiss, "key": h.huishouden_id}
    yield data
    engine.dispose()


def _page(name: str, actor: Actor) -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def test_kiss_overview_page_ships_no_identities(world):
    at = _page("kiss_overzicht.py", world["kiss"])
    assert not at.exception and not at.error
    assert at.metric[0].value == "12"
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) >= 5
    blob = " ".join(str(c.proto) for c in charts)
    assert "Geheim" not in blob and "P00" not in blob
    assert at.get("download_button")[0].proto.label == "Download als CSV"


def test_household_page_for_gbd(world):
    at = _page("huishouden.py", world["gbd"])
    assert not at.exception and not at.error
    assert len(at.selectbox(key="hh_keuze").options) == 1
    assert at.header[0].value.startswith(world["key"])
    assert any("veiligheidssignaal open" in m.value for m in at.markdown)
    graph = at.get("vega_lite_chart")[0]
    # opened with a purpose: jeugdbescherming and the police signal only as "bekend bij"
    summary = "Huishouden P011 met 1 persoon. 1 voorziening: 1 actief (1 Wmo)"
    assert any("bekend bij Jeugdbescherming — contact: team Jeugd" in m.value for m in at.markdown)
    assert graph.proto.alt.startswith(summary)  # the text alternative of the drawing
    assert any(c.value.startswith(summary) for c in at.caption)
    outline = next(m.value for m in at.markdown if m.value.startswith("- Huishouden: P011"))
    assert "  - Persoon: Persoon Geheim11" in outline and "- Instelling: Radar" in outline
    assert [e.label for e in at.expander][:2] == ["Als lijst", "Als tabel"]


def test_household_page_refuses_without_need_to_know(world):
    at = _page("huishouden.py", world["kiss"])
    assert not at.exception
    assert "geen toegang" in at.error[0].value
    assert not at.get("selectbox")


def test_network_page(world):
    at = _page("netwerk.py", world["gbd"])
    assert not at.exception and not at.error
    assert "Radar" in str(at.dataframe[0].value)


def test_rules_page_saves_a_version(world, db_url):
    engine = make_engine(db_url)
    with Session(engine) as s:
        beheer = make_user(s, "bea", "beheer")
        s.commit()
    engine.dispose()
    at = _page("regels.py", beheer)
    assert at.header[0].value == "Actieve regels: versie 1"
    at.number_input(key="r_herhaald_aantal").set_value(4)
    at.text_area(key="r_toelichting").input("drempel naar vier aanvragen")
    at.button(key="r_opslaan").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Opgeslagen als versie 2; die versie is nu actief."


def test_effect_chart_has_one_unit_per_axis():
    from experiments.charts import did_chart

    did = pd.DataFrame({"uitkomst": ["Actieve voorzieningen (aantal)", "Openstaande schuld (€)",
                                     "Regie aanwezig (aandeel)"],
                        "effect": [-0.4, -1502.91, 0.12], "ci_laag": [-0.9, -2500.0, None],
                        "ci_hoog": [0.1, -300.0, None]})  # fmt: skip
    spec = did_chart(did).to_dict()
    assert spec["resolve"]["scale"]["x"] == "independent"
    axes = [(c["title"], c["layer"][1]["encoding"]["x"]["axis"]["format"]) for c in spec["vconcat"]]
    assert axes == [("Actieve voorzieningen (aantal)", ",.1f"), ("Openstaande schuld (€)", "$,.0f"),
                    ("Regie aanwezig (aandeel)", ".0%")]  # fmt: skip
    assert spec["config"]["locale"]["number"]["currency"] == ["€ ", ""]
