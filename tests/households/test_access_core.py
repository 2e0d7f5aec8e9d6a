"""The access core: PERMISSIONS, the role re-read from the database, bootstrap, typed events."""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.bootstrap import bootstrap
from coordination.access import open_household
from coordination.regie import current_regie
from households import audit
from households.access import (
    PERMISSIONS,
    authorize,
    clear_household_rules,
    household_rules,
    may_see_household,
    require_household_access,
)
from households.accounts import set_active
from households.actor import Actor
from households.audit import Event
from households.errors import AccessDenied
from households.models import USER_ROLES, AuditEvent, Household, User
from households.search import find_households

ROOT = Path(__file__).resolve().parents[2]
SERVICE_PACKAGES = ("households", "coordination", "experiments", "app", "data", "benchmarks")


def _authorize_actions() -> set[str]:
    """Every action string passed to ``authorize(...)`` in the code (literal or via a name)."""
    found: set[str] = set()
    for package in SERVICE_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for call in ast.walk(func):
                    if not (
                        isinstance(call, ast.Call)
                        and getattr(call.func, "id", getattr(call.func, "attr", None))
                        == "authorize"
                        and len(call.args) >= 3
                    ):
                        continue
                    arg = call.args[2]
                    if isinstance(arg, ast.Constant):
                        found.add(arg.value)
                    elif isinstance(arg, ast.Name):  # actie = "a" if ... else "b"
                        for node in ast.walk(func):
                            if isinstance(node, ast.Assign) and any(
                                getattr(t, "id", None) == arg.id for t in node.targets
                            ):
                                found |= {
                                    c.value
                                    for c in ast.walk(node.value)
                                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                                }
    return found


def test_permissions_cover_exactly_the_actions_services_authorize():
    used = _authorize_actions()
    assert used - set(PERMISSIONS) == set(), "authorize() with an action missing in PERMISSIONS"
    assert set(PERMISSIONS) - used == set(), "a PERMISSIONS row no service uses"


def test_every_permission_names_known_roles_and_an_event():
    for action, permission in PERMISSIONS.items():
        assert set(permission.roles) <= set(USER_ROLES)
        assert isinstance(permission.event, Event), action


def test_no_literal_role_checks_are_left():
    for package in SERVICE_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "require_role(" not in text, path


@pytest.fixture
def household(session) -> int:
    h = Household(huishouden_id="H1", wijk="Noord", postcode="6441AB", huisnummer="1")
    session.add(h)
    session.commit()
    return h.id


def _last(session) -> tuple:
    return tuple(
        session.execute(
            select(AuditEvent.gebruiker, AuditEvent.actie, AuditEvent.resultaat, AuditEvent.doel)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        ).one()
    )


def test_a_hand_made_actor_claiming_another_role_is_refused(session, account):
    gijs = account("gijs", "gbd")
    claimed = Actor(gijs.user_id, "gijs", "beheer")
    with pytest.raises(AccessDenied):
        authorize(session, claimed, "regels_wijzigen")
    assert _last(session) == ("gijs", "regels_wijzigen", "geweigerd", None)
    with pytest.raises(AccessDenied):
        authorize(session, Actor(gijs.user_id, "gijs", "systeem"), "regels_wijzigen")
    with pytest.raises(AccessDenied):  # no such account
        authorize(session, Actor(999_999, "nemo", "beheer"), "regels_wijzigen")
    with pytest.raises(AccessDenied):  # no account at all
        authorize(session, Actor(None, "bea", "beheer"), "regels_wijzigen")
    assert authorize(session, gijs, "regie_toewijzen") == "gbd"


def test_a_deactivated_user_is_refused_everywhere_including_search(session, account, household):
    vera, bea = account("vera", "voordeur"), account("bea", "beheer")
    open_household(session, vera, household, "hulpvraag Wmo")
    session.commit()
    assert [h.household_id for h in find_households(session, vera, postcode="6441 AB")] == [
        household
    ]
    set_active(session, bea, vera.user_id, False)
    session.commit()
    with pytest.raises(AccessDenied):
        find_households(session, vera, postcode="6441 AB")
    assert _last(session) == ("vera", "zoeken", "geweigerd", None)
    assert not may_see_household(session, vera, household)
    with pytest.raises(AccessDenied):
        authorize(session, vera, "huishouden_openen")
    with pytest.raises(AccessDenied):
        require_household_access(session, vera, household)


