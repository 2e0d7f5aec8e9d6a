"""Gebruikers (beheer): accounts, roles, deactivating, lifting a lock, a new password."""

import pandas as pd
import streamlit as st

from app.auth import live_actor
from app.context import attempt, require_actor, unit_of_work
from households.accounts import (
    MIN_PASSWORD_LENGTH,
    change_role,
    create_user,
    list_users,
    reset_lockout,
    reset_password,
    set_active,
)
from households.models import USER_ROLES

actor = require_actor()


def _add_user() -> None:
    # Submit callback: blank the password field before anything else (never kept in state).
    state = st.session_state
    password = state.get("nieuw_wachtwoord") or ""
    state["nieuw_wachtwoord"] = ""
    actor = live_actor()
    if actor is None:  # the session went idle; the entry script ends it
        return
    # A refused account leaves the form filled in (except the password) with the message.
    made = attempt(
        lambda session: create_user(
            session, actor, state.get("nieuw_naam") or "", state.get("nieuw_rol") or "",
            password, state.get("nieuw_weergavenaam") or None,
        )
    )  # fmt: skip
    if made:
        st.success(f"Gebruiker {made.value.naam} ({made.value.rol}) aangemaakt.")
        state["nieuw_naam"] = state["nieuw_weergavenaam"] = ""


def _change(action: str) -> None:
    user_id = st.session_state.get("gebruiker_keuze")
    actor = live_actor()
    if actor is None:
        return

    def change(session) -> None:
        if action == "deblokkeren":
            reset_lockout(session, actor, user_id)
        else:
            set_active(session, actor, user_id, action == "activeren")

    attempt(change, success="Wijziging opgeslagen.")


def _change_role() -> None:
    state = st.session_state
    user_id, rol, actor = (
        state.get("gebruiker_keuze"),
        state.get("gebruiker_nieuwe_rol"),
        live_actor(),
    )
    if actor is None:
        return
    if attempt(lambda session: change_role(session, actor, user_id, rol or "")):
        st.success(f"Rol gewijzigd in {rol}.")
        state["gebruiker_nieuwe_rol"] = None


def _reset_password() -> None:
    # Submit callback: blank the password field before anything else (never kept in state).
    state = st.session_state
    password = state.get("gebruiker_wachtwoord") or ""
    state["gebruiker_wachtwoord"] = ""
    user_id, actor = state.get("gebruiker_keuze"), live_actor()
    if actor is None:
        return
    done = attempt(lambda session: reset_password(session, actor, user_id, password))
    if done:
        st.success(
            f"Nieuw wachtwoord ingesteld; {done.value} open sessie(s) beëindigd. "
            "Geef het wachtwoord persoonlijk door."
        )


st.title("Gebruikers")
with unit_of_work() as session:
    users = list_users(session, actor)

st.dataframe(
    pd.DataFrame(
        [
            {
                "Gebruikersnaam": u.naam,
                "Naam": u.weergavenaam or "",
                "Rol": u.rol,
                "Actief": u.actief,
                "Geblokkeerd": u.geblokkeerd,
                "Mislukte pogingen": u.mislukte_pogingen,
                "Aangemaakt (UTC)": u.aangemaakt_op,
            }
            for u in users
        ]
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Account wijzigen")
names = {u.id: f"{u.naam} ({u.rol}{'' if u.actief else ', inactief'})" for u in users}
st.selectbox(
    "Gebruiker",
    list(names),
    format_func=names.get,
    placeholder="Kies een gebruiker",
    key="gebruiker_keuze",
)
c1, c2, c3 = st.columns(3)
c1.button("Deactiveren", key="gebruiker_deactiveren", on_click=_change, args=("deactiveren",))
c2.button("Activeren", key="gebruiker_activeren", on_click=_change, args=("activeren",))
c3.button(
    "Blokkering opheffen", key="gebruiker_deblokkeren", on_click=_change, args=("deblokkeren",)
)
c4, c5 = st.columns([3, 1], vertical_alignment="bottom")
c4.selectbox(
    "Nieuwe rol", USER_ROLES, index=None, placeholder="Kies een rol", key="gebruiker_nieuwe_rol"
)
c5.button("Rol wijzigen", key="gebruiker_rol_wijzigen", on_click=_change_role)
c6, c7 = st.columns([3, 1], vertical_alignment="bottom")
c6.text_input(
    f"Nieuw wachtwoord (minstens {MIN_PASSWORD_LENGTH} tekens)",
    type="password",
    key="gebruiker_wachtwoord",
    autocomplete="new-password",
)
c7.button("Wachtwoord instellen", key="gebruiker_wachtwoord_instellen", on_click=_reset_password)

st.subheader("Gebruiker toevoegen")
with st.form("gebruiker_toevoegen"):
    st.text_input("Gebruikersnaam", key="nieuw_naam", help="kleine letters, cijfers en . _ - @")
    st.text_input("Naam (zoals getoond)", key="nieuw_weergavenaam")
    st.selectbox("Rol", USER_ROLES, placeholder="Kies een rol", key="nieuw_rol")
    st.text_input(
        f"Wachtwoord (minstens {MIN_PASSWORD_LENGTH} tekens)",
        type="password",
        key="nieuw_wachtwoord",
        autocomplete="new-password",
    )
    st.form_submit_button("Toevoegen", key="nieuw_toevoegen", on_click=_add_user)
