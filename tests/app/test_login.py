"""Login flow as a person uses it (AppTest): demo users, errors, lockout, logout, idle timeout."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.auth import IDLE_TIMEOUT_S, LAST_ACTIVITY_KEY, SESSION_KEY
from app.navigation import pages_for
from households.accounts import MSG_LOGIN_FAILED, create_demo_users, set_active
from households.actor import SYSTEM
from households.db import utcnow
from households.models import USER_ROLES, AuditEvent, LoginSession, User

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def demo(session) -> dict[str, str]:
    rows = create_demo_users(session)
    session.commit()
    return {rol: (naam, password) for naam, rol, password in rows}


@pytest.fixture
def at(db_url) -> AppTest:
    st.cache_resource.clear()
    st.cache_data.clear()
    app = AppTest.from_file(MAIN, default_timeout=60).run()
    yield app
    st.cache_resource.clear()


def _login(at: AppTest, naam: str, password: str) -> AppTest:
    at.text_input(key="login_naam").input(naam)
    at.text_input(key="login_wachtwoord").input(password)
    return at.button(key="login_knop").click().run()


def _registered_files(at: AppTest) -> set[str]:
    return {Path(str(p["script_path"])).name for p in at._registered_pages.values()}


def test_login_page_comes_first(at):
    assert not at.exception
    assert at.title[0].value == "Inloggen"
    assert (
        at.text_input(key="login_wachtwoord").proto.type
        == at.text_input(key="login_wachtwoord").proto.PASSWORD
    )  # noqa: E501
    assert "actor" not in at.session_state


@pytest.mark.parametrize("rol", USER_ROLES)
def test_demo_user_logs_in_and_sees_only_the_pages_of_the_role(at, demo, rol):
    naam, password = demo[rol]
    _login(at, naam, password)
    assert not at.exception
    assert at.session_state["actor"].rol == rol
    assert _registered_files(at) == {p.file for p in pages_for(rol)}
    assert [b.key for b in at.sidebar.button] == ["uitloggen"]


@pytest.mark.parametrize("rol", ["voordeur", "gbd", "ervaringswerker", "kiss"])
def test_other_roles_cannot_reach_the_admin_pages(at, demo, rol):
    _login(at, *demo[rol])
    for page in ("views/gebruikers.py", "views/auditlog.py"):
        with pytest.raises(ValueError):
            at.switch_page(page)


def test_password_is_not_kept_in_session_state(at, demo):
    naam, password = demo["gbd"]
    _login(at, naam, password)
    assert (
        at.session_state["login_wachtwoord"] == ""
        if "login_wachtwoord" in at.session_state
        else True
    )
    internal = at.session_state._state  # noqa: SLF001 - the widget states, too
    assert password not in repr(internal.filtered_state)
    assert password not in repr(internal.get_widget_states())


def test_wrong_password_shows_the_generic_error(at, demo):
    _login(at, "gbd", "verkeerd-wachtwoord")
    assert not at.exception
    assert [e.value for e in at.error] == [MSG_LOGIN_FAILED]
    assert "actor" not in at.session_state
    assert at.text_input(key="login_wachtwoord").value == ""


def test_unknown_user_shows_the_same_error(at, demo):
    _login(at, "bestaat-niet", "verkeerd-wachtwoord")
    assert [e.value for e in at.error] == [MSG_LOGIN_FAILED]


def test_five_failures_lock_the_account(at, demo, session):
    naam, password = demo["voordeur"]
    for _ in range(5):
        _login(at, naam, "verkeerd-wachtwoord")
    assert "tijdelijk geblokkeerd" in at.error[0].value
    _login(at, naam, password)
    assert "tijdelijk geblokkeerd" in at.error[0].value
    assert "actor" not in at.session_state
    results = session.scalars(
        select(AuditEvent.resultaat).where(AuditEvent.actie == "inloggen").order_by(AuditEvent.id)
    ).all()
    assert results == ["mislukt"] * 5 + ["geblokkeerd"]


def test_logout_clears_the_session(at, demo, session):
    _login(at, *demo["kiss"])
    at.sidebar.button(key="uitloggen").click().run()
    assert not at.exception
    assert "actor" not in at.session_state
    assert at.title[0].value == "Inloggen"
    assert "uitgelogd" in at.info[0].value
    assert (
        session.scalar(select(AuditEvent.gebruiker).where(AuditEvent.actie == "uitloggen"))
        == "kiss"
    )


def _age_login_session(session, seconds: float) -> None:
    # The idle time is the login session's (shared by every tab of the browser).
    row = session.scalars(select(LoginSession)).one()
    row.laatst_gebruikt_op = utcnow() - dt.timedelta(seconds=seconds)
    session.commit()


def test_idle_session_expires(at, demo, session):
    _login(at, *demo["gbd"])
    _age_login_session(session, IDLE_TIMEOUT_S + 1)
    at.session_state[LAST_ACTIVITY_KEY] = time.time() - IDLE_TIMEOUT_S - 1
    at.run()
    assert not at.exception
    assert "actor" not in at.session_state
    assert "Sessie verlopen" in at.info[0].value
    session.expire_all()
    assert session.scalars(select(LoginSession.reden_einde)).one() == "verlopen"


def test_activity_keeps_the_session_alive(at, demo, session):
    _login(at, *demo["gbd"])
    _age_login_session(session, IDLE_TIMEOUT_S - 60)
    at.session_state[LAST_ACTIVITY_KEY] = time.time() - IDLE_TIMEOUT_S + 60
    at.run()
    assert at.session_state["actor"].naam == "gbd"
    assert at.session_state[LAST_ACTIVITY_KEY] > time.time() - 60
    session.expire_all()
    last = session.scalars(select(LoginSession.laatst_gebruikt_op)).one()
    assert last > utcnow() - dt.timedelta(seconds=60)


def test_a_quiet_tab_lives_on_while_another_tab_is_used(at, demo, session):
    # This tab was quiet for longer than the idle time; the other tab kept the session in use.
    _login(at, *demo["gbd"])
    at.session_state[LAST_ACTIVITY_KEY] = time.time() - IDLE_TIMEOUT_S - 60
    at.run()
    assert at.session_state["actor"].naam == "gbd"


def test_logout_in_one_tab_ends_the_other_tab(at, demo, session):
    _login(at, *demo["kiss"])
    other = AppTest.from_file(MAIN, default_timeout=60)
    for key in ("actor", SESSION_KEY, LAST_ACTIVITY_KEY):
        other.session_state[key] = at.session_state[key]
    other.run()
    assert other.session_state["actor"].naam == "kiss"
    at.sidebar.button(key="uitloggen").click().run()
    other.run()
    assert not other.exception
    assert "actor" not in other.session_state
    assert "ander tabblad" in other.info[0].value


def test_deactivated_account_is_logged_out_on_the_next_rerun(at, demo, session):
    _login(at, *demo["gbd"])
    set_active(session, SYSTEM, session.scalar(select(User.id).where(User.naam == "gbd")), False)
    session.commit()
    at.run()
    assert "actor" not in at.session_state
    assert "uitgeschakeld" in at.info[0].value


_AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only-cookie-secret-0123456789",
    "client_id": "kiss-hub",
    "client_secret": "geheim",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def test_with_an_identity_provider_the_page_offers_the_gemeente_sign_in(db_url):
    app = AppTest.from_file(MAIN, default_timeout=60)
    app.secrets["auth"] = _AUTH
    app.run()
    assert not app.exception
    assert app.button(key="login_oidc").label == "Inloggen via de gemeente"
    assert app.text_input(key="login_naam")  # the password form stays for local accounts


def test_the_password_form_can_be_switched_off(db_url):
    app = AppTest.from_file(MAIN, default_timeout=60)
    app.secrets["auth"] = _AUTH
    app.secrets["kiss_auth"] = {"wachtwoord": False}
    app.run()
    assert not app.exception
    assert app.button(key="login_oidc")
    assert not [w for w in app.text_input if w.key == "login_naam"]


def test_without_an_identity_provider_only_the_password_form_shows(at):
    assert not [b for b in at.button if b.key == "login_oidc"]
    assert at.text_input(key="login_naam")
