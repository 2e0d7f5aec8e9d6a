"""Cached steering figures: equal to uncached ones, protected, audited, invalidated by writes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coordination.network import _protected_network, institution_edges, institution_ranking
from coordination.overview import _protected_figures, steering_overview
from coordination.rules import active_rules
from experiments.evaluation import evaluate_experiment
from households import figurecache
from households.db import session_scope
from households.errors import AccessDenied
from households.models import AuditEvent
from tests import builders as b
from tests.coordination.test_disclosure_attack import assert_protected
from tests.coordination.test_overview import make
from tests.coordination.test_stacking import DAY, D, hh, institution, involvement, person, prov


@pytest.fixture(autouse=True)
def _empty_cache():
    figurecache.clear()
    yield
    figurecache.clear()


@pytest.fixture
def population(engine, account):
    """Committed data (a transaction that wrote data does not use the cache)."""
    kiss = account("kim", "kiss")
    with session_scope(engine) as session:
        active_rules(session)  # the default rule set exists, as in every real database
        make(session, 5, "Noord", ["WMO"])
        make(session, 5, "Noord", ["ISD", "WMO"], isd_debt=True)
        make(session, 6, "Oost", ["JEUGD"])
        make(session, 5, "Oost", ["JEUGD", "ISD", "WMO"], with_regie=True)
    return kiss


def _overview(engine, actor, day=D):
    with session_scope(engine) as session:
        return steering_overview(session, actor, day)


def _audit_rows(engine, actie: str) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).where(AuditEvent.actie == actie))


def test_cached_overview_equals_the_uncached_one(engine, population):
    first = _overview(engine, population)
    assert figurecache.cache_info()["misses"] == 1
    second = _overview(engine, population)
    assert figurecache.cache_info()["hits"] == 1
    assert second == first
    with session_scope(engine) as session:
        fresh = _protected_figures(session, population, D)
    assert {k: v for k, v in second.items() if k not in ("synthetic", "stand")} == fresh


def test_cached_overview_is_still_protected(engine, population):
    with session_scope(engine) as session:
        make(session, 3, "Oost", ["JEUGD", "WMO"])  # 3 households: published as <5
    first = _overview(engine, population)
    cached = _overview(engine, population)
    assert figurecache.cache_info()["hits"] == 1
    assert cached == first
    assert cached["combinations"]["JEUGD+WMO"] == "<5"
    assert cached["by_wijk"]["Oost"]["combinations"]["JEUGD+WMO"] == "<5"
    assert_protected(cached)


def test_a_committed_write_invalidates_the_overview(engine, population):
    before = _overview(engine, population)
    with session_scope(engine) as session:
        make(session, 5, "Zuid", ["ISD", "JEUGD"])
    after = _overview(engine, population)
    assert figurecache.cache_info()["hits"] == 0
    assert after["households_total"] == before["households_total"] + 5
    assert after["by_wijk"]["Zuid"]["stacked"] == 5


def test_every_call_is_audited_and_checked_hit_or_miss(engine, population, account):
    _overview(engine, population)
    _overview(engine, population)
    assert _audit_rows(engine, "stuurinformatie_inzien") == 2
    gbd = account("gerrit", "gbd")
    with pytest.raises(AccessDenied):
        _overview(engine, gbd)  # the figures are cached; the refusal still comes first


def test_kiss_month_end_rule_holds_on_a_hit(engine, population):
    from households.errors import InvalidInput

    _overview(engine, population)
    with pytest.raises(InvalidInput):
        _overview(engine, population, D - DAY)


def test_an_uncommitted_write_neither_reads_nor_fills_the_cache(engine, population):
    _overview(engine, population)
    with session_scope(engine) as session:
        make(session, 5, "West", ["WMO", "JEUGD"])
        inside = steering_overview(session, population, D)
        assert inside["by_wijk"]["West"]["stacked"] == 5
        session.rollback()
    assert figurecache.cache_info() == {"entries": 1, "hits": 0, "misses": 1}
    assert "West" not in _overview(engine, population)["by_wijk"]


def test_callers_cannot_change_what_the_next_caller_gets(engine, population):
    first = _overview(engine, population)
    first["by_wijk"]["Noord"]["stacked"] = 999
    assert _overview(engine, population)["by_wijk"]["Noord"]["stacked"] == 5


def _network(engine, actor):
    with session_scope(engine) as session:
        return institution_ranking(session, actor, D), institution_edges(session, actor, D)


@pytest.fixture
def network(engine, account):
    with session_scope(engine) as session:
        radar, mee = institution(session, "Radar"), institution(session, "MEE")
        for i in range(7):
            p = person(session, hh(session, f"N{i}"))
            prov(session, p, "JEUGD", D - 10 * DAY, institution=radar)
            if i < 5:
                prov(session, p, "WMO", D - 10 * DAY, institution=mee)
    return account("kim", "kiss")


def test_cached_network_equals_uncached_and_is_invalidated(engine, network):
    ranking, edges = _network(engine, network)
    again = _network(engine, network)
    assert figurecache.cache_info()["hits"] == 3  # one entry serves both tables of the page
    assert again[0].equals(ranking) and again[1].equals(edges)
    with session_scope(engine) as session:
        fresh = _protected_network(session, D)
    assert fresh[0].equals(ranking) and fresh[1].equals(edges)
    assert edges["gedeelde_huishoudens"].tolist() == [5]
    with session_scope(engine) as session:
        police = institution(session, "Politie", "politie")
        involvement(session, hh(session, "N8"), police, D - 5 * DAY)
    ranking2, _ = _network(engine, network)
    assert "Politie" in ranking2["naam"].tolist()
    assert _audit_rows(engine, "netwerk_inzien") == 6


def test_cached_evaluation_equals_uncached_and_is_invalidated(engine):
    with session_scope(engine) as session:
        exp, _, _ = b.team(session)
        kiss = b.make_user(session, "kiss1", "kiss")
        for _ in range(3):
            household, p = b.household_with_persons(session, wijk="Noord")
            b.enrol_direct(session, exp, household, datum=dt.date(2026, 2, 1))
            b.add_provision(session, p, "ISD", "bijzondere bijstand", start=dt.date(2026, 3, 1))
        exp_id = exp.id
    day = dt.date(2026, 6, 1)

    def run():
        with session_scope(engine) as session:
            return evaluate_experiment(session, kiss, exp_id, day, n_boot=50)

    first, second = run(), run()
    assert figurecache.cache_info()["hits"] == 1
    assert second.did["n_provisions"] == first.did["n_provisions"]
    assert second.n_enrolled == first.n_enrolled == 3
    with session_scope(engine) as session:
        household, _ = b.household_with_persons(session, wijk="Noord")
        b.enrol_direct(session, session.merge(exp), household, datum=dt.date(2026, 2, 1))
        voordeur = b.make_user(session, "vd", "voordeur")
    assert run().n_enrolled == 4
    with pytest.raises(AccessDenied), session_scope(engine) as session:
        evaluate_experiment(session, voordeur, exp_id, day)
