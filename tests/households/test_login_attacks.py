"""Attacks on the login (issue 16): concurrent guessing, telling accounts apart, weak passwords."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from households.accounts import MSG_LOGIN_FAILED, authenticate, create_user, set_active
from households.actor import SYSTEM
from households.db import session_scope
from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent, User
from households.passwords import check_new_password

PW = "correct-paard-batterij"


def test_concurrent_wrong_passwords_all_count_and_lock(engine):
    with session_scope(engine) as s:
        create_user(s, SYSTEM, "anna", "voordeur", PW)
    n, barrier, errors = 8, threading.Barrier(8), []

    def guess() -> None:
        barrier.wait()
        try:
            with session_scope(engine) as s:
                authenticate(s, "anna", "fout-wachtwoord-123")
        except AccessDenied:
            pass
        except Exception as exc:  # noqa: BLE001 - a lost update or a lock error is the finding
            errors.append(exc)

    threads = [threading.Thread(target=guess) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_scope(engine) as s:
        user = s.scalars(select(User)).one()
        rows = s.execute(
            select(AuditEvent.resultaat).where(AuditEvent.actie == "inloggen")
        ).scalars().all()  # fmt: skip
        # no lost update: every attempt that checked the password counted; the rest met the lock
        assert user.mislukte_pogingen == rows.count("mislukt") >= 5
        assert rows.count("mislukt") + rows.count("geblokkeerd") == n
        assert user.geblokkeerd_sinds is not None
    with session_scope(engine) as s, pytest.raises(AccessDenied):
        authenticate(s, "anna", PW)


def test_exactly_five_failures_lock(engine):
    with session_scope(engine) as s:
        create_user(s, SYSTEM, "anna", "voordeur", PW)
    for _ in range(4):
        with session_scope(engine) as s, pytest.raises(AccessDenied):
            authenticate(s, "anna", "fout-wachtwoord-123")
    with session_scope(engine) as s:
        assert authenticate(s, "anna", PW).naam == "anna"  # four wrong: not locked, reset
    for _ in range(5):
        with session_scope(engine) as s, pytest.raises(AccessDenied):
            authenticate(s, "anna", "fout-wachtwoord-123")
    with session_scope(engine) as s, pytest.raises(AccessDenied):
        authenticate(s, "anna", PW)


def test_unknown_wrong_inactive_and_locked_look_the_same(engine):
    with session_scope(engine) as s:
        create_user(s, SYSTEM, "anna", "voordeur", PW)
        bert = create_user(s, SYSTEM, "bert", "gbd", PW)
        create_user(s, SYSTEM, "carla", "gbd", PW)
    with session_scope(engine) as s:
        set_active(s, SYSTEM, bert.id, False)
    for _ in range(5):
        with session_scope(engine) as s, pytest.raises(AccessDenied):
            authenticate(s, "carla", "fout-wachtwoord-123")
    answers, timings = {}, {}
    cases = {"onbekend": ("niemand", PW), "fout": ("anna", "fout-wachtwoord"),
             "inactief": ("bert", PW), "geblokkeerd": ("carla", PW)}  # fmt: skip
    for case, (naam, pw) in cases.items():
        started = time.perf_counter()
        with session_scope(engine) as s, pytest.raises(AccessDenied) as exc:
            authenticate(s, naam, pw)
        timings[case] = time.perf_counter() - started
        answers[case] = str(exc.value)
    assert set(answers.values()) == {MSG_LOGIN_FAILED}
    # every case verifies one Argon2 hash: no case is an order of magnitude faster
    assert min(timings.values()) > max(timings.values()) / 10, timings


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("kort", "minstens 12 tekens"),
        ("aaaaaaaaaaaaaaa", "één teken"),
        ("Welkom2026!!!", "veelgebruikte"),
        ("Brunssum12345", "veelgebruikte"),
        ("password1234", "veelgebruikte"),
        ("qwertyuiop123", "veelgebruikte"),
        ("anna-1234567", "gebruikersnaam"),
        ("regel\x00twee-drie", "stuurtekens"),
    ],
)
def test_weak_passwords_are_refused(password, fragment):
    with pytest.raises(InvalidInput, match=fragment):
        check_new_password(password, "anna")


def test_a_long_passphrase_without_composition_rules_is_fine():
    assert check_new_password("de rode fiets staat bij de egge", "anna")
