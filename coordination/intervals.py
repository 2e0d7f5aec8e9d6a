"""Feasibility intervals of hidden cells: what an attacker can derive from published figures.

The published cells of one overview are linked by *relations*: equations (a total and its
parts) and inequalities (a part is at most its whole). Given the published values, the
range each hidden cell is known to lie in and all relations, the attacker's best bounds
for a hidden cell are the minimum and maximum of that cell over the linear programme
(the classic *audit* of cell suppression; Hundepool et al., *Statistical Disclosure
Control*, 2012, section 5.3). The relations split into independent components (hidden
cells linked through a relation); each component is solved on its own with HiGHS: one
model per component, only the objective changes between questions, so each solve starts
from the previous basis.

Pure functions, no threshold: the protection rule lives in
:mod:`coordination.suppression`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Hashable, Iterable, Mapping, Sequence

import highspy
import numpy as np

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


def _without_banner() -> None:
    """HiGHS prints its banner on stdout when a process makes its first solver; a CLI that
    writes a CSV to stdout must not carry it. The first solver is made here, at import, with
    file descriptor 1 pointed at /dev/null for that moment only."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_without_banner()


_S = highspy.HighsModelStatus
_PROVEN = {_S.kOptimal, _S.kUnbounded, _S.kInfeasible, _S.kUnboundedOrInfeasible}


def _solved(solver: highspy.Highs) -> bool:
    """Run the current question: True with an optimum, False when HiGHS proved there is none
    (unbounded or infeasible). A warm start after an unbounded question can end in an
    unknown status: then the question runs again from scratch, and a status still unproven
    raises: a bound that was not proven must never widen an interval (it would let the
    suppression publish a cell it thinks is protected)."""
    solver.run()
    status = solver.getModelStatus()
    if status not in _PROVEN:
        solver.clearSolver()
        solver.run()
        status = solver.getModelStatus()
    if status not in _PROVEN:
        raise RuntimeError(f"HiGHS gaf geen bewezen antwoord ({status})")
    if status != _S.kOptimal:
        solver.clearSolver()  # the next question starts cold, not from a ray
    return status == _S.kOptimal


def _solve_component(
    keys: list, cells: Mapping, bounds: Mapping, relations: Sequence[Relation]
) -> dict:
    """Lowest and highest value of each cell of one component: one HiGHS model whose
    objective changes per question (a warm start from the previous basis).

    Each solution is a feasible point for every cell of the component, so a side already
    reached at the cell's own bound needs no programme of its own.
    """
    index = {k: i for i, k in enumerate(keys)}
    starts, cols, vals, row_lo, row_hi = [0], [], [], [], []
    for coef, sense in relations:
        if not any(k in index for k in coef):
            continue
        rhs = 0.0
        row: dict[int, float] = {}
        for k, c in coef.items():
            if k in index:
                row[index[k]] = row.get(index[k], 0.0) + c
            else:
                rhs -= c * cells[k]
        cols += list(row)
        vals += list(row.values())
        starts.append(len(cols))
        row_lo.append(rhs if sense == "=" else -highspy.kHighsInf)
        row_hi.append(rhs)
    n = len(keys)
    lower = np.array([float(bounds[k][0]) for k in keys])
    upper = np.array([highspy.kHighsInf if bounds[k][1] is None else float(bounds[k][1])
                      for k in keys])  # fmt: skip
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(row_lo)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.zeros(n), lower, upper
    lp.row_lower_, lp.row_upper_ = np.array(row_lo), np.array(row_hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = np.array(starts), np.array(cols, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(vals, dtype=float)
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    seen_lo, seen_hi = np.full(n, np.inf), np.full(n, -np.inf)
    out_lo, out_hi = np.full(n, -np.inf), np.full(n, np.inf)
    everything = np.arange(n, dtype=np.int32)
    for i in range(n):
        for side, sign in ((0, 1.0), (1, -1.0)):
            if side == 0 and seen_lo[i] <= lower[i] + 1e-9:
                out_lo[i] = lower[i]
                continue
            if side == 1 and seen_hi[i] >= upper[i] - 1e-9:
                out_hi[i] = upper[i]
                continue
            cost = np.zeros(n)
            cost[i] = sign
            solver.changeColsCost(n, everything, cost)
            if not _solved(solver):
                continue  # unbounded (or, with inconsistent figures, infeasible): no bound
            x = np.asarray(solver.getSolution().col_value)
            seen_lo, seen_hi = np.minimum(seen_lo, x), np.maximum(seen_hi, x)
            if side == 0:
                out_lo[i] = np.ceil(x[i] - 1e-6)
            else:
                out_hi[i] = np.floor(x[i] + 1e-6)
    return {k: (float(out_lo[i]), float(out_hi[i])) for k, i in index.items()}


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
