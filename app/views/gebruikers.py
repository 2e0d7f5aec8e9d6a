"""Gebruikers (beheer): accounts, roles, deactivating, lifting a lock, a new password."""

from typing import NoReturn

import streamlit as st

from app import format as nl
from app.access_period import access_period_section
from app.context import Attempt, require_actor, unit_of_work
from app.forms import Form
from households.accounts import (
    MIN_PASSWORD_LENGTH,
    change_role,
    create_user,
    list_users,
    reset_lockout,
    reset_password,
    set_active,
)
from households.identity import link_identity
from households.models import USER_ROLES
from households.partner_accounts import institutions

actor = require_actor()


REFUSED = "_geweigerd_{}"  # the message of a refused send, shown after the rerun
ROUND = "_ronde_{}"  # a password field gets a new key after every send: drawn empty again


def _password_key(name: str) -> str:
    """This run's key of the password field ``name`` (a new, empty widget after each send).

    A password is never kept once sent: setting a password widget's value does not empty
    the field in the browser, a widget with a new key does.
    """
    return f"{name}_{st.session_state.get(ROUND.format(name), 0)}"


def _sent(name: str) -> None:
    """A password form was sent: its next run draws a fresh password field."""
    st.session_state[ROUND.format(name)] = st.session_state.get(ROUND.format(name), 0) + 1


def _refused(name: str, result: Attempt) -> NoReturn:
    """A refused send: keep the message, rerun, and draw the form with an empty password."""
    st.session_state[REFUSED.format(name)] = result.message
    st.rerun()


def _refusal(name: str) -> None:
    """The message of the refused send of ``name``, once, after its rerun."""
    message = st.session_state.pop(REFUSED.format(name), None)
    if message is not None:
        st.error(message)


st.title("Gebruikers")
with unit_of_work() as session:
    users = list_users(session, actor)
    instellingen = institutions(session, actor)
INSTELLING_LABEL = "Instelling (alleen voor de rol partner: een partner hoort bij één instelling)"

st.dataframe(
    nl.table(
        [
            {
                "Gebruikersnaam": u.naam,
                "Naam": u.weergavenaam or None,
                "Rol": u.rol,
                "Actief": u.actief,
                "Geblokkeerd": u.geblokkeerd,
                "Mislukte pogingen": u.mislukte_pogingen,
                "Aangemaakt (UTC)": u.aangemaakt_op,
                "Identiteit bij de gemeente": u.oidc_id,
            }
            for u in users
        ]
    ),
    hide_index=True,
    width="stretch",
    key="gb_tabel",
)

st.header("Account wijzigen")
# The picker shows the name only: a label that changes with a save (the role, the state)
# would no longer match the choice the browser holds. The state is shown under it.
names = {u.id: u.naam for u in users}
user_id = st.selectbox(
    "Gebruiker",
    list(names),
    index=None,
    format_func=names.get,
    placeholder="Kies een gebruiker",
    key="gebruiker_keuze",
)
chosen = next((u for u in users if u.id == user_id), None)
naam = None if chosen is None else chosen.naam
if chosen is not None:
    st.caption(
        f"Rol: {chosen.rol} · {'actief' if chosen.actief else 'inactief'}"
        + (" · geblokkeerd" if chosen.geblokkeerd else "")
    )
# Every change is written once, to the account chosen on screen; then the page reruns and the
# table above shows it.
deactiveren = Form("gebruiker_deactiveren", button="gebruiker_deactiveren", target=user_id)
activeren = Form("gebruiker_activeren", button="gebruiker_activeren", target=user_id)
deblokkeren = Form("gebruiker_deblokkeren", button="gebruiker_deblokkeren", target=user_id)
rol_form = Form("rol_wijzigen", button="gebruiker_rol_wijzigen",
                fields={"gebruiker_nieuwe_rol": None, "gebruiker_nieuwe_instelling": None},
                target=user_id)  # fmt: skip
wachtwoord_form = Form("wachtwoord_instellen", button="gebruiker_wachtwoord_instellen",
                       target=user_id)  # fmt: skip
geen = user_id is None
c1, c2, c3 = st.columns(3)
with c1:
    if deactiveren.button("Deactiveren", disabled=geen):
        deactiveren.submit(lambda session: set_active(session, actor, user_id, False),
                           success=f"{naam} is gedeactiveerd.")  # fmt: skip
with c2:
    if activeren.button("Activeren", disabled=geen):
        activeren.submit(lambda session: set_active(session, actor, user_id, True),
                         success=f"{naam} is geactiveerd.")  # fmt: skip
with c3:
    if deblokkeren.button("Blokkering opheffen", disabled=geen):
        deblokkeren.submit(lambda session: reset_lockout(session, actor, user_id),
                           success=f"De blokkering van {naam} is opgeheven.")  # fmt: skip
