"""Need-to-know access at the service level (not via navigation). Default deny."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hyp
from sqlalchemy import func, select

from coordination import access
from coordination.access import open_household
from coordination.models import Regie
from households import access as core
from households.access import (
    authorize,
    may_see_household,
    register_household_rule,
    require_household_access,
)
from households.accounts import set_active
from households.actor import SYSTEM, Actor
from households.audit import Event
from households.errors import AccessDenied, InvalidInput, KissError, NotFound
from households.models import AuditEvent, Household, HouseholdOpening, User
from households.validation import normalise_text


@pytest.fixture
def households(session) -> list[int]:
    rows = [Household(huishouden_id=f"H{i}", wijk="Noord") for i in range(1, 4)]
    session.add_all(rows)
    session.commit()
    return [h.id for h in rows]


@pytest.fixture
def users(session) -> dict[str, Actor]:
    out = {}
    for naam, rol in [
        ("vera", "voordeur"), ("victor", "voordeur"), ("gijs", "gbd"), ("gerda", "gbd"),
        ("els", "ervaringswerker"), ("kim", "kiss"), ("bea", "beheer"),
    ]:  # fmt: skip
        u = User(
            naam=naam, rol=rol, wachtwoord_hash="$argon2id$niet-bruikbaar", mislukte_pogingen=0
        )
        session.add(u)
        session.flush()
        out[naam] = Actor(u.id, u.naam, u.rol)
    session.commit()
    return out


def _refusals(session) -> list[tuple[str, str, str | None]]:
    return session.execute(
        select(AuditEvent.gebruiker, AuditEvent.actie, AuditEvent.object_id)
        .where(AuditEvent.resultaat == "geweigerd")
        .order_by(AuditEvent.id)
    ).all()


def _opening(session, actor: Actor, household_id: int, when: dt.datetime) -> None:
    session.add(
        HouseholdOpening(
            user_id=actor.user_id, household_id=household_id, doel="intake", geopend_op=when
        )
    )
    session.commit()


def test_voordeur_sees_nothing_until_opened(session, users, households):
    vera, h1 = users["vera"], households[0]
    with pytest.raises(AccessDenied, match="need-to-know"):
        require_household_access(session, vera, h1)
    assert _refusals(session) == [("vera", "huishouden_inzien", str(h1))]
    open_household(session, vera, h1, "hulpvraag WMO")
    session.commit()
    require_household_access(session, vera, h1)
    assert not may_see_household(session, vera, households[1])


def test_voordeur_opening_counts_today_only(session, users, households):
    vera, h1 = users["vera"], households[0]
    _opening(session, vera, h1, access._start_of_today_utc() - dt.timedelta(minutes=1))
    assert not may_see_household(session, vera, h1)
    _opening(session, vera, h1, access._start_of_today_utc() + dt.timedelta(seconds=1))
    assert may_see_household(session, vera, h1)


def test_voordeur_does_not_inherit_a_colleagues_opening(session, users, households):
    open_household(session, users["victor"], households[0], "hulpvraag Jeugd")
    session.commit()
    assert not may_see_household(session, users["vera"], households[0])


def test_opening_is_audited_with_its_purpose(session, users, households):
    open_household(session, users["gijs"], households[0], "voorbereiding casustafel")
    session.commit()
    row = session.execute(
        select(AuditEvent.actie, AuditEvent.doel, AuditEvent.resultaat).order_by(
            AuditEvent.id.desc()
        )
    ).first()
    assert tuple(row) == ("huishouden_openen", "voorbereiding casustafel", "ok")


def test_gbd_sees_households_opened_with_a_purpose_for_the_access_period(
    session, users, households
):
    gijs, h1, h2 = users["gijs"], households[0], households[1]
    _opening(session, gijs, h1, dt.datetime.now(dt.UTC).replace(tzinfo=None))
    _opening(session, gijs, h2, dt.datetime(2020, 1, 1))  # long past the 30 days
    assert may_see_household(session, gijs, h1)
    assert not may_see_household(session, gijs, h2)
    assert not may_see_household(session, users["gerda"], h1)


def test_gbd_sees_households_they_hold_active_regie_for(session, users, households):
    gijs, h1, h2 = users["gijs"], households[0], households[1]
    uid, start = gijs.user_id, dt.date(2024, 1, 1)
    session.add(Regie(household_id=h1, houder_user_id=uid, doel="rust", start=start, actief=True))
    session.add(
        Regie(
            household_id=h2, houder_user_id=uid, doel="oud", start=start, einde=start, actief=False
        )
    )
    session.commit()
    assert may_see_household(session, gijs, h1)
    assert not may_see_household(session, gijs, h2)
    assert not may_see_household(session, users["gerda"], h1)


def test_gbd_rules_registered_elsewhere_are_or_ed(session, users, households, monkeypatch):
    gijs, h3 = users["gijs"], households[2]
    monkeypatch.setitem(core._RULES, "gbd", list(core._RULES["gbd"]))
    assert not may_see_household(session, gijs, h3)
    register_household_rule(
        "gbd", lambda s, a, hid: "agenda" if hid == h3 else None
    )  # e.g. on my case-table agenda
    assert may_see_household(session, gijs, h3)


@pytest.mark.parametrize("naam", ["kim", "bea"])
def test_kiss_and_beheer_never_see_a_household(session, users, households, naam):
    actor = users[naam]
    _opening(session, actor, households[0], dt.datetime.now())  # even with a stray opening row
    assert not may_see_household(session, actor, households[0])
    with pytest.raises(AccessDenied):
        require_household_access(session, actor, households[0])
    assert _refusals(session)[-1][0] == naam


@pytest.mark.parametrize("rol", ["kiss", "beheer", "systeem", "onbekend"])
def test_no_rule_can_be_registered_for_kiss_or_beheer(rol):
    with pytest.raises(ValueError):
        register_household_rule(rol, lambda s, a, hid: "ja")


@pytest.mark.parametrize("naam", ["kim", "bea"])
def test_kiss_and_beheer_cannot_open_a_household(session, users, households, naam):
    with pytest.raises(AccessDenied):
        open_household(session, users[naam], households[0], "even kijken")
    assert session.scalar(select(func.count()).select_from(HouseholdOpening)) == 0
    assert _refusals(session)[-1][:2] == (naam, "huishouden_openen")


def test_ervaringswerker_sees_nothing_without_a_rule(session, users, households, monkeypatch):
    monkeypatch.setitem(core._RULES, "ervaringswerker", [])
    els = users["els"]
    with pytest.raises(AccessDenied):
        require_household_access(session, els, households[0])
    register_household_rule(
        "ervaringswerker", lambda s, a, hid: "x" if hid == households[0] else None
    )
    require_household_access(session, els, households[0])
    assert not may_see_household(session, els, households[1])


def test_refusal_rolls_back_pending_work_but_keeps_the_audit_row(engine, users, households):
    from households.db import session_scope

    with pytest.raises(AccessDenied), session_scope(engine) as s:
        s.add(Household(huishouden_id="HALF", wijk="Oost"))
        s.flush()
        require_household_access(s, users["vera"], households[0], Event.HULPVRAAG_REGISTREREN)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).where(Household.huishouden_id == "HALF")) == 0
        assert _refusals(s) == [("vera", "hulpvraag_registreren", str(households[0]))]


def test_deactivated_account_loses_access_at_once(session, users, households):
    gijs, h1 = users["gijs"], households[0]
    open_household(session, gijs, h1, "casustafel Noord")
    session.commit()
    set_active(session, users["bea"], gijs.user_id, False)
    session.commit()
    assert not may_see_household(session, gijs, h1)
    with pytest.raises(AccessDenied):
        authorize(session, gijs, "regie_toewijzen")


def test_changed_role_takes_effect_at_once(session, users, households):
    gijs, h1 = users["gijs"], households[0]
    open_household(session, gijs, h1, "casustafel Noord")
    session.get(User, gijs.user_id).rol = "kiss"
    session.commit()
    assert not may_see_household(session, gijs, h1)


def test_actor_without_account_sees_nothing(session, households):
    assert not may_see_household(session, Actor(None, "x", "gbd"), households[0])


def test_system_actor_may(session, households):
    assert may_see_household(session, SYSTEM, households[0])
    authorize(session, SYSTEM, "regels_wijzigen")


def test_authorize_refuses_and_audits(session, users):
    assert authorize(session, users["bea"], "regels_wijzigen") == "beheer"
    with pytest.raises(AccessDenied, match="geen toegang"):
        authorize(session, users["vera"], "regels_wijzigen")
    assert _refusals(session) == [("vera", "regels_wijzigen", None)]


@pytest.mark.parametrize(
    ("doel", "error"),
    [("", InvalidInput), ("kijk", InvalidInput), ("x" * 501, InvalidInput),
     ("BSN 111222333 bellen", InvalidInput), ("BSN 11.12.22.333", InvalidInput)],
)  # fmt: skip
def test_open_household_needs_a_proper_purpose(session, users, households, doel, error):
    with pytest.raises(error):
        open_household(session, users["vera"], households[0], doel)
    assert session.scalar(select(func.count()).select_from(HouseholdOpening)) == 0


def test_open_unknown_household(session, users):
    with pytest.raises(NotFound):
        open_household(session, users["vera"], 999_999, "hulpvraag WMO")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doel=hyp.text(max_size=600), household=hyp.one_of(hyp.integers(), hyp.sampled_from([0, 1])))
def test_open_household_any_input_gives_result_or_clear_error(
    session, users, households, doel, household
):
    household_id = households[0] if household == 1 else household
    try:
        open_household(session, users["vera"], household_id, doel)
    except KissError as exc:
        assert str(exc)
        assert session.scalar(select(func.count()).select_from(HouseholdOpening)) == 0
    else:
        assert session.scalar(select(HouseholdOpening.doel)) == normalise_text(doel).strip()
    session.rollback()


@pytest.mark.parametrize("household_id", [0, -1, 2**31, 10**80, True])
def test_out_of_range_ids_are_refused_not_crashed(session, users, household_id):
    assert not may_see_household(session, users["gijs"], household_id)
    with pytest.raises(AccessDenied):
        require_household_access(session, users["gijs"], household_id)