def test_role_is_read_once_per_unit_of_work_and_again_after_commit(session, account):
    gijs = account("gijs", "gbd")
    assert authorize(session, gijs, "regie_toewijzen") == "gbd"
    session.execute(User.__table__.update().values(actief=False))  # no ORM flush: cache holds
    assert authorize(session, gijs, "regie_toewijzen") == "gbd"
    session.commit()
    with pytest.raises(AccessDenied):
        authorize(session, gijs, "regie_toewijzen")


def test_audit_writes_keep_the_role_cache_but_a_flushed_account_change_clears_it(session, account):
    gijs = account("gijs", "gbd")
    assert authorize(session, gijs, "regie_toewijzen") == "gbd"
    audit.record(session, gijs, Event.REGIE_GATEN)  # flushes an audit row, not an account
    session.execute(User.__table__.update().values(actief=False))  # invisible to the ORM
    assert authorize(session, gijs, "regie_toewijzen") == "gbd"  # still the cached read
    session.get(User, gijs.user_id).rol = "voordeur"
    session.flush()  # an account row is written: the cache is forgotten at once
    with pytest.raises(AccessDenied):
        authorize(session, gijs, "regie_toewijzen")


def test_record_refuses_a_plain_string(session):
    actor = Actor(None, "x", "gbd")
    with pytest.raises(TypeError):
        audit.record(session, actor, "huishouden_inzien", "household", 1)
    with pytest.raises(TypeError):
        audit.record_many(session, actor, "zoeken", "household", [1, 2])
    assert audit.record(session, actor, Event.HUISHOUDEN_INZIEN).actie == "huishouden_inzien"


def test_a_household_read_carries_the_purpose_of_the_opening(session, account, household):
    gijs = account("gijs", "gbd")
    open_household(session, gijs, household, "voorbereiding huisbezoek")
    session.commit()
    assert current_regie(session, gijs, household) is None
    assert _last(session) == ("gijs", "regie_inzien", "ok", "voorbereiding huisbezoek")
    open_household(session, gijs, household, "nieuwe hulpvraag schulden")
    session.commit()
    assert require_household_access(session, gijs, household) == "nieuwe hulpvraag schulden"


def test_regie_holder_reads_with_reason_regiehouder(session, account, household):
    from coordination.models import Regie

    gijs = account("gijs", "gbd")
    session.add(
        Regie(
            household_id=household, houder_user_id=gijs.user_id, doel="rust",
            start=dt.date(2025, 1, 1), actief=True,
        )
    )  # fmt: skip
    session.commit()
    assert require_household_access(session, gijs, household) == "regiehouder"


def test_without_bootstrap_no_household_rule_exists(session, account, household):
    gijs = account("gijs", "gbd")
    open_household(session, gijs, household, "voorbereiding casustafel")
    session.commit()
    wired = household_rules()
    try:
        clear_household_rules()
        assert household_rules() == {}
        assert not may_see_household(session, gijs, household)
        with pytest.raises(AccessDenied):
            require_household_access(session, gijs, household)
        bootstrap()
        bootstrap()
        assert household_rules() == wired
        assert may_see_household(session, gijs, household)
    finally:
        bootstrap()


def test_importing_the_contexts_registers_nothing():
    code = (
        "import experiments, experiments.enrolment, coordination.casetables, "
        "coordination.frontdoor, app.cli\n"
        "from households.access import household_rules\n"
        "assert household_rules() == {}, household_rules()\n"
        "from app.bootstrap import bootstrap; bootstrap()\n"
        "assert set(household_rules()) == {'voordeur', 'gbd', 'ervaringswerker'}\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
