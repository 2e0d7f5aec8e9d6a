"""Beheer changes a role and sets a new password: refused, audited, sessions ended."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from households import sessions
from households.accounts import authenticate, change_role, create_user, reset_password
from households.actor import SYSTEM, Actor
from households.errors import AccessDenied, InvalidInput, KissError, NotFound
from households.models import AuditEvent, LoginSession, User

PW = "correct-paard-batterij"
NEW_PW = "nieuw-paard-batterij-2"


@pytest.fixture
def anna(session) -> Actor:
    user = create_user(session, SYSTEM, "anna", "voordeur", PW)
    session.commit()
    return Actor(user.id, user.naam, user.rol)


@pytest.fixture
def admin(session) -> Actor:
    user = create_user(session, SYSTEM, "bea", "beheer", "beheer-wachtwoord-1")
    session.commit()
    return Actor(user.id, user.naam, user.rol)


def _last(session, actie):
    return session.scalars(
        select(AuditEvent).where(AuditEvent.actie == actie).order_by(AuditEvent.id.desc())
    ).first()


def _as_dict(value):
    return json.loads(value) if isinstance(value, str) else value


def test_beheer_changes_a_role_audited_with_old_and_new(session, admin, anna):
    change_role(session, admin, anna.user_id, "gbd")
    assert session.get(User, anna.user_id).rol == "gbd"
    row = _last(session, "rol_wijzigen")
    assert (row.gebruiker, row.object_id) == ("bea", str(anna.user_id))
    assert (_as_dict(row.oud), _as_dict(row.nieuw)) == ({"rol": "voordeur"}, {"rol": "gbd"})


@pytest.mark.parametrize(
    ("rol", "fragment"),
    [
        ("baas", "Onbekende rol 'baas'; kies uit: voordeur"),
        ("voordeur", "heeft de rol voordeur al"),
    ],
)
def test_a_bad_role_is_refused_and_nothing_changes(session, admin, anna, rol, fragment):
    with pytest.raises(InvalidInput, match=fragment):
        change_role(session, admin, anna.user_id, rol)
    assert session.get(User, anna.user_id).rol == "voordeur"
    assert _last(session, "rol_wijzigen") is None


def test_beheer_cannot_change_its_own_role(session, admin):
    with pytest.raises(InvalidInput, match="eigen rol"):
        change_role(session, admin, admin.user_id, "voordeur")
    assert session.get(User, admin.user_id).rol == "beheer"


@pytest.mark.parametrize("rol", ["voordeur", "gbd", "ervaringswerker", "kiss"])
def test_only_beheer_changes_roles_or_passwords(session, anna, rol):
    other = create_user(session, SYSTEM, f"x.{rol}", rol, "een-lang-wachtwoord")
    actor = Actor(other.id, other.naam, other.rol)
    with pytest.raises(AccessDenied):
        change_role(session, actor, anna.user_id, "beheer")
    with pytest.raises(AccessDenied):
        reset_password(session, actor, anna.user_id, NEW_PW)
    assert session.get(User, anna.user_id).rol == "voordeur"


def test_unknown_user_is_not_found(session, admin):
    with pytest.raises(NotFound):
        change_role(session, admin, 999_999, "gbd")
    with pytest.raises(NotFound):
        reset_password(session, admin, 999_999, NEW_PW)


def test_reset_sets_the_password_and_ends_open_sessions(session, admin, anna):
    for _ in range(2):
        sessions.open_session(session, anna, "wachtwoord")
    assert reset_password(session, admin, anna.user_id, NEW_PW) == 2
    open_rows = session.scalars(
        select(LoginSession).where(
            LoginSession.user_id == anna.user_id, LoginSession.beeindigd_op.is_(None)
        )
    ).all()
    assert open_rows == []
    ends = session.scalars(
        select(LoginSession.reden_einde).where(LoginSession.user_id == anna.user_id)
    )
    assert set(ends) == {sessions.ACCOUNT_CHANGED}  # shown as "account changed", not "logged out"
    assert authenticate(session, "anna", NEW_PW).user_id == anna.user_id
    with pytest.raises(KissError, match="klopt niet"):
        authenticate(session, "anna", PW)


def test_reset_is_audited_without_the_password(session, admin, anna):
    reset_password(session, admin, anna.user_id, NEW_PW)
    row = _last(session, "wachtwoord_herstellen")
    assert (row.gebruiker, row.object_id) == ("bea", str(anna.user_id))
    stored = " ".join(str(getattr(row, c.key)) for c in AuditEvent.__table__.columns)
    assert NEW_PW not in stored and "argon2" not in stored


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("kort", "minstens 12"), ("anna", "minstens 12"), ("x" * 2000, "hoogstens"),
     ("Anna        ", "gelijk zijn aan de gebruikersnaam")],
)  # fmt: skip
def test_reset_follows_the_password_rules_of_create_user(session, admin, anna, password, fragment):
    before = session.get(User, anna.user_id).wachtwoord_hash
    with pytest.raises(InvalidInput, match=fragment):
        reset_password(session, admin, anna.user_id, password)
    assert session.get(User, anna.user_id).wachtwoord_hash == before
