"""Accounts: Argon2id hashes, login without user enumeration, lockout, administration."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from households.accounts import (
    MSG_LOCKED,
    MSG_LOGIN_FAILED,
    authenticate,
    create_demo_users,
    create_user,
    list_users,
    reset_lockout,
    set_active,
)
from households.actor import SYSTEM, Actor
from households.errors import AccessDenied, InvalidInput, KissError, NotFound
from households.models import USER_ROLES, AuditEvent, User
from households.settings import DEMO_PASSWORD_DEFAULT

PW = "correct-paard-batterij"


@pytest.fixture
def anna(session):
    user = create_user(session, SYSTEM, "anna", "voordeur", PW, weergavenaam="Anna")
    session.commit()
    return user


@pytest.fixture
def admin(session) -> Actor:
    user = create_user(session, SYSTEM, "bea", "beheer", "beheer-wachtwoord-1")
    session.commit()
    return Actor(user.id, user.naam, user.rol)


def _events(session, actie):
    return session.execute(
        select(AuditEvent.gebruiker, AuditEvent.resultaat, AuditEvent.nieuw)
        .where(AuditEvent.actie == actie)
        .order_by(AuditEvent.id)
    ).all()


def test_password_is_stored_as_argon2id_hash(session, anna):
    stored = session.scalar(select(User.wachtwoord_hash).where(User.naam == "anna"))
    assert stored.startswith("$argon2id$")
    assert PW not in stored


def test_create_user_is_audited_without_password(session, anna):
    rows = _events(session, "gebruiker_aanmaken")
    assert [(g, r) for g, r, _ in rows] == [("systeem", "ok")]
    assert '"naam": "anna"' in rows[0].nieuw and PW not in rows[0].nieuw


def test_name_is_stored_lower_case_and_login_ignores_case(session):
    create_user(session, SYSTEM, "  Karel.Jansen ", "gbd", PW)
    session.commit()
    assert authenticate(session, "KAREL.jansen", PW).naam == "karel.jansen"


@pytest.mark.parametrize(
    ("naam", "rol", "password", "fragment"),
    [
        ("x", "gbd", PW, "Gebruikersnaam"),
        ("met spatie", "gbd", PW, "Gebruikersnaam"),
        ("karel", "baas", PW, "Onbekende rol"),
        ("karel", "gbd", "kort-11-tkn", "minstens 12"),
        ("karel", "gbd", "x" * 2000, "hoogstens"),
        ("karel12345678", "gbd", "KAREL12345678", "gelijk"),
    ],
)
def test_create_user_rejects_bad_input(session, naam, rol, password, fragment):
    with pytest.raises(InvalidInput, match=fragment):
        create_user(session, SYSTEM, naam, rol, password)
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_a_taken_name(session, anna):
    with pytest.raises(InvalidInput, match="bestaat al"):
        create_user(session, SYSTEM, "ANNA", "gbd", PW)


@pytest.mark.parametrize("rol", ["voordeur", "gbd", "kiss", "ervaringswerker"])
def test_only_beheer_creates_users_and_refusal_is_audited(session, anna, rol):
    actor = Actor(anna.id, "anna", rol)
    with pytest.raises(AccessDenied):
        create_user(session, actor, "nieuw", "gbd", PW)
    assert session.scalar(select(func.count()).select_from(User)) == 1
    assert _events(session, "gebruiker_aanmaken")[-1].resultaat == "geweigerd"


def test_beheer_creates_users(session, admin):
    user = create_user(session, admin, "nieuw", "kiss", PW)
    assert user.rol == "kiss" and user.actief


def test_authenticate_returns_actor_and_audits(session, anna):
    actor = authenticate(session, "anna", PW)
    session.commit()
    assert actor == Actor(anna.id, "anna", "voordeur")
    assert _events(session, "inloggen") == [("anna", "ok", None)]


def test_unknown_user_and_wrong_password_give_the_same_message(session, anna):
    with pytest.raises(AccessDenied) as unknown:
        authenticate(session, "niemand", PW)
    with pytest.raises(AccessDenied) as wrong:
        authenticate(session, "anna", "fout-wachtwoord-123")
    assert str(unknown.value) == str(wrong.value) == MSG_LOGIN_FAILED
    rows = _events(session, "inloggen")
    assert [(g, r) for g, r, _ in rows] == [("onbekend", "mislukt"), ("anna", "mislukt")]


def test_attempted_unknown_name_is_not_stored(session):
    with pytest.raises(AccessDenied):
        authenticate(session, "mijn-geheime-wachtwoord", "x")
    assert not session.scalar(select(func.count()).where(AuditEvent.gebruiker.like("%geheime%")))


def test_inactive_account_cannot_log_in(session, anna, admin):
    set_active(session, admin, anna.id, False)
    session.commit()
    with pytest.raises(AccessDenied, match="klopt niet"):
        authenticate(session, "anna", PW)


def test_five_failures_lock_the_account_even_for_the_right_password(session, anna):
    messages = []
    for _ in range(5):
        with pytest.raises(AccessDenied) as exc:
            authenticate(session, "anna", "fout-wachtwoord-123")
        messages.append(str(exc.value))
    assert messages[:4] == [MSG_LOGIN_FAILED] * 4
    assert messages[4] == MSG_LOCKED
    with pytest.raises(AccessDenied, match="tijdelijk geblokkeerd"):
        authenticate(session, "anna", PW)
    assert [r for _, r, _ in _events(session, "inloggen")][-1] == "geblokkeerd"


def test_lock_expires_after_fifteen_minutes(session, anna):
    start = dt.datetime(2026, 1, 5, 9, 0)
    for _ in range(5):
        with pytest.raises(AccessDenied):
            authenticate(session, "anna", "fout-wachtwoord-123", now=start)
    with pytest.raises(AccessDenied, match="geblokkeerd"):
        authenticate(session, "anna", PW, now=start + dt.timedelta(minutes=14))
    actor = authenticate(session, "anna", PW, now=start + dt.timedelta(minutes=15, seconds=1))
    assert actor.naam == "anna"


def test_success_resets_the_failure_counter(session, anna):
    for _ in range(4):
        with pytest.raises(AccessDenied):
            authenticate(session, "anna", "fout-wachtwoord-123")
    authenticate(session, "anna", PW)
    session.commit()
    for _ in range(4):
        with pytest.raises(AccessDenied, match="klopt niet"):
            authenticate(session, "anna", "fout-wachtwoord-123")


def test_failed_attempt_survives_the_callers_rollback(engine, anna):
    from households.db import session_scope

    with pytest.raises(AccessDenied), session_scope(engine) as s:
        authenticate(s, "anna", "fout-wachtwoord-123")
    with session_scope(engine) as s:
        assert s.scalar(select(User.mislukte_pogingen).where(User.naam == "anna")) == 1
        assert s.scalar(select(func.count()).where(AuditEvent.actie == "inloggen")) == 1


def test_reset_lockout_lets_the_user_in_again(session, anna, admin):
    for _ in range(5):
        with pytest.raises(AccessDenied):
            authenticate(session, "anna", "fout-wachtwoord-123")
    reset_lockout(session, admin, anna.id)
    session.commit()
    assert authenticate(session, "anna", PW).naam == "anna"
    assert _events(session, "blokkering_opheffen")[0].resultaat == "ok"


def test_list_users_shows_lock_state_and_no_hash(session, anna, admin):
    for _ in range(5):
        with pytest.raises(AccessDenied):
            authenticate(session, "anna", "fout-wachtwoord-123")
    rows = {u.naam: u for u in list_users(session, admin)}
    assert rows["anna"].geblokkeerd and rows["anna"].mislukte_pogingen == 5
    assert not rows["bea"].geblokkeerd
    assert not hasattr(rows["anna"], "wachtwoord_hash")


def test_beheer_cannot_deactivate_itself(session, admin):
    with pytest.raises(InvalidInput, match="eigen account"):
        set_active(session, admin, admin.user_id, False)


def test_set_active_unknown_user(session, admin):
    with pytest.raises(NotFound):
        set_active(session, admin, 9999, False)


def test_deactivated_beheer_loses_admin_rights_at_once(session, admin):
    other = create_user(session, SYSTEM, "bob", "beheer", PW)
    session.commit()
    set_active(session, Actor(other.id, "bob", "beheer"), admin.user_id, False)
    session.commit()
    with pytest.raises(AccessDenied):
        list_users(session, admin)


def test_demo_users_one_per_role_idempotent(session, monkeypatch):
    monkeypatch.delenv("KISS_DEMO_PASSWORD", raising=False)
    first = create_demo_users(session)
    session.commit()
    again = create_demo_users(session)
    assert first == again
    assert sorted(r for _, r, _ in first) == sorted(USER_ROLES)
    assert session.scalar(select(func.count()).select_from(User)) == len(USER_ROLES)
    naam, rol, password = first[0]
    assert password == DEMO_PASSWORD_DEFAULT
    assert authenticate(session, naam, password).rol == rol


def test_demo_password_from_environment(session, monkeypatch):
    monkeypatch.setenv("KISS_DEMO_PASSWORD", "ander-demo-wachtwoord")
    naam, _, password = create_demo_users(session)[0]
    assert password == "ander-demo-wachtwoord"
    assert authenticate(session, naam, password).naam == naam


_any = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@_any
@given(
    naam=st.text(max_size=100),
    rol=st.one_of(st.sampled_from(USER_ROLES), st.text(max_size=20)),
    password=st.text(max_size=40),
    weergavenaam=st.one_of(st.none(), st.text(max_size=150)),
)
def test_create_user_any_input_gives_user_or_clear_error(
    session, naam, rol, password, weergavenaam
):
    before = session.scalar(select(func.count()).select_from(User))
    try:
        user = create_user(session, SYSTEM, naam, rol, password, weergavenaam)
    except KissError as exc:
        assert str(exc)
        assert session.scalar(select(func.count()).select_from(User)) == before
    else:
        session.flush()
        assert user.id and user.wachtwoord_hash.startswith("$argon2id$")
    session.rollback()


@_any
@given(naam=st.text(max_size=100), password=st.text(max_size=60))
def test_authenticate_any_input_gives_actor_or_clear_error(session, naam, password):
    if session.scalar(select(func.count()).select_from(User)) == 0:
        create_user(session, SYSTEM, "anna", "voordeur", PW)
        session.commit()
    reset_lockout(session, SYSTEM, session.scalar(select(User.id)))
    session.commit()
    try:
        actor = authenticate(session, naam, password)
    except AccessDenied as exc:
        assert str(exc) in (MSG_LOGIN_FAILED, MSG_LOCKED)
    else:
        assert actor.naam == "anna"
    session.rollback()


@pytest.mark.parametrize("user_id", [0, 2**31, 10**40, None, "1"])
def test_admin_actions_on_bad_ids_give_not_found(session, user_id):
    with pytest.raises(NotFound):
        reset_lockout(session, SYSTEM, user_id)


@pytest.mark.parametrize(
    ("argv", "password", "code", "fragment"),
    [
        (["user", "add", "nina", "--role", "gbd"], "lang-genoeg-wachtwoord", 0, "aangemaakt"),
        (["user", "add", "nina", "--role", "gbd"], "kort", 2, "minstens 12"),
        (["user", "add", "nina", "--role", "baas"], "lang-genoeg-wachtwoord", 2, "Onbekende rol"),
    ],
)
def test_cli_user_add(db_url, capsys, monkeypatch, argv, password, code, fragment):
    from app.cli import main as kiss

    monkeypatch.setenv("KISS_NEW_PASSWORD", password)
    assert kiss(argv) == code
    out = capsys.readouterr()
    assert fragment in out.out + out.err
    assert password not in out.out + out.err
