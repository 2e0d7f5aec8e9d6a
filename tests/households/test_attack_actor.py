"""Attack finding 9 of issue 16: a hand-made actor is only a claim; the access core decides.

A made-up ``beheer`` actor (no user id, an unknown id, a deactivated account, or a copy of
the system actor) could create users and export the audit log before; now every service
re-reads the account and refuses, and the refusal is audited. ``find_households`` honours
deactivation at once.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coordination.access import open_household
from households.accounts import create_user, set_active
from households.actor import SYSTEM, Actor
from households.audit.log import AuditFilter, events_csv
from households.errors import AccessDenied
from households.importing import import_stream
from households.models import AuditEvent, Household, User
from households.search import find_households
from tests import builders as b

PASSWORD = "een lange wachtzin voor de test 2026"


def _fakes(session) -> list[Actor]:
    retired = b.make_user(session, "oud", "beheer")
    bea = b.make_user(session, "bea", "beheer")
    set_active(session, bea, retired.user_id, False)
    session.commit()
    return [
        Actor(None, "nemo", "beheer"),  # no user id
        Actor(999_999, "nemo", "beheer"),  # no such account
        Actor(0, "nemo", "beheer"),
        Actor(-1, "nemo", "beheer"),
        Actor("1", "nemo", "beheer"),  # type: ignore[arg-type]  # not an id at all
        retired,  # a deactivated beheer account
        Actor(None, "systeem", "systeem"),  # a copy of the system actor, made by hand
        Actor(bea.user_id, "bea", "systeem"),  # a real account claiming the system role
    ]


def _refusals(session) -> int:
    return session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.resultaat == "geweigerd")
    )


def test_a_made_up_beheer_cannot_create_users(session):
    fakes = _fakes(session)
    users = session.scalar(select(func.count()).select_from(User))
    for k, fake in enumerate(fakes):
        with pytest.raises(AccessDenied):
            create_user(session, fake, f"indringer{k}", "beheer", PASSWORD)
    assert session.scalar(select(func.count()).select_from(User)) == users
    assert _refusals(session) == len(fakes)


def test_a_made_up_beheer_cannot_export_the_audit_log(session):
    fakes = _fakes(session)
    for fake in fakes:
        with pytest.raises(AccessDenied):
            events_csv(session, fake, AuditFilter())
    assert _refusals(session) == len(fakes)


def test_a_made_up_beheer_cannot_import(session):
    for fake in _fakes(session):
        with pytest.raises(AccessDenied):
            import_stream(session, fake, "huishoudens", b"huishouden_id,wijk\nH1,Noord\n", "x")
    assert session.scalar(select(func.count()).select_from(Household)) == 0


def test_the_real_system_actor_still_acts(session):
    create_user(session, SYSTEM, "bea2", "beheer", PASSWORD)
    assert "actie" in events_csv(session, SYSTEM, AuditFilter())


def test_find_households_honours_deactivation_at_once(session):
    vera, bea = b.make_user(session, "vera", "voordeur"), b.make_user(session, "bea", "beheer")
    hh = b.make_household(session)
    open_household(session, vera, hh.id, "hulpvraag Wmo")
    session.commit()
    assert len(find_households(session, vera, naam="Jansen")) >= 0  # allowed while active
    set_active(session, bea, vera.user_id, False)
    session.commit()
    with pytest.raises(AccessDenied):
        find_households(session, vera, naam="Jansen")
    with pytest.raises(AccessDenied):  # the same account, claiming another role
        find_households(session, Actor(vera.user_id, "vera", "gbd"), naam="Jansen")
