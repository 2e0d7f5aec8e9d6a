"""Authentication behind a small interface, and the lifetime of a sign-in.

Two ways in:

* the **password** form (accounts in the database, Argon2id, lockout; see
  :mod:`households.accounts`) — the embedded default for a laptop;
* the **gemeente's identity provider** (OpenID Connect through ``st.login``),
  switched on by an ``[auth]`` section in ``.streamlit/secrets.toml``; claims
  are mapped to an account by :mod:`households.identity` (see :mod:`app.oidc`).

Either way a successful sign-in opens a server-side login session
(:mod:`households.sessions`): the browser receives it as an HttpOnly cookie
from the server route in :mod:`app.server` (the page hands over a one-time
ticket; the long-lived token never passes through the page or a URL). A
reload or a second tab presents the cookie and goes on as the same user while
the session is not idle for 15 minutes, not older than 10 hours, not ended by
logging out, and the account is still active with the same role — checked on
every rerun. Passwords never enter ``st.session_state``: the login form blanks
its password field in the submit callback.
"""

from __future__ import annotations

import json
import time
from typing import Protocol

import streamlit as st

from app import oidc
from app.context import ACTOR_KEY, get_engine
from households import audit, sessions
from households.accounts import actor_is_current, authenticate
from households.actor import Actor
from households.db import session_scope
from households.errors import KissError

__all__ = [
    "Authenticator",
    "PasswordAuthenticator",
    "get_authenticator",
    "start_session",
    "end_session",
    "check_session",
    "live_actor",
    "IDLE_TIMEOUT_S",
    "LAST_ACTIVITY_KEY",
    "NOTICE_KEY",
    "SESSION_KEY",
    "OIDC_REFUSAL_KEY",
    "COOKIE_ROUTE",
]

IDLE_TIMEOUT_S = int(sessions.IDLE_TIMEOUT.total_seconds())
LAST_ACTIVITY_KEY = "laatste_activiteit"
NOTICE_KEY = "sessie_melding"
SESSION_KEY = "login_sessie_id"
METHOD_KEY = "login_methode"
TICKET_KEY = "login_ticket"
CLEAR_COOKIE_KEY = "sessiecookie_wissen"
OIDC_REFUSAL_KEY = "oidc_weigering"
COOKIE_ROUTE = "/kiss/sessie"
MSG_EXPIRED = "Sessie verlopen: u bent na 15 minuten zonder activiteit uitgelogd. Log opnieuw in."
MSG_ENDED = "Uw sessie is beëindigd (uitgelogd in een ander tabblad of verlopen). Log opnieuw in."
MSG_REVOKED = (
    "Uw account is uitgeschakeld, uw rol is gewijzigd of er is een nieuw wachtwoord "
    "ingesteld. Log opnieuw in."
)
MSG_LOGGED_OUT = "U bent uitgelogd."


class Authenticator(Protocol):
    """Who may enter: turns credentials into an :class:`Actor`, or raises ``AccessDenied``."""

    def login(self, naam: str, wachtwoord: str) -> Actor:
        """Check the credentials; return the actor or raise a ``KissError``."""
        ...

    def logout(self) -> None:
        """Leave the identity provider's session too (if it has one)."""
        ...


class PasswordAuthenticator:
    """Name and password against the accounts in the database."""

    def login(self, naam: str, wachtwoord: str) -> Actor:
        """Authenticate in its own unit of work (failures are committed by the service)."""
        with session_scope(get_engine()) as session:
            return authenticate(session, naam, wachtwoord)

    def logout(self) -> None:
        """Nothing to do here: the login session is ended by :func:`end_session`."""


def get_authenticator() -> Authenticator:
    """The authenticator of the password form."""
    return PasswordAuthenticator()


def _script(path: str, body: dict[str, str] | None = None) -> None:
    """Post to one of our own cookie routes from the page (same origin, no URL secret)."""
    payload = json.dumps(body or {})
    st.html(
        "<script>fetch(" + json.dumps(path) + ", {method: 'POST', credentials: 'same-origin',"
        " headers: {'Content-Type': 'application/json'}, body: " + json.dumps(payload) + "});"
        "</script>",
        unsafe_allow_javascript=True,
    )


def start_session(actor: Actor, now: float | None = None, methode: str = "wachtwoord") -> None:
    """Begin a sign-in for ``actor``: a login session in the database, its cookie on the way."""
    state = st.session_state
    with session_scope(get_engine()) as session:
        session_id, ticket = sessions.open_session(session, actor, methode)
    state[ACTOR_KEY] = actor
    state[SESSION_KEY] = session_id
    state[METHOD_KEY] = methode
    state[LAST_ACTIVITY_KEY] = time.time() if now is None else now
    state[TICKET_KEY] = (ticket, time.time() + sessions.TICKET_LIFETIME.total_seconds())
    state.pop(NOTICE_KEY, None)
    state.pop(OIDC_REFUSAL_KEY, None)


