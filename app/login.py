"""Login page: name and password, one generic error, no password kept in session state."""

from __future__ import annotations

import streamlit as st

from app.auth import NOTICE_KEY, get_authenticator, start_session
from households.errors import KissError

ERROR_KEY = "login_fout"


def _attempt() -> None:
    # Runs as the submit callback, before the script: the password field can be blanked here.
    state = st.session_state
    naam = state.get("login_naam") or ""
    wachtwoord = state.get("login_wachtwoord") or ""
    state["login_wachtwoord"] = ""
    state.pop(ERROR_KEY, None)
    try:
        actor = get_authenticator().login(naam, wachtwoord)
    except KissError as exc:
        state[ERROR_KEY] = str(exc)
        return
    start_session(actor)


def login_page() -> None:
    """Render the login form; on success the actor is in ``st.session_state["actor"]``."""
    st.title("Inloggen")
    st.caption("KISS hub — gemeente Brunssum")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
    with st.form("login_formulier"):
        st.text_input("Gebruikersnaam", key="login_naam", autocomplete="username")
        st.text_input(
            "Wachtwoord", type="password", key="login_wachtwoord", autocomplete="current-password"
        )
        st.form_submit_button("Inloggen", key="login_knop", type="primary", on_click=_attempt)
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error(error)
    if st.session_state.get("actor") is not None:
        st.rerun()
