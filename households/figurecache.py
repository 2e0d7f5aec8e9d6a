"""A process cache of PROTECTED steering aggregates, per reference date and data version.

The steering pages (KISS-overzicht, Netwerk, Evaluatie) compute their figures from the
whole population: seconds at regional size. The figures only change when the data do,
so a service files its finished, already protected result here under
``(database, report, parameters, data version)`` (:mod:`households.dataversion`) and the
next page run with the same reference date gets it back in microseconds. Any committed
write to one of the report's tables raises the version, and the next run recomputes.

What may go in: aggregates exactly as the service hands them to every caller — after
suppression, never a household, a person or an unprotected count. Access checks and
audit rows stay in the service and run on every call, hit or miss; the cache never
decides who may see what. Values are deep-copied in and out, so a caller cannot change
what the next caller gets. Bounded (:data:`MAX_ENTRIES`, least recently used out).
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from households.dataversion import DATA_TABLES, DataVersion, wrote_data

__all__ = ["MAX_ENTRIES", "cache_info", "cached_figures", "clear"]

MAX_ENTRIES = 64
T = TypeVar("T")

_lock = threading.Lock()
_entries: OrderedDict[tuple, object] = OrderedDict()
_stats = {"hits": 0, "misses": 0}


def _version(session: Session, tables: Iterable[str]) -> tuple:
    """(database instance token, summed write counters of ``tables``) in one query."""
    wanted = set(tables)
    unknown = wanted - set(DATA_TABLES)
    assert not unknown, f"not a data table: {sorted(unknown)}"
    rows = session.execute(
        select(DataVersion.tabel, DataVersion.versie).where(
            DataVersion.tabel.in_(sorted(wanted | {INSTANCE_ROW}))
        )
    ).all()
    instance = next((v for t, v in rows if t == INSTANCE_ROW), None)
    return instance, sum(v for t, v in rows if t != INSTANCE_ROW)


#: A random number per database (written by the migration), so two databases at the same
#: URL one after the other (a restore, a test's fresh database) never share entries.
INSTANCE_ROW = "_instantie"


def cached_figures(
    session: Session,
    report: str,
    params: Hashable,
    compute: Callable[[], T],
    tables: Iterable[str] = DATA_TABLES,
) -> T:
    """The protected result of ``compute()`` for ``(report, params)`` at the current data.

    ``tables`` are the data tables the report reads (default: all of them). The version
    is read before ``compute`` runs, so a result is never filed under a version newer
    than the data it was computed from.
    """
    bind = session.get_bind()
    key = (bind.url.render_as_string(hide_password=True), report, params,
           *_version(session, tables))  # fmt: skip
    if wrote_data(session):  # uncommitted writes: their counters may be taken back
        return compute()
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            _stats["hits"] += 1
            return copy.deepcopy(_entries[key])
        _stats["misses"] += 1
    value = compute()
    if wrote_data(session):  # computing wrote data (a first default rule set): not filed
        return value
    with _lock:
        _entries[key] = copy.deepcopy(value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Forget every entry (tests; never needed for correctness)."""
    with _lock:
        _entries.clear()
        _stats.update(hits=0, misses=0)


def cache_info() -> dict[str, int]:
    """Entries, hits and misses since the last :func:`clear` (benchmarks and tests)."""
    with _lock:
        return {"entries": len(_entries), **_stats}
