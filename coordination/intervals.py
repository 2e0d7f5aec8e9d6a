"""Feasibility intervals of hidden cells: what an attacker can derive from published figures.

The published cells of one overview are linked by *relations*: equations (a total and its
parts) and inequalities (a part is at most its whole). Given the published values, the
range each hidden cell is known to lie in and all relations, the attacker's best bounds
for a hidden cell are the minimum and maximum of that cell over the linear programme
(the classic *audit* of cell suppression; Hundepool et al., *Statistical Disclosure
Control*, 2012, section 5.3). The relations split into independent components (hidden
cells linked through a relation); each component is solved on its own with HiGHS.

Pure functions, no threshold: the protection rule lives in
:mod:`coordination.suppression`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linprog

__all__ = ["Relation", "components", "feasible_intervals", "relations_of"]

# ({key: coefficient}, sense): sum(coefficient * cell) == 0 ("=") or <= 0 ("<=")
Relation = tuple[dict[Hashable, int], str]


def relations_of(
    equations: Iterable[tuple[Hashable, Sequence[Hashable]]] = (),
    inequalities: Iterable[tuple[Sequence[Hashable], Sequence[Hashable]]] = (),
) -> list[Relation]:
    """Equations ``(total, parts)`` and inequalities ``(smaller, larger)`` as relations.

    >>> relations_of([("T", ["a", "b"])], [(["a"], ["T"])])
    [({'T': 1, 'a': -1, 'b': -1}, '='), ({'a': 1, 'T': -1}, '<=')]
    """
    out: list[Relation] = []
    for total, parts in equations:
        coef: dict[Hashable, int] = {total: 1}
        for p in parts:
            coef[p] = coef.get(p, 0) - 1
        out.append((coef, "="))
    for smaller, larger in inequalities:
        coef = {}
        for p in smaller:
            coef[p] = coef.get(p, 0) + 1
        for p in larger:
            coef[p] = coef.get(p, 0) - 1
        out.append((coef, "<="))
    return out


def components(hidden: Iterable[Hashable], relations: Sequence[Relation]) -> list[list]:
    """Groups of hidden cells linked through relations (union-find), each sorted by first use."""
    parent: dict = {k: k for k in hidden}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for coef, _ in relations:
        keys = [k for k in coef if k in parent]
        for k in keys[1:]:
            a, b = find(keys[0]), find(k)
            if a != b:
                parent[b] = a
    groups: dict = {}
    for k in parent:
        groups.setdefault(find(k), []).append(k)
    return list(groups.values())


def _solve_component(
    keys: list, cells: Mapping, bounds: Mapping, relations: Sequence[Relation]
) -> dict:
    index = {k: i for i, k in enumerate(keys)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for coef, sense in relations:
        if not any(k in index for k in coef):
            continue
        row = np.zeros(len(keys))
        rhs = 0.0
        for k, c in coef.items():
            if k in index:
                row[index[k]] += c
            else:
                rhs -= c * cells[k]
        (a_eq if sense == "=" else a_ub).append(row)
        (b_eq if sense == "=" else b_ub).append(rhs)
    lp_bounds = [bounds[k] for k in keys]
    kwargs = {
        "A_eq": np.array(a_eq) if a_eq else None, "b_eq": b_eq or None,
        "A_ub": np.array(a_ub) if a_ub else None, "b_ub": b_ub or None,
        "bounds": lp_bounds, "method": "highs",
    }  # fmt: skip
    out = {}
    for i, k in enumerate(keys):
        c = np.zeros(len(keys))
        c[i] = 1.0
        low = linprog(c, **kwargs)
        high = linprog(-c, **kwargs)
        lo = np.ceil(low.fun - 1e-6) if low.status == 0 else -np.inf
        hi = np.floor(-high.fun + 1e-6) if high.status == 0 else np.inf
        out[k] = (float(lo), float(hi))
    return out


def feasible_intervals(
    cells: Mapping,
    bounds: Mapping[Hashable, tuple[float, float | None]],
    relations: Sequence[Relation],
    cache: dict | None = None,
) -> dict:
    """``{hidden key: (lowest, highest)}`` value consistent with everything published.

    ``cells`` holds the published values (hidden ones are ignored), ``bounds`` the known
    range of each hidden cell (``None`` = no upper bound). An unbounded side is ``inf``.
    ``cache`` (optional) keeps the answers of components already solved.

    >>> rel = relations_of([("T", ["a", "b", "c"])])
    >>> feasible_intervals({"T": 20, "c": 12}, {"a": (1, 4), "b": (1, None)}, rel)
    {'a': (1.0, 4.0), 'b': (4.0, 7.0)}
    """
    cache = {} if cache is None else cache
    out: dict = {}
    for keys in components(bounds, relations):
        key = frozenset(keys)
        if key not in cache:
            cache[key] = _solve_component(keys, cells, bounds, relations)
        out.update(cache[key])
    return out
