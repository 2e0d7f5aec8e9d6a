"""A process cache of PROTECTED steering aggregates, per reference date and data version.

The steering pages (KISS-overzicht, Netwerk, Evaluatie) compute their figures from the
whole population: seconds at regional size. The figures only change when the data do,
so a service files its finished, already protected result here under
``(database, report, parameters, data version)`` (:mod:`households.dataversion`) and the
next page run with the same reference date gets it back in microseconds. Any committed
write to one of the report's tables raises the version, and the next run recomputes.

Many staff at once (issue 17): with dozens of colleagues registering help requests the
version moves every second, so "recompute on every change" would recompute all the time
and every request would wait seconds. Two rules keep the work bounded:

- **One computation per key** (single flight): when a colleague's request is already
  computing the same figures, the next request waits for that result instead of
  computing them a second time.
- **Bounded lag, said out loud** (opt-in per report, ``may_lag=True``): figures that took
  at least :data:`LAG_ONLY_ABOVE_S` to compute and are at most ``KISS_CIJFERS_MAX_OUD``
  seconds old (default 60; 0 = never) are served at once while ONE background
  computation in its own session brings them up to date. The caller gets
  :class:`Served` with the time the figures were computed and ``verouderd=True``, and
  the page says so. A transaction that wrote data itself never gets lagging figures.
  That background computation starts once the figures served are a quarter of that age
  (:data:`REFRESH_AFTER_SHARE`), so a busy afternoon costs a few computations a minute,
  not one per write.

What may go in: aggregates exactly as the service hands them to every caller — after
suppression, never a household, a person or an unprotected count. Access checks and
audit rows stay in the service and run on every call, hit or miss; the cache never
decides who may see what. Values are deep-copied in and out, so a caller cannot change
what the next caller gets. Bounded (:data:`MAX_ENTRIES`, least recently used out).
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from households.dataversion import DATA_TABLES, INSTANCE_ROW, DataVersion, wrote_data
from households.settings import figures_max_age

__all__ = [
    "LAG_ONLY_ABOVE_S", "MAX_ENTRIES", "REFRESH_AFTER_SHARE", "Served", "cache_info",
    "cached_figures", "clear",
    "served_figures", "wait_for_refreshes",
]  # fmt: skip

log = logging.getLogger(__name__)
MAX_ENTRIES = 64
#: Figures computed faster than this are always recomputed, never served lagging.
LAG_ONLY_ABOVE_S = 0.5
#: Lagging figures are brought up to date once they are this share of
#: ``KISS_CIJFERS_MAX_OUD`` old (default 60 s: after 15 s), not after every write: with
#: 50 staff the version moved every second and each process recomputed the overview
#: without pause (42 background computations a minute, a third of a core).
REFRESH_AFTER_SHARE = 0.25
#: A request waits at most this long for a colleague's computation of the same figures.
WAIT_S = 120.0
T = TypeVar("T")



@dataclass(frozen=True)
class Served(Generic[T]):
    """Figures as served: the value, when they were computed, and whether newer data exist."""

    value: T
    berekend_op: dt.datetime  # local time the data were read
    verouderd: bool = False  # True: computed before the latest writes; newer ones are coming


@dataclass
class _Entry:
    value: object
    at: dt.datetime
    mono: float  # time.monotonic() when the data were read
    seconds: float  # how long the computation took
    version: tuple


_lock = threading.Lock()
_entries: OrderedDict[tuple, _Entry] = OrderedDict()
_latest: dict[tuple, _Entry] = {}  # (database, report, params) -> newest entry
_inflight: dict[tuple, threading.Event] = {}
_refreshing: dict[tuple, threading.Thread] = {}
_stats = {"hits": 0, "misses": 0, "lagging": 0, "waited": 0, "refreshed": 0}


def _version(session: Session, tables: Iterable[str]) -> tuple:
    """(database instance token, summed write counters of ``tables``) in one query."""
    wanted = set(tables)
    unknown = wanted - set(DATA_TABLES)
    assert not unknown, f"not a data table: {sorted(unknown)}"
    own = DataVersion.tabel == INSTANCE_ROW  # summed in SQL: many counter rows per table
    instance, summed = session.execute(
        select(func.max(case((own, DataVersion.versie))),
               func.coalesce(func.sum(case((~own, DataVersion.versie), else_=0)), 0))
        .where(DataVersion.tabel.in_(sorted(wanted | {INSTANCE_ROW})))
    ).one()  # fmt: skip
    return instance, int(summed)


def _file(base: tuple, version: tuple, value: object, at: dt.datetime, mono: float,
          seconds: float) -> None:  # fmt: skip
    entry = _Entry(copy.deepcopy(value), at, mono, seconds, version)
    with _lock:
        key = (*base, *version)
        _entries[key] = entry
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
        old = _latest.get(base)
        if old is None or old.version[0] != version[0] or old.version[1] <= version[1]:
            _latest[base] = entry
        while len(_latest) > MAX_ENTRIES:
            _latest.pop(next(iter(_latest)))


def _computed(session: Session, compute: Callable[[Session], T], base: tuple,
              version: tuple) -> Served[T]:  # fmt: skip
    """Compute in ``session`` and file the result unless the computation wrote data."""
    at, t0 = dt.datetime.now(), time.monotonic()
    value = compute(session)
    if not wrote_data(session):  # computing wrote data (a first default rule set): not filed
        _file(base, version, value, at, t0, time.monotonic() - t0)
    return Served(value, at)


def _refresh(engine: Engine, base: tuple, compute: Callable[[Session], object],
             tables: tuple[str, ...]) -> None:  # fmt: skip
    """The background computation of lagging figures, in its own session."""
    try:
        with Session(engine) as session:
            _computed(session, compute, base, _version(session, tables))
            session.commit()
        with _lock:
            _stats["refreshed"] += 1
    except Exception:  # the next request computes in the foreground and shows the error
        log.exception("achtergrondberekening van %s mislukt", base[1])
    finally:
        with _lock:
            _refreshing.pop(base, None)


def _lagging(base: tuple, version: tuple, may_lag: bool, engine) -> _Entry | None:
    """The newest older entry that may be served now (call with ``_lock`` held)."""
    latest = _latest.get(base)
    if not (may_lag and isinstance(engine, Engine) and latest is not None):
        return None
    max_age = figures_max_age()
    fresh_enough = time.monotonic() - latest.mono < max_age
    if latest.version[0] != version[0] or latest.seconds < LAG_ONLY_ABOVE_S or not fresh_enough:
        return None
    return latest


def served_figures(
    session: Session,
    report: str,
    params: Hashable,
    compute: Callable[[Session], T],
    tables: Iterable[str] = DATA_TABLES,
    may_lag: bool = False,
) -> Served[T]:
    """The protected result of ``compute(session)`` for ``(report, params)`` at the current data.

    ``tables`` are the data tables the report reads (default: all of them). The version
    is read before ``compute`` runs, so a result is never filed under a version newer
    than the data it was computed from. ``compute`` gets the session to read with: the
    caller's, or (``may_lag``) a background session of its own.
    """
    tables = tuple(tables)
    bind = session.get_bind()
    base = (bind.url.render_as_string(hide_password=True), report, params)
    version = _version(session, tables)
    if wrote_data(session):  # uncommitted writes: their counters may be taken back
        return Served(compute(session), dt.datetime.now())
    key = (*base, *version)
    with _lock:
        if (hit := _entries.get(key)) is not None:
            _entries.move_to_end(key)
            _stats["hits"] += 1
            return Served(copy.deepcopy(hit.value), hit.at)
        if (old := _lagging(base, version, may_lag, bind)) is not None:
            _stats["lagging"] += 1
            due = time.monotonic() - old.mono >= figures_max_age() * REFRESH_AFTER_SHARE
            if due and base not in _refreshing:
                worker = threading.Thread(target=_refresh, args=(bind, base, compute, tables),
                                          name=f"kiss-cijfers-{report}", daemon=True)  # fmt: skip
                _refreshing[base] = worker
                worker.start()
            return Served(copy.deepcopy(old.value), old.at, verouderd=True)
        _stats["misses"] += 1
        running = _inflight.get(key)
        if running is None:
            _inflight[key] = threading.Event()
    if running is not None:  # a colleague computes these figures now: wait for them
        running.wait(WAIT_S)
        with _lock:
            _stats["waited"] += 1
            if (hit := _entries.get(key)) is not None:
                return Served(copy.deepcopy(hit.value), hit.at)
        return _computed(session, compute, base, version)  # theirs failed: compute here
    try:
        return _computed(session, compute, base, version)
    finally:
        with _lock:
            _inflight.pop(key).set()


def cached_figures(
    session: Session,
    report: str,
    params: Hashable,
    compute: Callable[[Session], T],
    tables: Iterable[str] = DATA_TABLES,
) -> T:
    """:func:`served_figures` without lag: always the figures of the current data."""
    return served_figures(session, report, params, compute, tables).value


def wait_for_refreshes(timeout: float = 60.0) -> None:
    """Wait until background computations have finished (tests, benchmarks, shutdown)."""
    with _lock:
        workers = list(_refreshing.values())
    for worker in workers:
        worker.join(timeout)


def clear() -> None:
    """Forget every entry (tests; never needed for correctness)."""
    wait_for_refreshes()
    with _lock:
        _entries.clear()
        _latest.clear()
        _stats.update(hits=0, misses=0, lagging=0, waited=0, refreshed=0)


def cache_info() -> dict[str, int]:
    """Entries, hits and misses since the last :func:`clear` (benchmarks and tests);
    ``lagging``/``waited``/``refreshed`` (background computations done) only once they
    happened."""
    with _lock:
        extra = {k: _stats[k] for k in ("lagging", "waited", "refreshed") if _stats[k]}
        return {"entries": len(_entries), "hits": _stats["hits"], "misses": _stats["misses"],
                **extra}  # fmt: skip
