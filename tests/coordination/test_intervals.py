"""The feasibility intervals (HiGHS, one model per component, warm starts and skipped sides)
against an independent solver: scipy's ``linprog``, one fresh programme per question."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from coordination.intervals import feasible_intervals, relations_of


def _oracle(cells: dict, bounds: dict, relations) -> dict:
    keys = list(bounds)
    index = {k: i for i, k in enumerate(keys)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for coef, sense in relations:
        if not any(k in index for k in coef):
            continue
        row, rhs = np.zeros(len(keys)), 0.0
        for k, c in coef.items():
            if k in index:
                row[index[k]] += c
            else:
                rhs -= c * cells[k]
        (a_eq if sense == "=" else a_ub).append(row)
        (b_eq if sense == "=" else b_ub).append(rhs)
    kwargs = {
        "A_eq": np.array(a_eq) if a_eq else None, "b_eq": b_eq or None,
        "A_ub": np.array(a_ub) if a_ub else None, "b_ub": b_ub or None,
        "bounds": [bounds[k] for k in keys], "method": "highs",
    }  # fmt: skip
    out = {}
    for k, i in index.items():
        c = np.zeros(len(keys))
        c[i] = 1.0
        low, high = linprog(c, **kwargs), linprog(-c, **kwargs)
        lo = np.ceil(low.fun - 1e-6) if low.status == 0 else -np.inf
        hi = np.floor(-high.fun + 1e-6) if high.status == 0 else np.inf
        out[k] = (float(lo), float(hi))
    return out


@st.composite
def tables(draw):
    """A table of counts with row totals, column totals, a grand total and one inequality
    per row (its first cell at most its second), a random set of hidden cells."""
    n_rows, n_cols = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    inner = {(r, c): draw(st.integers(0, 12)) for r in range(n_rows) for c in range(n_cols)}
    cells = dict(inner)
    for r in range(n_rows):
        cells[(r, "T")] = sum(inner[(r, c)] for c in range(n_cols))
    for c in range(n_cols):
        cells[("T", c)] = sum(inner[(r, c)] for r in range(n_rows))
    cells[("T", "T")] = sum(inner.values())
    eqs = [((r, "T"), [(r, c) for c in range(n_cols)]) for r in range(n_rows)]
    eqs += [(("T", c), [(r, c) for r in range(n_rows)]) for c in range(n_cols)]
    eqs.append((("T", "T"), [(r, "T") for r in range(n_rows)]))
    ineqs = [([(r, 0)], [(r, 1)]) for r in range(n_rows) if inner[(r, 0)] <= inner[(r, 1)]]
    positive = [k for k, v in cells.items() if v > 0]
    hidden = draw(st.lists(st.sampled_from(positive), unique=True)) if positive else []
    bounds = {k: (1, 4) if cells[k] < 5 else (1, None) for k in hidden}
    return cells, bounds, relations_of(eqs, ineqs)


# found by this test in CI: a warm start after an unbounded question ended in HiGHS's
# "unknown" status, which was taken for "no bound" and widened three intervals
_T = {(0, 0): 6, (0, 1): 5, (1, 0): 5, (1, 1): 1, (2, 0): 1, (2, 1): 0, (0, "T"): 11,
      (1, "T"): 6, (2, "T"): 1, ("T", 0): 12, ("T", 1): 6, ("T", "T"): 18}  # fmt: skip
_HIDDEN = [(1, 0), ("T", 1), ("T", "T"), (0, 0), (0, 1), (1, 1), (2, 0), (0, "T"), (1, "T"),
           ("T", 0)]  # fmt: skip
_WARM_START_CASE = (
    _T,
    {k: (1, 4) if _T[k] < 5 else (1, None) for k in _HIDDEN},
    relations_of(
        [((r, "T"), [(r, 0), (r, 1)]) for r in range(3)]
        + [(("T", c), [(0, c), (1, c), (2, c)]) for c in range(2)]
        + [(("T", "T"), [(0, "T"), (1, "T"), (2, "T")])]
    ),
)


@settings(max_examples=300, deadline=None)
@given(tables())
@example(_WARM_START_CASE)
def test_intervals_equal_a_fresh_programme_per_question(table):
    cells, bounds, relations = table
    assert feasible_intervals(cells, bounds, relations) == _oracle(cells, bounds, relations)


def test_an_unbounded_side_stays_infinite():
    rel = relations_of([], [(["a"], ["b"])])
    assert feasible_intervals({}, {"a": (1, None), "b": (1, None)}, rel) == {
        "a": (1.0, np.inf), "b": (1.0, np.inf)
    }  # fmt: skip


def test_inconsistent_figures_bound_nothing():
    rel = relations_of([("T", ["a", "b"])])
    assert feasible_intervals({"T": 3}, {"a": (4, None), "b": (4, None)}, rel) == {
        "a": (-np.inf, np.inf), "b": (-np.inf, np.inf)
    }  # fmt: skip
