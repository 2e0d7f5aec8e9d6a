"""Pure statistics for the evaluation: difference-in-differences and mean change.

Uncertainty comes from a seeded percentile bootstrap (numpy). Small groups are
reported honestly: with fewer than :data:`MIN_N_INTERVAL` units in a group the
estimate is given without an interval, and the result says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "MIN_N_INTERVAL",
    "DidResult",
    "ChangeResult",
    "diff_in_diff",
    "mean_change",
    "match_controls",
    "match_levels",
    "smd",
]

MIN_N_INTERVAL = 10
SMALL_N_NOTE = "Geen betrouwbaarheidsinterval: minder dan 10 huishoudens in een groep."


@dataclass(frozen=True)
class DidResult:
    """A difference-in-differences estimate with its bootstrap interval and group sizes."""

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n_treated: int
    n_control: int
    treated_change: float | None
    control_change: float | None
    note: str | None = None

    @property
    def has_interval(self) -> bool:
        """True when a confidence interval was computed."""
        return self.ci_low is not None


@dataclass(frozen=True)
class ChangeResult:
    """Mean change (latest minus baseline) in one group, with a bootstrap interval."""

    mean_before: float | None
    mean_after: float | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    note: str | None = None


def _arrays(*values) -> list[np.ndarray]:
    return [np.asarray(v, dtype=float) for v in values]


def diff_in_diff(
    treated_before, treated_after, control_before, control_after,
    n_boot: int = 2000, seed: int = 0, level: float = 0.95,
) -> DidResult:  # fmt: skip
    """Difference-in-differences of paired before/after values, with a bootstrap CI.

    The estimate is ``mean(treated_after - treated_before) - mean(control_after -
    control_before)``. The interval resamples households within each group
    (pairs stay together), ``n_boot`` times with ``seed``.

    >>> r = diff_in_diff([1, 2], [3, 4], [1, 1], [2, 2])
    >>> r.estimate, r.ci_low, r.note is not None
    (1.0, None, True)
    """
    tb, ta, cb, ca = _arrays(treated_before, treated_after, control_before, control_after)
    if len(tb) != len(ta) or len(cb) != len(ca):
        raise ValueError("before and after must have the same length within a group")
    nt, nc = len(tb), len(cb)
    if nt == 0 or nc == 0:
        return DidResult(None, None, None, nt, nc, None, None,
                         "Geen schatting: een van de groepen is leeg.")  # fmt: skip
    dt_, dc = ta - tb, ca - cb
    t_change, c_change = float(dt_.mean()), float(dc.mean())
    estimate = t_change - c_change
    if nt < MIN_N_INTERVAL or nc < MIN_N_INTERVAL:
        return DidResult(estimate, None, None, nt, nc, t_change, c_change, SMALL_N_NOTE)
    rng = np.random.default_rng(seed)
    ti = rng.integers(0, nt, size=(n_boot, nt))
    ci = rng.integers(0, nc, size=(n_boot, nc))
    boot = dt_[ti].mean(axis=1) - dc[ci].mean(axis=1)
    alpha = (1 - level) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha])
    return DidResult(estimate, float(low), float(high), nt, nc, t_change, c_change)


def mean_change(before, after, n_boot: int = 2000, seed: int = 0, level: float = 0.95):
    """Mean of ``after - before`` over paired values, with a bootstrap CI (n >= 10).

    >>> mean_change([1, 2, 3], [2, 4, 3]).estimate
    1.0
    """
    b, a = _arrays(before, after)
    n = len(b)
    if n == 0:
        return ChangeResult(None, None, None, None, None, 0, "Nog geen gegevens.")
    d = a - b
    est = float(d.mean())
    if n < MIN_N_INTERVAL:
        return ChangeResult(float(b.mean()), float(a.mean()), est, None, None, n, SMALL_N_NOTE)
    rng = np.random.default_rng(seed)
    boot = d[rng.integers(0, n, size=(n_boot, n))].mean(axis=1)
    alpha = (1 - level) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha])
    return ChangeResult(float(b.mean()), float(a.mean()), est, float(low), float(high), n)


def match_controls(
    treated: pd.DataFrame, pool: pd.DataFrame, keys: list[str], k: int = 3, seed: int = 0
) -> pd.DataFrame:
    """Exact matching: up to ``k`` pool rows per treated row with equal ``keys``.

    ``treated`` and ``pool`` are indexed by household id; a pool household is
    used at most once. Returns rows ``treated_id``, ``control_id`` (deterministic
    for a seed).

    >>> t = pd.DataFrame({"p": ["a", "b"]}, index=[1, 2])
    >>> c = pd.DataFrame({"p": ["a", "a", "c"]}, index=[10, 11, 12])
    >>> match_controls(t, c, ["p"], k=1, seed=1)["treated_id"].tolist()
    [1]
    """
    rng = np.random.default_rng(seed)
    available: dict[tuple, list] = {}
    for key, group in pool.groupby(keys, sort=True):
        ids = sorted(group.index.tolist())
        rng.shuffle(ids)
        available[key if isinstance(key, tuple) else (key,)] = ids
    pairs = []
    for tid, row in treated.sort_index().iterrows():
        key = tuple(row[c] for c in keys)
        ids = available.get(key, [])
        for _ in range(min(k, len(ids))):
            pairs.append((tid, ids.pop()))
    return pd.DataFrame(pairs, columns=["treated_id", "control_id"])


def match_levels(
    treated: pd.DataFrame, pool: pd.DataFrame, levels: list[list[str]], k: int = 3, seed: int = 0
) -> pd.DataFrame:
    """Exact matching on the first key set; treated rows left without any control are
    matched on the next (coarser) set, and so on. A pool row is used at most once.

    Returns ``treated_id``, ``control_id``, ``niveau`` (index of the key set used).

    >>> t = pd.DataFrame({"a": [1, 1], "b": [0, 1]}, index=[1, 2])
    >>> c = pd.DataFrame({"a": [1, 1], "b": [0, 0]}, index=[10, 11])
    >>> match_levels(t, c, [["a", "b"], ["a"]], k=1)[["treated_id", "niveau"]].values.tolist()
    [[1, 0], [2, 1]]
    """
    out, left, free = [], treated, pool
    for level, keys in enumerate(levels):
        if left.empty or free.empty:
            break
        pairs = match_controls(left, free, keys, k, seed + level)
        out.append(pairs.assign(niveau=level))
        free = free.drop(index=pairs["control_id"].tolist())
        left = left.drop(index=list(set(pairs["treated_id"])))
    if not out:
        return pd.DataFrame(columns=["treated_id", "control_id", "niveau"])
    return pd.concat(out, ignore_index=True)


def smd(treated, control) -> float | None:
    """Standardized mean difference: (mean_t - mean_c) / sqrt((var_t + var_c) / 2).

    Both variances 0: 0 when the means are equal, else None (undefined).

    >>> round(smd([1, 2, 3], [2, 3, 4]), 3)
    -1.0
    """
    t, c = np.asarray(treated, dtype=float), np.asarray(control, dtype=float)
    if len(t) == 0 or len(c) == 0:
        return None
    pooled = np.sqrt((t.var(ddof=1 if len(t) > 1 else 0) + c.var(ddof=1 if len(c) > 1 else 0)) / 2)
    diff = float(t.mean() - c.mean())
    if pooled == 0:
        return 0.0 if diff == 0 else None
    return diff / float(pooled)
