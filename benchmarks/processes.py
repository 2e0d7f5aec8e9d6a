"""`kiss bench --users N --processes P`: the simulated staff spread over P processes.

The production recipe runs two or more app processes behind nginx (deploy/), each with
its own interpreter and connection pool. One process with N threads measures something
else: all staff share one interpreter lock. Here each process prepares its own share of
the users, they start together (a wall-clock moment) and their timings are merged.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor

__all__ = ["drive_processes"]

START_DELAY_S = 15.0  # time for every child to start, import and prepare its users


def drive_processes(url: str, users: int, seconds: float, seed: int, processes: int, child,
                    start_delay: float | None = None):  # fmt: skip
    """The merged (times, errors, examples, wall, households, cache figures) of
    ``processes`` runs of ``child`` (a module-level function of ``(url, users, seconds,
    seed, tag, start_at)``); cache figures are summed."""
    shares = [users // processes + (1 if i < users % processes else 0) for i in range(processes)]
    start_at = time.time() + (START_DELAY_S if start_delay is None else start_delay)
    jobs = [(url, n, seconds, seed + 1000 * i, f"p{i}", start_at)
            for i, n in enumerate(shares) if n]  # fmt: skip
    # an executor, not a Pool: a child that dies raises BrokenProcessPool here instead of
    # being replaced for ever; and no child may run past its share of the time
    limit = (START_DELAY_S if start_delay is None else start_delay) + seconds + 300
    with ProcessPoolExecutor(len(jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(child, jobs, timeout=limit))
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    examples: dict[str, str] = {}
    caches: dict[str, int] = defaultdict(int)
    for t, e, x, *_, cache in results:
        for name, k in cache.items():
            caches[name] += k
        for op, values in t.items():
            times[op].extend(values)
        for op, k in e.items():
            errors[op] += k
        for op, text in x.items():
            examples.setdefault(op, text)
    wall = max(r[3] for r in results)
    return dict(times), dict(errors), examples, wall, results[0][4], dict(caches)
