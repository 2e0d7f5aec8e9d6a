"""What every page needs: the engine, the acting user, one unit of work, error display.

Pages call services inside :func:`unit_of_work`; a :class:`~households.errors.KissError`
is shown as a Dutch message (``st.error``) and the unit of work is rolled back.
Only the engine (no personal data) is cached across users.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from households.actor import Actor
from households.db import Engine, Session, make_engine, session_scope
from households.errors import KissError
from households.settings import database_url

ACTOR_KEY = "actor"


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine() -> Engine:
    """The shared engine for ``KISS_DATABASE_URL`` (cached; holds no personal data)."""
    return _engine_for(database_url())


def current_actor() -> Actor | None:
    """The logged-in user of this browser session, or None."""
    return st.session_state.get(ACTOR_KEY)


def require_actor() -> Actor:
    """The logged-in user; stops the page when nobody is logged in."""
    actor = current_actor()
    if actor is None:
        st.warning("U bent niet ingelogd.")
        st.stop()
    return actor


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction per user action; domain errors become ``st.error`` messages."""
    try:
        with session_scope(get_engine()) as session:
            yield session
    except KissError as exc:
        st.error(str(exc))
