"""Login sessions that survive a reload and a second tab.

A successful sign-in (password or the gemeente's identity provider) opens one
:class:`~households.models.LoginSession` row. The browser gets it as an
HttpOnly cookie in two steps, so that the long-lived token never travels
through the page:

1. :func:`open_session` stores the session with the hash of a one-time
   *ticket* (random, 60 seconds, single use) and returns the ticket.
2. The page posts the ticket to the server's cookie route, which calls
   :func:`redeem_ticket`: that makes the random cookie *token*, stores only its
   SHA-256 hash and returns it for the ``Set-Cookie`` header.

A new browser session (reload, second tab) presents the cookie;
:func:`resume` turns it back into the :class:`Actor` while the session is not
idle for :data:`IDLE_TIMEOUT`, not older than :data:`ABSOLUTE_TIMEOUT`, not
revoked (:func:`end`), and the account is still active with the same role.
Idle time is shared by every tab of the browser, because they share the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from households.actor import Actor
from households.db import utcnow
from households.models import LoginSession, User

__all__ = [
    "IDLE_TIMEOUT",
    "ABSOLUTE_TIMEOUT",
    "TICKET_LIFETIME",
    "TOUCH_INTERVAL",
    "COOKIE_NAME",
    "SessionCheck",
    "open_session",
    "redeem_ticket",
    "resume",
    "check",
    "end",
    "end_all_for_user",
]

IDLE_TIMEOUT = dt.timedelta(minutes=15)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=10)  # one working day; then sign in again
TICKET_LIFETIME = dt.timedelta(seconds=60)
TOUCH_INTERVAL = dt.timedelta(seconds=30)  # write "last used" at most this often
COOKIE_NAME = "kiss_sessie"
_TOKEN_BYTES = 32
_MAX_TOKEN_LENGTH = 128


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _well_formed(secret: object) -> bool:
    return (
        isinstance(secret, str)
        and 20 <= len(secret) <= _MAX_TOKEN_LENGTH
        and secret.isascii()
        and all(c.isalnum() or c in "-_" for c in secret)
    )


@dataclass(frozen=True)
class SessionCheck:
    """Outcome of :func:`check` / :func:`resume`.

    ``status`` is ``ok``, ``verlopen`` (idle or past its end: ended now),
    ``beeindigd`` (ended before: logout, revoked account), ``ingetrokken``
    (the account was deactivated or its role changed: ended now) or ``onbekend``.
    """

    status: str
    actor: Actor | None = None
    session_id: int | None = None
    methode: str | None = None

    @property
    def ok(self) -> bool:
        """True when the session may go on."""
        return self.status == "ok"


def open_session(
    session: Session, actor: Actor, methode: str, now: dt.datetime | None = None
) -> tuple[int, str]:
    """Open a login session for ``actor``; return ``(session_id, ticket)``.

    The ticket is what the page hands to the cookie route (single use, valid
    for :data:`TICKET_LIFETIME`); only its hash is stored.
    """
    if actor.user_id is None:
        raise ValueError("only an account can have a login session")
    now = now or utcnow()
    ticket = secrets.token_urlsafe(_TOKEN_BYTES)
    row = LoginSession(
        user_id=actor.user_id,
        methode=methode,
        rol=actor.rol,
        ticket_hash=_hash(ticket),
        ticket_geldig_tot=now + TICKET_LIFETIME,
        aangemaakt_op=now,
        laatst_gebruikt_op=now,
        verloopt_op=now + ABSOLUTE_TIMEOUT,
    )
    session.add(row)
    session.flush()
    return row.id, ticket


def redeem_ticket(
    session: Session, ticket: object, now: dt.datetime | None = None
) -> tuple[str, int] | None:
    """Exchange a one-time ticket for the cookie token; ``(token, max_age_s)`` or None.

    The ticket is spent whatever happens next; an expired, spent or unknown
    ticket, or one of an ended session, gives None.
    """
    if not _well_formed(ticket):
        return None
    now = now or utcnow()
    row = session.scalar(
        select(LoginSession).where(LoginSession.ticket_hash == _hash(ticket)).with_for_update()
    )
    if row is None:
        return None
    valid = (
        row.ticket_geldig_tot is not None
        and now <= row.ticket_geldig_tot
        and row.beeindigd_op is None
        and now < row.verloopt_op
    )
    row.ticket_hash = None
    row.ticket_geldig_tot = None
    if not valid:
        return None
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    row.token_hash = _hash(token)
    return token, int((row.verloopt_op - now).total_seconds())


ACCOUNT_CHANGED = "account_gewijzigd"  # deactivated or another role: the reason shown differs


def _end_row(row: LoginSession, now: dt.datetime, reden: str) -> None:
    if row.beeindigd_op is None:
        row.beeindigd_op = now
        row.reden_einde = reden
    row.ticket_hash = None
    row.ticket_geldig_tot = None


def _judge(session: Session, row: LoginSession | None, now: dt.datetime) -> SessionCheck:
    if row is None:
        return SessionCheck("onbekend")
    if row.beeindigd_op is not None:
        status = "ingetrokken" if row.reden_einde == ACCOUNT_CHANGED else "beeindigd"
        return SessionCheck(status, session_id=row.id, methode=row.methode)
    if now >= row.verloopt_op or now - row.laatst_gebruikt_op > IDLE_TIMEOUT:
        _end_row(row, now, "verlopen")
        return SessionCheck("verlopen", session_id=row.id, methode=row.methode)
    user = session.get(User, row.user_id)
    if user is None or not user.actief or user.rol != row.rol:
        _end_row(row, now, ACCOUNT_CHANGED)
        return SessionCheck("ingetrokken", session_id=row.id, methode=row.methode)
    if now - row.laatst_gebruikt_op >= TOUCH_INTERVAL:
        row.laatst_gebruikt_op = now
    actor = Actor(user_id=user.id, naam=user.naam, rol=user.rol)
    return SessionCheck("ok", actor=actor, session_id=row.id, methode=row.methode)


def resume(session: Session, token: object, now: dt.datetime | None = None) -> SessionCheck:
    """The session behind a cookie token (a reload or a second tab); marks it used.

    An idle or expired session, or one of a deactivated account, is ended here
    and reported; the caller commits.
    """
    if not _well_formed(token):
        return SessionCheck("onbekend")
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
    return _judge(session, row, now or utcnow())


def check(session: Session, session_id: int, now: dt.datetime | None = None) -> SessionCheck:
    """Whether the open session ``session_id`` may go on (every rerun); marks it used."""
    return _judge(session, session.get(LoginSession, session_id), now or utcnow())


def end(session: Session, session_id: int, reden: str, now: dt.datetime | None = None) -> None:
    """End a session (logout, expiry): every tab that carries it is logged out."""
    row = session.get(LoginSession, session_id)
    if row is not None:
        _end_row(row, now or utcnow(), reden)


def end_all_for_user(
    session: Session, user_id: int, reden: str, now: dt.datetime | None = None
) -> int:
    """End every open session of one account (e.g. after deactivation); returns the count."""
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.beeindigd_op.is_(None))
        .values(
            beeindigd_op=now or utcnow(), reden_einde=reden, ticket_hash=None,
            ticket_geldig_tot=None,
        )
    )  # fmt: skip
    return result.rowcount or 0
