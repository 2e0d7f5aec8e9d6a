"""Authentication behind a small interface, and the browser session's lifetime.

The app talks to an :class:`Authenticator` only: ``login(naam, wachtwoord) -> Actor``
and ``logout()``. Today that is :class:`PasswordAuthenticator` (accounts in the
database, Argon2id, lockout; see :mod:`households.accounts`).

Replacing it with the municipality's OIDC provider (``st.login``):

1. Configure the provider in ``.streamlit/secrets.toml`` (``[auth]`` with
   ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
   ``server_metadata_url``).
2. Write an ``OidcAuthenticator`` whose ``login`` calls ``st.login()`` when
   ``st.user.is_logged_in`` is false, and otherwise maps the verified claim
   (e.g. ``st.user.preferred_username``) to an active ``app_user`` row, whose
   ``rol`` stays managed on the Gebruikers page; it audits the attempt with
   ``households.audit.login_attempt`` and returns the :class:`Actor`. Its
   ``logout`` calls ``st.logout()`` after :func:`end_session`.
3. Return it from :func:`get_authenticator`; the login page then shows one
   "Inloggen via de gemeente" button instead of the password fields.

Everything after login (the actor in ``st.session_state["actor"]``, the idle
timeout, the per-rerun account check, audit, access control) stays as it is.
Passwords never enter ``st.session_state``: the login form blanks its password
field in the submit callback.
"""

from __future__ import annotations

import time
from typing import Protocol

import streamlit as st

from app.context import ACTOR_KEY, get_engine
from households import audit
from households.accounts import actor_is_current, authenticate
from households.actor import Actor
from households.db import session_scope

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
]

IDLE_TIMEOUT_S = 15 * 60
LAST_ACTIVITY_KEY = "laatste_activiteit"
NOTICE_KEY = "sessie_melding"
MSG_EXPIRED = "Sessie verlopen: u bent na 15 minuten zonder activiteit uitgelogd. Log opnieuw in."
MSG_REVOKED = "Uw account is uitgeschakeld of uw rol is gewijzigd. Log opnieuw in."
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
        """Nothing to do: the session lives in ``st.session_state`` only."""


def get_authenticator() -> Authenticator:
    """The authenticator this installation uses."""
    return PasswordAuthenticator()


def start_session(actor: Actor, now: float | None = None) -> None:
    """Begin a browser session for ``actor`` (after a successful login)."""
    st.session_state[ACTOR_KEY] = actor
    st.session_state[LAST_ACTIVITY_KEY] = time.time() if now is None else now
    st.session_state.pop(NOTICE_KEY, None)


def end_session(
    actie: audit.Event = audit.Event.UITLOGGEN, notice: str | None = MSG_LOGGED_OUT
) -> None:
    """End the browser session: audit it, clear all session state, keep one notice."""
    actor = st.session_state.get(ACTOR_KEY)
    if isinstance(actor, Actor):
        with session_scope(get_engine()) as session:
            audit.record(session, actor, actie, "user", actor.user_id)
        get_authenticator().logout()
    st.session_state.clear()
    if notice:
        st.session_state[NOTICE_KEY] = notice


def live_actor(now: float | None = None) -> Actor | None:
    """The logged-in actor if the session has not gone idle; for widget callbacks.

    Callbacks run *before* the entry script's :func:`check_session`, so a callback
    that changes data asks this first and does nothing on an expired session.
    """
    now = time.time() if now is None else now
    actor = st.session_state.get(ACTOR_KEY)
    last = st.session_state.get(LAST_ACTIVITY_KEY)
    if not isinstance(actor, Actor) or last is None or now - last > IDLE_TIMEOUT_S:
        return None
    return actor


def check_session(now: float | None = None) -> None:
    """Run first on every rerun: expire idle sessions and sessions of revoked accounts."""
    now = time.time() if now is None else now
    actor = st.session_state.get(ACTOR_KEY)
    if actor is None:
        return
    last = st.session_state.get(LAST_ACTIVITY_KEY)
    if not isinstance(actor, Actor) or last is None or now - last > IDLE_TIMEOUT_S:
        end_session(audit.Event.SESSIE_VERLOPEN, MSG_EXPIRED)
        return
    with session_scope(get_engine()) as session:
        current = actor_is_current(session, actor)
    if not current:
        end_session(audit.Event.SESSIE_BEEINDIGD, MSG_REVOKED)
        return
    st.session_state[LAST_ACTIVITY_KEY] = now
