"""AppTest flows of the partner's Verwijzingen page and the referrals on the Huishouden page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from coordination import actions as act
from coordination import casetables as ct
from coordination.consent import record_consent
from coordination.loopmodels import Referral, ReferralMessage
from households.db import make_engine
from households.models import Institution, User
from tests.builders import add_institution, add_regie, make_household, make_user, valid_bsn
from tests.coordination.test_referrals import make_partner

PAGES = Path(__file__).resolve().parents[2] / "app" / "views"
TODAY = dt.date.today()


@pytest.fixture
def world(db_url):
    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as s:
        gerda = make_user(s, "gerda", "gbd")
        woning = add_institution(s, "Weller Wonen")
        impuls = add_institution(s, "Impuls maatschappelijk werk")
        table = ct.ensure_tables(s)[0]
        ct.add_member(s, gerda, table.id, gerda.user_id)
        h = make_household(s, persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
        add_regie(s, h, gerda, start=TODAY - dt.timedelta(days=30))
        item = ct.add_agenda_item(s, gerda, table.id, h.id, "Wie helpt?", date=TODAY)
        sent = TODAY - dt.timedelta(days=1)
        due = TODAY + dt.timedelta(days=20)
        act.add_action(s, gerda, item.id, "Betalingsregeling huur maken", "K. Bos", due,
                       institution_id=woning.id, date=sent)  # fmt: skip
        act.add_action(s, gerda, item.id, "Gesprek over schulden", "I. Impuls", due,
                       institution_id=impuls.id, date=sent)  # fmt: skip
        petra = make_partner(s, "petra", woning)
        record_consent(s, gerda, h.id, [woning.id], TODAY - dt.timedelta(days=30),
                       TODAY + dt.timedelta(days=300))  # DESIGN 8.3: partners see name  # fmt: skip
        s.commit()
        mine = s.scalar(select(Referral.id).where(Referral.institution_id == woning.id))
    yield {"engine": engine, "gerda": gerda, "petra": petra, "mine": mine, "h": h.id}
    engine.dispose()


def _app(actor, page="verwijzingen.py") -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=60)
    at.session_state["actor"] = actor
    return at.run()


def _table(at, column: str):
    """The first table on the page with ``column`` (AppTest finds tables by position)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _state(world) -> tuple[str, list[str]]:
    with Session(world["engine"]) as s:
        status = s.get(Referral, world["mine"]).status
        kinds = list(s.scalars(select(ReferralMessage.soort).order_by(ReferralMessage.id)))
    return status, kinds


def test_partner_sees_only_their_referral_accepts_reports_and_closes(world):
    at = _app(world["petra"])
    assert not at.exception
    table = _table(at, "Taak")
    assert list(table["Taak"]) == ["Betalingsregeling huur maken"]
    assert list(table["Naam"]) == ["Jan Jansen"]
    assert "Voorzieningen" not in table.columns and "Schulden" not in table.columns
    assert at.selectbox(key="vw_keuze").value is None
    at.selectbox(key="vw_keuze").set_value(world["mine"]).run()
    assert "Gerda (regiehouder)" in " ".join(m.value for m in at.markdown)
    at.button(key="vw_accepteer").click().run()
    assert at.success[0].value == "De verwijzing is geaccepteerd."
    assert _state(world) == ("geaccepteerd", ["acceptatie"])
    at.text_area(key="vw_voortgang").input("Eerste gesprek gevoerd")
    at.button(key="vw_voortgang_knop").click().run()
    assert _state(world) == ("geaccepteerd", ["acceptatie", "voortgang"])
    at.button(key="vw_afronden_knop").click().run()  # no outcome chosen: refused
    assert "uitkomst" in at.error[0].value and _state(world)[0] == "geaccepteerd"
    at.radio(key="vw_uitkomst").set_value("bereikt")
    at.text_area(key="vw_toelichting").input("Regeling getroffen")
    at.button(key="vw_afronden_knop").click().run()
    assert not at.exception
    assert _state(world) == ("afgerond", ["acceptatie", "voortgang", "afronding"])
    assert "afgerond" in list(_table(at, "Taak")["Status"])


def test_decline_without_a_reason_is_refused_in_dutch(world):
    at = _app(world["petra"])
    at.selectbox(key="vw_keuze").set_value(world["mine"]).run()
    at.button(key="vw_wijs_af").click().run()
    assert "reden" in at.error[0].value.lower()
    assert _state(world) == ("verstuurd", [])
    at.text_area(key="vw_reden").input("Geen huurder bij ons")
    at.button(key="vw_wijs_af").click().run()
    assert _state(world) == ("afgewezen", ["afwijzing"])


def test_gbd_sees_the_referrals_on_the_household_page(world):
    at = _app(world["gerda"], "huishouden.py")
    assert not at.exception
    shown = _table(at, "Laatste reactie van de partner")
    assert sorted(shown["Instelling"]) == ["Impuls maatschappelijk werk", "Weller Wonen"]
    assert set(shown["Status"]) == {"wacht op acceptatie"}


def test_beheer_binds_a_new_partner_to_an_institution(world):
    from tests.app.test_admin_pages import _pw

    with Session(world["engine"], expire_on_commit=False) as s:
        bea = make_user(s, "bea", "beheer")
        woning = s.scalar(select(Institution.id).where(Institution.naam == "Weller Wonen"))
        s.commit()
    at = _app(bea, "gebruikers.py")
    at.text_input(key="nieuw_naam").input("piet.partner")
    at.selectbox(key="nieuw_rol").select("partner")
    _pw(at, "nieuw_wachtwoord").input("een-lang-wachtwoord")
    at.button(key="nieuw_toevoegen").click().run()
    assert "instelling van de partner" in at.error[0].value  # no institution chosen
    at.selectbox(key="nieuw_instelling").set_value(woning)
    _pw(at, "nieuw_wachtwoord").input("een-lang-wachtwoord")
    at.button(key="nieuw_toevoegen").click().run()
    assert not at.exception and "piet.partner (partner)" in at.success[0].value
    with Session(world["engine"]) as s:
        inst = s.scalar(select(User.institution_id).where(User.naam == "piet.partner"))
    assert inst == woning
