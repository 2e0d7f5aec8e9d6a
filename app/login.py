"""Login page: the gemeente's identity provider (when configured) and the password form.

One generic error for the password form, no password kept in session state; a
refusal of the identity provider's account is shown in Dutch with a way to
sign out there and try another account.
"""

from __future__ import annotations

import streamlit as st

from app import oidc
from app.auth import NOTICE_KEY, OIDC_REFUSAL_KEY, get_authenticator, start_session
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


def _provider_sign_in(cfg: oidc.OidcSettings) -> None:
    refusal = st.session_state.get(OIDC_REFUSAL_KEY)
    if refusal:
        st.error(refusal)
        st.button(
            "Afmelden bij de gemeente en opnieuw proberen",
            key="login_oidc_afmelden",
            on_click=st.logout,
            icon=":material/logout:",
        )
        return
    st.button(
        "Inloggen via de gemeente",
        key="login_oidc",
        type="primary",
        on_click=st.login,
        icon=":material/account_balance:",
    )


def _password_form() -> None:
    with st.form("login_formulier"):
        st.text_input("Gebruikersnaam", key="login_naam", autocomplete="username")
        st.text_input(
            "Wachtwoord", type="password", key="login_wachtwoord", autocomplete="current-password"
        )
        st.form_submit_button("Inloggen", key="login_knop", type="primary", on_click=_attempt)
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error(error)


def login_page() -> None:
    """Render the login page; on success the actor is in ``st.session_state["actor"]``."""
    st.title("Inloggen")
    st.caption("KISS hub — gemeente Brunssum")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
    cfg = oidc.settings()
    if cfg.enabled:
        _provider_sign_in(cfg)
        if cfg.password_login:
            st.caption("Of met een lokaal account:")
    if cfg.password_login:
        _password_form()
    if st.session_state.get("actor") is not None:
        st.rerun()
