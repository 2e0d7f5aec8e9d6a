"""Bounded pages (AppTest): Huishouden lists one page of 'mijn huishoudens' with one audit
row per run; beheer sets how long an opening gives access on the Gebruikers page."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.auth import LAST_ACTIVITY_KEY
from households.models import AuditEvent
from households.opening_period import opening_period_days
from tests.builders import make_household, opened

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


def _app(actor, page: str) -> AppTest:
    st.cache_resource.clear()
    at = AppTest.from_file(MAIN, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state[LAST_ACTIVITY_KEY] = time.time()
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def _list_rows(session) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.actie == "huishoudens_kiezen")))


def test_huishouden_shows_one_page_and_audits_each_run_once(db_url, session, account):
    gbd = account("gbd1", "gbd")
    for i in range(30):
        opened(session, gbd, make_household(session, huisnummer=str(i + 1)))
    session.commit()
    at = _app(gbd, "views/huishouden.py")
    assert len(at.selectbox(key="hh_keuze").options) == 25
    assert any("van 30 (pagina 1 van 2)" in c.value for c in at.caption)
    runs = len(_list_rows(session))
    at.number_input(key="hh_pagina").set_value(2).run()
    assert not at.exception
    options = at.selectbox(key="hh_keuze").options
    assert len(options) == 6 and options[0].endswith("· gekozen")  # the choice stays on top
    rows = _list_rows(session)
    assert len(rows) == runs + 1  # one row for the list view, not one per household
    assert json.loads(rows[-1].nieuw)["pagina"] == 2


@pytest.mark.parametrize(("value", "message"), [
    (14, "Toegang na openen is nu 14 dagen."),
    (None, "Geef het aantal dagen op als heel getal."),
])  # fmt: skip
def test_beheer_sets_the_access_period_on_the_users_page(db_url, session, account, value,
                                                         message):  # fmt: skip
    beheer = account("beheerder", "beheer")
    at = _app(beheer, "views/gebruikers.py")
    assert any("30 dagen" in m.value for m in at.markdown)
    at.number_input(key="toegangsduur_dagen").set_value(value).run()
    at.button(key="toegangsduur_opslaan").click().run()
    assert not at.exception
    shown = [m.value for m in (*at.success, *at.error)]
    assert message in shown
    session.expire_all()
    assert opening_period_days(session) == (value or 30)
