"""Login sessions: one-time ticket to cookie token, idle and absolute expiry, revocation."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from households import sessions
from households.accounts import create_user, set_active
from households.actor import SYSTEM, Actor
from households.models import LoginSession, User

T0 = dt.datetime(2026, 11, 26, 9, 0, 0)


@pytest.fixture
def anna(session) -> Actor:
    user = create_user(session, SYSTEM, "anna", "gbd", "correct-paard-batterij")
    session.commit()
    return Actor(user.id, user.naam, user.rol)


def _open(session, actor, now=T0) -> tuple[int, str, str]:
    sid, ticket = sessions.open_session(session, actor, "wachtwoord", now)
    token, max_age = sessions.redeem_ticket(session, ticket, now + dt.timedelta(seconds=5))
    session.commit()
    return sid, ticket, token


def test_the_ticket_gives_a_token_once_and_only_hashes_are_stored(session, anna):
    sid, ticket, token = _open(session, anna)
    row = session.get(LoginSession, sid)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.ticket_hash is None  # spent
    assert token not in (row.token_hash, ticket) and len(token) >= 40
    assert sessions.redeem_ticket(session, ticket, T0 + dt.timedelta(seconds=6)) is None


def test_max_age_is_what_is_left_of_the_working_day(session, anna):
    _, ticket = sessions.open_session(session, anna, "wachtwoord", T0)
    _, max_age = sessions.redeem_ticket(session, ticket, T0 + dt.timedelta(minutes=1))
    assert max_age == 10 * 3600 - 60


def test_a_late_or_malformed_ticket_gives_nothing(session, anna):
    _, ticket = sessions.open_session(session, anna, "wachtwoord", T0)
    assert sessions.redeem_ticket(session, ticket, T0 + dt.timedelta(seconds=61)) is None
    for bad in (None, "", "kort", "x" * 500, "a b c d e f g h i j k l m n", 42):
        assert sessions.redeem_ticket(session, bad, T0) is None


def test_a_second_tab_resumes_the_same_session(session, anna):
    sid, _, token = _open(session, anna)
    result = sessions.resume(session, token, T0 + dt.timedelta(minutes=10))
    assert result.ok and result.actor == anna and result.session_id == sid
    assert session.get(LoginSession, sid).laatst_gebruikt_op == T0 + dt.timedelta(minutes=10)


def test_idle_for_fifteen_minutes_ends_the_session(session, anna):
    sid, _, token = _open(session, anna)
    assert sessions.resume(session, token, T0 + dt.timedelta(minutes=14)).ok
    result = sessions.resume(session, token, T0 + dt.timedelta(minutes=29, seconds=1))
    assert result.status == "verlopen" and result.actor is None
    assert session.get(LoginSession, sid).reden_einde == "verlopen"
    assert sessions.resume(session, token, T0 + dt.timedelta(minutes=30)).status == "beeindigd"


def test_use_keeps_it_alive_but_not_past_ten_hours(session, anna):
    _, _, token = _open(session, anna)
    now = T0
    while now < T0 + dt.timedelta(hours=9, minutes=50):
        now += dt.timedelta(minutes=10)
        assert sessions.resume(session, token, now).ok
    assert sessions.resume(session, token, T0 + dt.timedelta(hours=10)).status == "verlopen"


def test_logout_ends_the_session_for_every_tab(session, anna):
    sid, _, token = _open(session, anna)
    sessions.end(session, sid, "uitloggen", T0 + dt.timedelta(minutes=1))
    result = sessions.check(session, sid, T0 + dt.timedelta(minutes=2))
    assert result.status == "beeindigd"
    assert sessions.resume(session, token, T0 + dt.timedelta(minutes=2)).status == "beeindigd"


def test_a_deactivated_account_or_changed_role_ends_the_session(session, anna):
    sid, _, token = _open(session, anna)
    set_active(session, SYSTEM, anna.user_id, False)
    result = sessions.resume(session, token, T0 + dt.timedelta(minutes=1))
    assert result.status == "ingetrokken" and result.actor is None
    # deactivation ends every session of the account at once, not only at the next click
    assert session.get(LoginSession, sid).reden_einde == "account_gewijzigd"


def test_a_changed_role_ends_the_session_at_the_next_click(session, anna):
    sid, _, token = _open(session, anna)
    session.get(User, anna.user_id).rol = "voordeur"
    session.commit()
    result = sessions.resume(session, token, T0 + dt.timedelta(minutes=1))
    assert result.status == "ingetrokken"
    assert session.get(LoginSession, sid).reden_einde == "account_gewijzigd"


def test_end_all_for_user(session, anna):
    for _ in range(3):
        _open(session, anna)
    assert sessions.end_all_for_user(session, anna.user_id, "beheer", T0) == 3
    session.expire_all()
    assert set(session.scalars(select(LoginSession.reden_einde))) == {"beheer"}


def test_unknown_token(session, anna):
    assert sessions.resume(session, "A" * 43, T0).status == "onbekend"
    assert sessions.check(session, 999, T0).status == "onbekend"


def test_the_system_actor_has_no_login_session(session):
    with pytest.raises(ValueError):
        sessions.open_session(session, SYSTEM, "wachtwoord", T0)
