"""The fact columns cache (coordination/factcache.py): the same stacking as without it, new
data seen after every commit, never an uncommitted write, read-only columns, bounded."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from coordination import factcache
from coordination.facts import load_facts
from coordination.rules import active_rules
from coordination.stacking import stacking_table
from data.generator import generate
from data.load import load
from households.db import session_scope
from households.errors import ConfigurationError
from households.models import HelpRequest, Person
from households.settings import facts_cache_bytes
from tests.coordination.test_stacking import D, hh, person, prov

DATES = (dt.date(2023, 12, 31), dt.date(2025, 3, 31), D)


@pytest.fixture(autouse=True)
def _empty_cache():
    factcache.clear()
    yield
    factcache.clear()


def _table(engine, day=D):
    with session_scope(engine) as session:
        return stacking_table(session, day)


def _uncached(engine, monkeypatch, day=D):
    monkeypatch.setenv("KISS_FEITEN_CACHE_MB", "0")
    try:
        return _table(engine, day)
    finally:
        monkeypatch.delenv("KISS_FEITEN_CACHE_MB")


def test_generated_population_same_with_and_without_cache(engine, monkeypatch):
    load(engine, generate(400, seed=11, reference_date=D))
    for day in DATES:
        plain = _uncached(engine, monkeypatch, day)
        first, again = _table(engine, day), _table(engine, day)
        assert plain.equals(first) and plain.equals(again), day
        assert plain["stacked"].any() and plain["complex"].any()
    info = factcache.cache_info()
    assert info["hits"] >= info["misses"] > 0  # the second run of each date came from here
    with session_scope(engine) as session:  # a range (the overview's trend) as well
        rules = active_rules(session)
        cold = load_facts(session, DATES[0], D, rules)
        warm = load_facts(session, DATES[0], D, rules)
    for part in ("prov", "debt", "req"):
        for col, values in getattr(cold, part).items():
            if isinstance(values, np.ndarray):
                assert np.array_equal(values, getattr(warm, part)[col]), (part, col)


def _household(session, key: str, domains: list[str]) -> int:
    """A household with one person holding ``domains``; the person's id."""
    p = person(session, hh(session, key))
    for d in domains:
        prov(session, p, d, dt.date(2024, 1, 1))
    return p.id


def _by_key(table):
    return table.set_index("huishouden_id")


def test_a_commit_is_seen_and_only_its_table_is_read_again(engine):
    with session_scope(engine) as session:
        active_rules(session)
        p1 = _household(session, "H1", ["WMO"])
        p2 = _household(session, "H2", ["WMO"])
    before = _table(engine)
    assert not _by_key(before).loc["H1", "stacked"]
    with session_scope(engine) as session:  # a second domain for H1: stacked now
        prov(session, session.get(Person, p1), "ISD", dt.date(2024, 2, 1))
    after = _table(engine)
    assert _by_key(after).loc["H1", "stacked"] and _by_key(after).loc["H1", "n_domains"] == 2
    with session_scope(engine) as session:  # a help request moves only its own counters
        someone = session.get(Person, p2)
        session.add(HelpRequest(bron_id="HV1", household_id=someone.household_id,
                                person_id=p2, domein="WMO", voordeur="WMO", ontvangen_op=D,
                                omschrijving="hulp"))  # fmt: skip
    misses = factcache.cache_info()["misses"]
    table = _table(engine)
    assert factcache.cache_info()["misses"] == misses + 1  # the help requests only
    assert table.equals(after)  # one request is no reason (3 in 12 months are)


def test_an_uncommitted_write_is_never_filed(engine, monkeypatch):
    """A rolled-back write's counters are reached again by a colleague's other data: a
    result computed inside the writing transaction must not be filed under them."""
    with session_scope(engine) as session:
        active_rules(session)
        p1 = _household(session, "H1", ["WMO"])
        p2 = _household(session, "H2", ["JEUGD"])
    _table(engine)
    with session_scope(engine) as session:
        prov(session, session.get(Person, p1), "ISD", dt.date(2024, 3, 1))
        inside = _by_key(stacking_table(session, D))
        assert inside.loc["H1", "n_domains"] == 2  # its own write, seen, not filed
        session.rollback()
    with session_scope(engine) as session:  # a colleague's write: the same counters
        prov(session, session.get(Person, p2), "WMO", dt.date(2024, 3, 1))
    got = _table(engine)
    assert got.equals(_uncached(engine, monkeypatch))
    assert _by_key(got).loc["H1", "n_domains"] == 1
    assert _by_key(got).loc["H2", "n_domains"] == 2


def test_cached_columns_are_read_only(engine):
    with session_scope(engine) as session:
        active_rules(session)
        _household(session, "H1", ["WMO", "ISD"])
    with session_scope(engine) as session:
        facts = load_facts(session, D, D, active_rules(session),
                           household_ids=np.array([1], dtype=np.int64))  # fmt: skip
        with pytest.raises(ValueError, match="read-only"):
            facts.prov["dom"][0] = 4


def test_bounded_least_recently_used_out(monkeypatch):
    monkeypatch.setenv("KISS_FEITEN_CACHE_MB", "1")
    versions = ("sqlite:///x", 7, {"provision": 3})
    half = 300_000  # int64: 2.4 MB each > 1 MB: not kept at all
    assert factcache.cached(versions, "big", ["provision"], None,
                            lambda: np.zeros(half)) is not None  # fmt: skip
    assert factcache.cache_info()["entries"] == 0
    for k in range(3):  # 0.4 MB each: the third pushes the first out
        factcache.cached(versions, f"q{k}", ["provision"], None, lambda: np.zeros(50_000))
    info = factcache.cache_info()
    assert info["entries"] == 2 and info["bytes"] <= 1024 * 1024
    calls = []
    factcache.cached(versions, "q0", ["provision"], None, lambda: calls.append(1) or 0)
    assert calls == [1]  # q0 was evicted: loaded again


def test_switched_off_and_bad_setting(engine, monkeypatch):
    with session_scope(engine) as session:
        active_rules(session)
        _household(session, "H1", ["WMO"])
    monkeypatch.setenv("KISS_FEITEN_CACHE_MB", "0")
    _table(engine)
    assert factcache.cache_info()["entries"] == 0
    monkeypatch.setenv("KISS_FEITEN_CACHE_MB", "veel")
    with pytest.raises(ConfigurationError, match="KISS_FEITEN_CACHE_MB moet een getal zijn"):
        facts_cache_bytes()