c4, c5 = st.columns([3, 1], vertical_alignment="bottom")
rol = c4.selectbox(
    "Nieuwe rol", USER_ROLES, index=None, placeholder="Kies een rol", key="gebruiker_nieuwe_rol"
)
rol_instelling = None
if rol == "partner":  # the picker appears when the role is partner
    rol_instelling = c4.selectbox(
        INSTELLING_LABEL, list(instellingen), index=None, format_func=instellingen.get,
        placeholder="Kies een instelling", key="gebruiker_nieuwe_instelling",
    )  # fmt: skip
with c5:
    if rol_form.button("Rol wijzigen", disabled=geen):
        rol_form.submit(
            lambda session: change_role(session, actor, user_id, rol or "", rol_instelling),
            success=f"Rol van {naam} gewijzigd in {rol}.",
        )
_refusal("gebruiker_wachtwoord")
c6, c7 = st.columns([3, 1], vertical_alignment="bottom")
password = c6.text_input(
    f"Nieuw wachtwoord (minstens {MIN_PASSWORD_LENGTH} tekens)",
    type="password",
    key=_password_key("gebruiker_wachtwoord"),
    autocomplete="new-password",
)
with c7:
    sent = wachtwoord_form.button("Wachtwoord instellen", disabled=geen)
if sent:
    _sent("gebruiker_wachtwoord")
    result = wachtwoord_form.submit(
        lambda session: reset_password(session, actor, user_id, password),
        success=lambda ended: (
            f"Nieuw wachtwoord voor {naam} ingesteld; {ended} open sessie(s) beëindigd. "
            "Geef het wachtwoord persoonlijk door."
        ),
    )
    _refused("gebruiker_wachtwoord", result)

# The identity at the gemeente's identity provider (OIDC): set or clear, audited; one
# account per identity (a second link is refused with a Dutch message).
koppel_form = Form("identiteit_koppelen", button="gebruiker_oidc_koppelen",
                   fields={"gebruiker_oidc": ""}, target=user_id)  # fmt: skip
ontkoppel_form = Form("identiteit_ontkoppelen", button="gebruiker_oidc_ontkoppelen",
                      target=user_id)  # fmt: skip
c8, c9, c10 = st.columns([3, 1, 1], vertical_alignment="bottom")
identiteit = c8.text_input(
    "Identiteit bij de gemeente (inloggen via de identiteitsprovider)",
    key="gebruiker_oidc",
    placeholder="bijvoorbeeld a.jansen@brunssum.nl",
    help="De waarde van de claim waarmee de identiteitsprovider deze persoon aanmeldt "
    "(meestal het e-mailadres). Eén account per identiteit.",
)
with c9:
    if koppel_form.button("Koppelen", disabled=geen):
        if not (identiteit or "").strip():
            st.error("Vul de identiteit bij de gemeente in (bijvoorbeeld het e-mailadres).")
        else:
            koppel_form.submit(
                lambda session: link_identity(session, actor, user_id, identiteit.strip()),
                success=f"Account gekoppeld aan identiteit {identiteit.strip()}.",
            )
with c10:
    if ontkoppel_form.button("Ontkoppelen", disabled=geen):
        ontkoppel_form.submit(
            lambda session: link_identity(session, actor, user_id, None),
            success="Koppeling met de identiteitsprovider verwijderd.",
        )

st.header("Gebruiker toevoegen")
nieuw = Form(
    "gebruiker_toevoegen",
    button="nieuw_toevoegen",
    fields={
        "nieuw_naam": "",
        "nieuw_weergavenaam": "",
        "nieuw_rol": None,
        "nieuw_instelling": None,
    },
)
_refusal("nieuw_wachtwoord")
with st.form("gebruiker_toevoegen"):
    new_name = st.text_input(
        "Gebruikersnaam", key="nieuw_naam", help="kleine letters, cijfers en . _ - @"
    )
    new_display = st.text_input("Naam (zoals getoond)", key="nieuw_weergavenaam")
    new_role = st.selectbox(
        "Rol", USER_ROLES, index=None, placeholder="Kies een rol", key="nieuw_rol"
    )
    # Inside a form the role is known only on sending: the picker is always there, and
    # create_user refuses a partner without an institution (and an institution for another role).
    new_institution = st.selectbox(
        INSTELLING_LABEL, list(instellingen), index=None, format_func=instellingen.get,
        placeholder="Kies een instelling", key="nieuw_instelling",
    )  # fmt: skip
    new_password = st.text_input(
        f"Wachtwoord (minstens {MIN_PASSWORD_LENGTH} tekens)",
        type="password",
        key=_password_key("nieuw_wachtwoord"),
        autocomplete="new-password",
    )
    sent = nieuw.submit_button("Toevoegen")
if sent:
    # A refused account leaves the form filled in (except the password) with the message.
    _sent("nieuw_wachtwoord")
    result = nieuw.submit(
        lambda session: create_user(
            session,
            actor,
            new_name,
            new_role or "",
            new_password,
            new_display or None,
            new_institution if new_role == "partner" else None,
        ),
        success=lambda made: f"Gebruiker {made.naam} ({made.rol}) aangemaakt.",
    )
    _refused("nieuw_wachtwoord", result)

access_period_section(actor)  # how long opening a household gives a GBD-er access
