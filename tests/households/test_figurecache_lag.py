"""Many staff at once: one computation per key, and lagging figures that say so (issue 17)."""
# ruff: noqa: F811  (pytest fixtures imported from the cache tests are parameters here)

from __future__ import annotations

import threading
import time

from coordination.overview import steering_overview
from households import figurecache
from households.db import session_scope
from tests.coordination.test_overview import make
from tests.coordination.test_stacking import D

# the committed population, the empty cache and the overview call of the cache tests
from tests.coordination.test_steering_cache import (  # noqa: F401 (fixtures)
    _empty_cache,
    _overview,
    population,
)


def test_lagging_figures_are_served_with_their_time_and_then_brought_up_to_date(
    engine, population, monkeypatch
):
    monkeypatch.setenv("KISS_CIJFERS_MAX_OUD", "60")
    monkeypatch.setattr(figurecache, "LAG_ONLY_ABOVE_S", 0.0)  # small data compute fast
    monkeypatch.setattr(figurecache, "REFRESH_AFTER_SHARE", 0.0)  # refreshed at once
    first = _overview(engine, population)
    assert first["stand"]["verouderd"] is False
    with session_scope(engine) as session:
        make(session, 5, "Zuid", ["ISD", "JEUGD"])
    lagging = _overview(engine, population)
    assert lagging["stand"] == first["stand"] | {"verouderd": True}
    assert lagging["households_total"] == first["households_total"]
    assert figurecache.cache_info()["lagging"] == 1
    figurecache.wait_for_refreshes()
    after = _overview(engine, population)
    assert after["stand"]["verouderd"] is False
    assert after["stand"]["berekend_op"] > first["stand"]["berekend_op"]
    assert after["households_total"] == first["households_total"] + 5
    assert after["by_wijk"]["Zuid"]["stacked"] == 5


def test_no_lag_when_the_figures_are_too_old_or_cheap(engine, population, monkeypatch):
    monkeypatch.setenv("KISS_CIJFERS_MAX_OUD", "60")  # but computing took < 0.5 s
    monkeypatch.setattr(figurecache, "LAG_ONLY_ABOVE_S", 1e9)
    first = _overview(engine, population)
    with session_scope(engine) as session:
        make(session, 5, "Zuid", ["WMO", "JEUGD"])
    assert _overview(engine, population)["households_total"] == first["households_total"] + 5
    monkeypatch.setenv("KISS_CIJFERS_MAX_OUD", "0")
    monkeypatch.setattr(figurecache, "LAG_ONLY_ABOVE_S", 0.0)
    with session_scope(engine) as session:
        make(session, 5, "West", ["WMO", "JEUGD"])
    assert _overview(engine, population)["households_total"] == first["households_total"] + 10
    assert "lagging" not in figurecache.cache_info()


def test_a_writing_transaction_never_sees_lagging_figures(engine, population, monkeypatch):
    monkeypatch.setenv("KISS_CIJFERS_MAX_OUD", "60")
    monkeypatch.setattr(figurecache, "LAG_ONLY_ABOVE_S", 0.0)
    first = _overview(engine, population)
    with session_scope(engine) as session:
        make(session, 5, "West", ["WMO", "JEUGD"])
        inside = steering_overview(session, population, D)
        assert inside["households_total"] == first["households_total"] + 5
        assert inside["stand"]["verouderd"] is False
        session.rollback()


def test_one_computation_for_colleagues_asking_at_once(engine, population):
    calls: list[int] = []

    def compute(session):
        calls.append(1)
        time.sleep(0.4)
        return {"n": 42}

    results: list = []

    def ask():
        with session_scope(engine) as session:
            results.append(figurecache.cached_figures(session, "proef", "x", compute))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [{"n": 42}] * 4
    assert len(calls) == 1
    assert figurecache.cache_info()["waited"] == 3


def test_a_failed_computation_lets_the_waiters_compute_themselves(engine, population):
    calls: list[int] = []

    def compute(session):
        calls.append(1)
        time.sleep(0.2)
        if len(calls) == 1:
            raise RuntimeError("eerste berekening faalt")
        return 7

    out: list = []

    def ask():
        try:
            with session_scope(engine) as session:
                out.append(figurecache.cached_figures(session, "proef", "y", compute))
        except RuntimeError:
            out.append("fout")

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    assert sorted(map(str, out)) == ["7", "fout"]


def test_lagging_figures_are_refreshed_once_they_are_a_quarter_of_the_allowed_age(
    engine, population, monkeypatch
):
    # Many staff: every help request moves the version. Recomputing after each kept a
    # process computing without pause; now once the figures served are 15 of 60 s old.
    monkeypatch.setenv("KISS_CIJFERS_MAX_OUD", "60")
    monkeypatch.setattr(figurecache, "LAG_ONLY_ABOVE_S", 0.0)
    first = _overview(engine, population)
    for wijk in ("Zuid", "West"):
        with session_scope(engine) as session:
            make(session, 5, wijk, ["ISD", "JEUGD"])
        lagging = _overview(engine, population)
        assert lagging["stand"]["verouderd"] is True
        assert lagging["households_total"] == first["households_total"]
    figurecache.wait_for_refreshes()
    assert "refreshed" not in figurecache.cache_info()  # fresh enough: nothing recomputed
    clock = time.monotonic() + 16  # a quarter of a minute later
    monkeypatch.setattr(figurecache.time, "monotonic", lambda: clock)
    assert _overview(engine, population)["stand"]["verouderd"] is True  # served, refreshing
    figurecache.wait_for_refreshes()
    assert figurecache.cache_info()["refreshed"] == 1
    after = _overview(engine, population)
    assert after["stand"]["verouderd"] is False
    assert after["households_total"] == first["households_total"] + 10