def end_session(
    actie: audit.Event = audit.Event.UITLOGGEN, notice: str | None = MSG_LOGGED_OUT
) -> None:
    """End the sign-in: audit it, end the login session (all tabs), clear the state."""
    state = st.session_state
    actor = state.get(ACTOR_KEY)
    session_id = state.get(SESSION_KEY)
    methode = state.get(METHOD_KEY)
    if isinstance(actor, Actor):
        with session_scope(get_engine()) as session:
            if session_id is not None:
                sessions.end(session, session_id, actie)
            audit.record(session, actor, actie, "user", actor.user_id)
    state.clear()
    state[CLEAR_COOKIE_KEY] = True
    if notice:
        state[NOTICE_KEY] = notice
    if methode == "oidc" and oidc.is_signed_in():
        st.logout()  # also forget Streamlit's identity cookie: no silent sign-in again


def live_actor(now: float | None = None) -> Actor | None:
    """The logged-in actor if the sign-in has not gone idle; for widget callbacks.

    Callbacks run *before* the entry script's :func:`check_session`, so a callback
    that changes data asks this first and does nothing on an expired session.
    A tab that was quiet while another tab of the same login session was used
    asks the database (the idle time is shared by the tabs).
    """
    now = time.time() if now is None else now
    actor = st.session_state.get(ACTOR_KEY)
    last = st.session_state.get(LAST_ACTIVITY_KEY)
    if not isinstance(actor, Actor):
        return None
    if last is not None and now - last <= IDLE_TIMEOUT_S:
        return actor
    session_id = st.session_state.get(SESSION_KEY)
    if session_id is None:
        return None
    with session_scope(get_engine()) as session:
        result = sessions.check(session, session_id)
    return actor if result.ok and result.actor == actor else None


def _hand_over_cookie() -> None:
    pending = st.session_state.get(TICKET_KEY)
    if pending is None:
        return
    ticket, until = pending
    if time.time() > until:
        st.session_state.pop(TICKET_KEY, None)
        return
    _script(COOKIE_ROUTE, {"ticket": ticket})


def _resume_from_cookie() -> bool:
    """Go on with the login session of this browser's cookie (reload, second tab)."""
    token = st.context.cookies.get(sessions.COOKIE_NAME)
    if not token:
        return False
    with session_scope(get_engine()) as session:
        result = sessions.resume(session, token)
        if result.ok:
            audit.login_attempt(
                session, result.actor, "ok", user_id=result.actor.user_id,
                details={"via": "sessiecookie", "methode": result.methode},
            )  # fmt: skip
    if result.ok:
        state = st.session_state
        state[ACTOR_KEY] = result.actor
        state[SESSION_KEY] = result.session_id
        state[METHOD_KEY] = result.methode
        state[LAST_ACTIVITY_KEY] = time.time()
        return True
    if result.status == "verlopen" and result.methode == "oidc" and oidc.is_signed_in():
        st.logout()  # an idle provider sign-in must not come back by itself
    return False


def _sign_in_from_provider() -> None:
    cfg = oidc.settings()
    state = st.session_state
    if not cfg.enabled or not oidc.is_signed_in() or OIDC_REFUSAL_KEY in state:
        return
    try:
        actor = oidc.actor_from_provider(get_engine(), cfg)
    except KissError as exc:
        state[OIDC_REFUSAL_KEY] = str(exc)  # shown on the login page, audited once
        return
    start_session(actor, methode="oidc")


def _sign_in() -> None:
    """No one is signed in in this browser session yet: try the cookie, then the provider."""
    if st.session_state.pop(CLEAR_COOKIE_KEY, False):
        _script(COOKIE_ROUTE + "/einde")
        return
    if not _resume_from_cookie():
        _sign_in_from_provider()
    _hand_over_cookie()


def check_session(now: float | None = None) -> None:
    """Run first on every rerun: sign in from the cookie, expire idle or revoked sessions."""
    now = time.time() if now is None else now
    state = st.session_state
    actor = state.get(ACTOR_KEY)
    if actor is None:
        _sign_in()
        return
    if not isinstance(actor, Actor):
        end_session(audit.Event.SESSIE_VERLOPEN, MSG_EXPIRED)
        return
    session_id = state.get(SESSION_KEY)
    if session_id is not None:
        with session_scope(get_engine()) as session:
            result = sessions.check(session, session_id)
        if not result.ok or result.actor != actor:
            message = {"verlopen": MSG_EXPIRED, "beeindigd": MSG_ENDED}.get(
                result.status, MSG_REVOKED
            )
            actie = (
                audit.Event.SESSIE_VERLOPEN
                if result.status == "verlopen"
                else audit.Event.SESSIE_BEEINDIGD
            )
            end_session(actie, message)
            return
        state[LAST_ACTIVITY_KEY] = now
        _hand_over_cookie()
        return
    last = state.get(LAST_ACTIVITY_KEY)
    if last is None or now - last > IDLE_TIMEOUT_S:
        end_session(audit.Event.SESSIE_VERLOPEN, MSG_EXPIRED)
        return
    with session_scope(get_engine()) as session:
        current = actor_is_current(session, actor)
    if not current:
        end_session(audit.Event.SESSIE_BEEINDIGD, MSG_REVOKED)
        return
    state[LAST_ACTIVITY_KEY] = now
