"""A process cache of the population's fact columns, per table and data version.

Every stacking of the whole population (the steering overview, the regie gaps a GBD-er
opens, ``kiss report stacking``) starts by reading the same rows again: at 135,000
households on PostgreSQL 0.45 s of SQL and 0.2 s of turning rows into numpy columns,
before 13 ms of evaluation. Those rows only change when a writer commits, and the data
version (:mod:`households.dataversion`) says when. So :func:`coordination.facts.load_facts`
keeps, per fact query, the numpy columns it made, under ``(database instance, URL, query,
parameters, summed write counters of the tables the query reads)``; the next stacking
on the same dates with unchanged tables reads one row of counters instead of the tables.
A help request that commits moves only the help-request counters: the next overview
reads help requests again and takes provisions, debts and schuldstanden from here.

What goes in, and why that is allowed: pseudonymous values only — household and debt
ids, the household key and wijk, domain bits, dates as day numbers, amounts in cents;
never a name, a BSN, an address or a free text. An entry never leaves the domain layer:
it is the input of the same service functions, which check access and write their audit
row on every call, hit or miss; the cache decides nothing about who may see what. The
columns are read-only, so no caller can change what the next one gets. Bounded by
``KISS_FEITEN_CACHE_MB`` (default 1024; 0 = off), least recently used out. Each app
process has its own; nothing is shared between processes or written to disk.

Versions are read BEFORE the rows (a result is never filed under a version newer than
its data), and a transaction that wrote data itself neither reads nor files entries:
its counters would be taken back by a rollback and reached again by other data.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from households.dataversion import DATA_TABLES, INSTANCE_ROW, DataVersion, wrote_data
from households.settings import facts_cache_bytes
from households.snapshots import Schuldstanden

__all__ = ["Versions", "cache_info", "cached", "clear", "read_versions"]

#: ``(URL, database instance, {table: summed counters})`` of one read, or None: no cache.
Versions = tuple[str, int, dict[str, int]] | None

_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple[object, int]] = OrderedDict()  # key -> (value, bytes)
_stats = {"hits": 0, "misses": 0, "bytes": 0}


def read_versions(session: Session, tables: Iterable[str]) -> Versions:
    """The write counters of ``tables`` in one query, or None when the cache must not be
    used here (switched off, or the open transaction wrote data)."""
    if facts_cache_bytes() <= 0 or wrote_data(session):
        return None
    wanted = sorted(set(tables))
    unknown = set(wanted) - set(DATA_TABLES)
    assert not unknown, f"not a data table: {unknown}"
    rows = session.execute(
        select(DataVersion.tabel, func.sum(DataVersion.versie))
        .where(DataVersion.tabel.in_([*wanted, INSTANCE_ROW]))
        .group_by(DataVersion.tabel)
    ).all()  # fmt: skip
    counts = {t: int(v or 0) for t, v in rows}
    instance = counts.pop(INSTANCE_ROW, None)
    if instance is None or set(counts) != set(wanted):  # a database without the counters
        return None
    url = session.get_bind().url.render_as_string(hide_password=True)
    return url, instance, counts


def _frozen(value: object) -> int:
    """Make every array in ``value`` read-only; its size in bytes."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
        return value.nbytes
    if isinstance(value, dict):
        return sum(_frozen(v) for v in value.values())
    if isinstance(value, Schuldstanden):  # its arrays, and the search key it builds later
        return 2 * sum(_frozen(v) for v in value)
    return 0


def cached(
    versions: Versions, name: str, tables: Iterable[str], params: Hashable,
    load: Callable[[], object],
) -> object:  # fmt: skip
    """``load()``'s columns for query ``name`` with ``params``, from the cache when the
    counters of ``tables`` (read in ``versions``) are those they were filed under."""
    if versions is None:
        return load()
    url, instance, counts = versions
    key = (url, instance, name, params, tuple(counts[t] for t in sorted(set(tables))))
    with _lock:
        if (hit := _entries.get(key)) is not None:
            _entries.move_to_end(key)
            _stats["hits"] += 1
            return hit[0]
        _stats["misses"] += 1
    value = load()
    size = _frozen(value)
    limit = facts_cache_bytes()
    if size > limit:
        return value
    with _lock:
        old = _entries.pop(key, None)
        _stats["bytes"] += size - (old[1] if old else 0)
        _entries[key] = (value, size)
        while _stats["bytes"] > limit and _entries:
            _, (_, gone) = _entries.popitem(last=False)
            _stats["bytes"] -= gone
    return value


def clear() -> None:
    """Forget every entry (tests and benchmarks; never needed for correctness)."""
    with _lock:
        _entries.clear()
        _stats.update(hits=0, misses=0, bytes=0)


def cache_info() -> dict[str, int]:
    """Entries, bytes held, hits and misses since the last :func:`clear`."""
    with _lock:
        return {"entries": len(_entries), **_stats}
