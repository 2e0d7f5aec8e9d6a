"""The Werklijst page (AppTest): counts per kind, Dutch rows, links that open the household."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from app.auth import LAST_ACTIVITY_KEY
from households.db import make_engine
from households.models import AuditEvent
from tests.builders import add_member, experiment
from tests.worklist_world import build_world

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        w = build_world(s, today=dt.date.today())
    yield {**w, "engine": engine}
    engine.dispose()


def _app(actor, page: str | None = None, query: dict | None = None) -> AppTest:
    st.cache_resource.clear()
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state[LAST_ACTIVITY_KEY] = time.time()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def _views(world) -> int:
    with Session(world["engine"]) as s:
        return s.scalar(select(func.count()).where(AuditEvent.actie == "werklijst_inzien"))


def _links(at) -> list:
    return [e.proto for e in at.get("page_link")]


def test_werklijst_shows_counts_rows_and_links(world):
    at = _app(world["gerda"], "views/werklijst.py")
    assert at.title[0].value == "Werklijst"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Regie"] == "3" and metrics["Vier ogen"] == "1"
    assert metrics["Stabiliteitslog"] == "2" and metrics["Doel evalueren"] == "3"
    h1 = world["hh"]["h1"]
    label = f"{h1.huishouden_id} — J. Jansen1, Kerkstraat 1, 6441 AB"
    links = [p for p in _links(at) if p.label == label]
    assert links and all(p.page.endswith("huishouden") for p in links)
    assert all(f"huishouden={h1.id}" in p.query_string for p in links)
    texts = " ".join(m.value for m in at.markdown)
    assert "Acuut" in " ".join(b.proto.label for b in at.get("badge")) or "Acuut" in texts
    assert f"{world['hh']['h5'].huishouden_id} (geen toegang)" in texts


def test_one_audit_row_per_view(world):
    before = _views(world)
    _app(world["gerda"], "views/werklijst.py")
    # the Start page (the landing page) is one view, the Werklijst page another
    assert _views(world) == before + 2


def test_start_is_the_coordinators_worklist(world):
    at = _app(world["gerda"])
    assert [h.value for h in at.header][:1] == ["Uw werklijst"]
    assert any(p.label.startswith("Naar de hele werklijst") for p in _links(at))


def test_household_in_the_url_is_selected_on_the_household_page(world):
    h2 = world["hh"]["h2"]
    at = _app(world["gerda"], query={"huishouden": str(h2.id)})
    at.switch_page("views/huishouden.py")
    at.query_params["huishouden"] = str(h2.id)
    at.run()
    assert not at.exception
    assert at.selectbox(key="hh_keuze").value == h2.id


def test_other_roles_have_no_werklijst(world):
    worker = world["worker"]
    at = _app(worker)
    with pytest.raises(ValueError):
        at.switch_page("views/werklijst.py")


def test_household_in_the_url_is_selected_in_the_ervaringswerkers_logboek(world):
    h3 = world["hh"]["h3"]
    with Session(world["engine"]) as s:
        add_member(s, experiment(s), world["worker"], "ervaringswerker")
        s.commit()
    at = _app(world["worker"])
    at.switch_page("views/logboek.py")
    at.query_params["huishouden"] = str(h3.id)
    at.run()
    assert not at.exception
    assert at.selectbox(key="lb_huishouden").value == h3.id
