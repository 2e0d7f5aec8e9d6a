"""The machine a benchmark ran on, how busy it was, and honest repeated timings.

The development machine has 2 cores shared by several developers: a figure measured while
others compile or test is slower, and a ratio of two timings taken a minute apart compares
two different machines. So every figure carries the load it was measured under
(:func:`load_now`: ``/proc/pressure/cpu`` "some avg10" and the load average), a run says
when the machine was busy (:func:`is_busy`), and ratios are medians of interleaved repeats
(:func:`interleaved`): A, B, A, B, ... so both sides see the same background load.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "BUSY_PSI", "BUSY_LOAD_PER_CORE", "REPEATS", "load_now", "is_busy", "load_text",
    "machine", "interleaved", "percentile", "append_row", "timed",
]  # fmt: skip

BUSY_PSI = 20.0  # % of the last 10 s in which some runnable task waited for a CPU
BUSY_LOAD_PER_CORE = 0.75
REPEATS = 5
PSI_CPU = Path("/proc/pressure/cpu")


def _psi_some() -> tuple[float, float] | None:
    try:
        line = next(x for x in PSI_CPU.read_text().splitlines() if x.startswith("some "))
    except (OSError, StopIteration):
        return None
    fields = dict(part.split("=") for part in line.split()[1:])
    return float(fields["avg10"]), float(fields["avg60"])


def load_now() -> dict:
    """How busy the machine is now: CPU pressure (PSI, %) and the load average per core."""
    psi = _psi_some()
    one, five, _ = os.getloadavg()
    return {
        "psi_cpu_some_avg10": None if psi is None else psi[0],
        "psi_cpu_some_avg60": None if psi is None else psi[1],
        "loadavg_1m": round(one, 2),
        "loadavg_5m": round(five, 2),
        "cores": os.cpu_count(),
    }


def is_busy(load: dict) -> bool:
    """True when others were using the CPU: PSI some avg10 ≥ 20 % or load ≥ 0.75 per core.

    >>> is_busy({"psi_cpu_some_avg10": 3.0, "loadavg_1m": 0.4, "cores": 2})
    False
    >>> is_busy({"psi_cpu_some_avg10": 85.0, "loadavg_1m": 0.4, "cores": 2})
    True
    >>> is_busy({"psi_cpu_some_avg10": None, "loadavg_1m": 6.0, "cores": 2})
    True
    """
    psi = load.get("psi_cpu_some_avg10")
    if psi is not None and psi >= BUSY_PSI:
        return True
    return load["loadavg_1m"] >= BUSY_LOAD_PER_CORE * (load.get("cores") or 1)


def load_text(load: dict) -> str:
    """One short line for a table cell, e.g. ``PSI 12 %, load 1.3 (busy)``.

    >>> load_text({"psi_cpu_some_avg10": 85.2, "loadavg_1m": 6.1, "cores": 2})
    'PSI 85 %, load 6.1 (busy)'
    """
    psi = load.get("psi_cpu_some_avg10")
    text = ("" if psi is None else f"PSI {psi:.0f} %, ") + f"load {load['loadavg_1m']}"
    return text + (" (busy)" if is_busy(load) else "")


def machine() -> dict:
    """Cores, memory and Python of this machine."""
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_gb, 1),
        "python": platform.python_version(),
    }


def interleaved(measures: dict[str, Callable[[], float]], repeats: int = REPEATS) -> dict:
    """Run every measure ``repeats`` times, interleaved; medians, all values and the load.

    Each measure returns seconds. The result has ``<name>_s`` (median), ``<name>_all``
    and, for a pair, ``ratio`` = the median of the per-round ratios first/second.

    >>> r = interleaved({"a": lambda: 2.0, "b": lambda: 1.0}, repeats=5)
    >>> (r["a_s"], r["b_s"], r["ratio"], r["repeats"])
    (2.0, 1.0, 2.0, 5)
    """
    if repeats < 1:
        raise ValueError("repeats >= 1")
    before = load_now()
    rounds: list[dict[str, float]] = []
    for _ in range(repeats):
        rounds.append({name: fn() for name, fn in measures.items()})
    out: dict = {"repeats": repeats}
    for name in measures:
        values = [r[name] for r in rounds]
        out[f"{name}_s"] = round(statistics.median(values), 4)
        out[f"{name}_all"] = [round(v, 4) for v in values]
    names = list(measures)
    if len(names) == 2:
        a, b = names
        ratios = [r[a] / r[b] for r in rounds if r[b] > 0]
        out["ratio"] = round(statistics.median(ratios), 2) if ratios else None
        out["ratio_range"] = [round(min(ratios), 2), round(max(ratios), 2)] if ratios else None
    out["load_before"], out["load_after"] = before, load_now()
    out["busy"] = is_busy(before) or is_busy(out["load_after"])
    return out


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; 0.0 for none.

    >>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5)
    3.0
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))]


def append_row(path: Path, table_header: str, row: str) -> None:
    """Insert ``row`` at the end of the Markdown table whose header line starts with
    ``table_header`` (appended at the end of the file when there is no such table)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
    start = next((i for i, x in enumerate(lines) if x.startswith(table_header)), None)
    if start is None:
        lines.append(row)
    else:
        end = start
        while end + 1 < len(lines) and lines[end + 1].startswith("|"):
            end += 1
        lines.insert(end + 1, row)
    path.write_text("".join(lines), encoding="utf-8")


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0
