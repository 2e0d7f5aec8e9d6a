"""What every page needs: the engine, the acting user, one unit of work, error display.

The page edge: pages read what they need inside :func:`unit_of_work` into plain
values, leave it, then render. A :class:`~households.errors.KissError` rolls the
unit of work back, closes it, shows the Dutch message (``st.error``) and stops
the page — no page goes on with half its data. Where a page deliberately goes
on after a failed action (a form shown again with the message), it says so by
calling :func:`attempt`, which returns whether the action committed.
Only the engine (no personal data) is cached across users.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from households.actor import Actor
from households.audit.sealer import start_sealer
from households.db import Engine, Session, make_engine, session_scope
from households.errors import KissError
from households.settings import database_url

__all__ = [
    "ACTOR_KEY", "Attempt", "attempt", "current_actor", "get_engine", "require_actor",
    "unit_of_work",
]  # fmt: skip

ACTOR_KEY = "actor"
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    engine = make_engine(url)
    start_sealer(engine)  # one audit sealer thread per server process (households/audit/sealer)
    return engine


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
    """One transaction per user action; a domain error is shown and stops the page.

    The session is committed (or, on any exception, rolled back) and closed
    before the message is shown; ``st.stop()`` is raised only after that, and
    Streamlit's own control-flow exceptions (stop, rerun) pass through untouched.
    """
    failure: KissError | None = None
    try:
        with session_scope(get_engine()) as session:
            yield session
    except KissError as exc:  # only domain errors: programming errors are not caught
        failure = exc
    if failure is not None:
        st.error(str(failure))
        st.stop()


@dataclass(frozen=True)
class Attempt:
    """The result of :func:`attempt`: ``ok`` and, when it committed, the action's value."""

    ok: bool
    value: object = None
    message: str | None = None

    def __bool__(self) -> bool:
        return self.ok


def attempt(action: Callable[[Session], T], *, success: str | None = None) -> Attempt:
    """Run one user action in its own unit of work and go on with the page either way.

    On a domain error the unit of work is rolled back and the Dutch message is
    shown (``st.error``); on success ``success`` (if given) is shown. Use it in
    widget callbacks and wherever the page must stay whole after a refusal.
    """
    try:
        with session_scope(get_engine()) as session:
            value = action(session)
    except KissError as exc:
        st.error(str(exc))
        return Attempt(False, message=str(exc))
    if success:
        st.success(success)
    return Attempt(True, value)
