"""Disclosure control of the steering figures (DESIGN 4.6; pure functions).

Method: cell suppression with protection intervals, the practice of CBS and of
the tau-argus manual (Hundepool et al., *Statistical Disclosure Control*, 2012):

- **Primary**: a count of 1 to 4 households is published as ``"<5"`` (0 stays 0).
- **Secondary**: every relation between published cells (a total and its parts, a
  part at most its whole, e.g. a wijk's households with a provision and its domain
  combinations) is known to the reader. Hidden cells are chosen until an interval
  attack over all relations together (:func:`coordination.intervals.feasible_intervals`:
  the lowest and highest value of each hidden cell over the linear programme) pins
  no ``"<5"`` cell to one value and narrows no other hidden cell to a range under
  ``PROTECTION``. Secondary cells are published as ``"x"`` (the CBS sign), never as a
  false ``"<5"``; only positive cells are ever hidden, so the attack may assume
  ``x >= 1``.

This module is the one place that protects a ``kiss``-level figure: the steering
overview (its tables and its trend), the network, the client journey and the
experiment report all publish through it. No other module knows the threshold.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import pandas as pd

from coordination.intervals import Relation, components, feasible_intervals, relations_of

__all__ = [
    "HIDDEN", "PROTECTION", "SECONDARY", "SUPPRESSED", "THRESHOLD", "count_text", "is_hidden",
    "is_small", "primary", "suppress", "suppress_checked", "suppress_share", "suppress_table",
    "suppressed_cells", "table_equations", "too_small", "withhold",
]  # fmt: skip

SUPPRESSED = "<5"
SECONDARY = "x"
HIDDEN = (SUPPRESSED, SECONDARY)
THRESHOLD = 5
PROTECTION = 5  # the narrowest range an attacker may derive for an "x" cell

Equation = tuple[Hashable, Sequence[Hashable]]
Inequality = tuple[Sequence[Hashable], Sequence[Hashable]]  # sum(smaller) <= sum(larger)


def is_hidden(value) -> bool:
    """A published value that is suppressed (``"<5"`` or ``"x"``).

    >>> [is_hidden(v) for v in (0, 7, "<5", "x")]
    [False, False, True, True]
    """
    return isinstance(value, str) and value in HIDDEN


def is_small(value: int) -> bool:
    """A count of 1 to 4 households: primary suppressed (0 is published as 0).

    >>> [is_small(v) for v in (0, 1, 4, 5)]
    [False, True, True, False]
    """
    return 0 < value < THRESHOLD


def too_small(n: int) -> bool:
    """A group too small (fewer than 5 households, 0 included) for an amount, share or estimate.

    >>> [too_small(n) for n in (0, 4, 5)]
    [True, True, False]
    """
    return n < THRESHOLD


def primary(value: int) -> int | str:
    """Primary suppression of one count.

    >>> [primary(v) for v in (0, 1, 4, 5, 12)]
    [0, '<5', '<5', 5, 12]
    """
    return SUPPRESSED if is_small(value) else int(value)


def count_text(value: int) -> str:
    """A primary-suppressed count as text (for HTML and CSV reports).

    >>> [count_text(v) for v in (0, 3, 12)]
    ['0', '<5', '12']
    """
    return str(primary(value))


def _margins(cells: dict, equations: list, hidden: set, order: dict, keep: set) -> None:
    """Cheap first pass: no equation with exactly one hidden cell (adds to ``hidden``)."""
    changed = True
    while changed:
        changed = False
        for total, members in equations:
            keys = [total, *members]
            if sum(k in hidden for k in keys) != 1:
                continue
            candidates = [k for k in keys if k not in hidden and k not in keep and cells[k] > 0]
            if not candidates:  # an inconsistent equation; nothing left to hide
                continue
            hidden.add(min(candidates, key=lambda k: (cells[k], order[k])))
            changed = True


def _unsafe(key, interval: tuple[float, float], cells: dict) -> bool:
    lo, hi = interval
    return hi - lo < (1 if is_small(cells[key]) else PROTECTION)


def _partner(key, component: list, relations: list[Relation], cells: dict, hidden: set, ctx):
    """The published positive cell to hide next to protect ``key`` (smallest first)."""
    order, keep = ctx
    for scope in ([key], component):
        for sense in ("=", "<="):
            near = {k for coef, s in relations if s == sense and any(c in coef for c in scope)
                    for k in coef if k not in hidden | keep and cells[k] > 0}  # fmt: skip
            if near:
                return min(near, key=lambda k: (cells[k], order[k]))
    return None


def _hide(cells: dict, equations: list, relations: list, order: dict, keep: set, cache: dict,
          must_hide: frozenset = frozenset()):  # fmt: skip
    """Greedy protection: primary cells, then partners until the audit passes or none is left.

    Returns the hidden set and its feasibility intervals. Cells in ``keep`` stay published;
    cells in ``must_hide`` are hidden (hidden in an earlier publication they are part of).
    """
    hidden = {k for k, v in cells.items() if is_small(v)} | set(must_hide)
    _margins(cells, equations, hidden, order, keep)
    while True:
        ordered = sorted(hidden, key=order.__getitem__)  # deterministic choices
        bounds = {k: (1, THRESHOLD - 1) if is_small(cells[k]) else (1, None) for k in ordered}
        intervals = feasible_intervals(cells, bounds, relations, cache)
        added = False
        for comp in components(ordered, relations):
            for k in [k for k in comp if _unsafe(k, intervals[k], cells)]:
                extra = _partner(k, comp, relations, cells, hidden, (order, keep))
                if extra is not None:
                    hidden.add(extra)
                    added = True
        if not added:
            return hidden, intervals


def suppressed_cells(
    cells: dict, equations: Iterable[Equation] = (), inequalities: Iterable[Inequality] = ()
) -> set:
    """The keys to hide: the primary ones plus the secondary ones protection requires."""
    return _protect(cells, equations, inequalities)[0]


def _protect(
    cells: dict, equations, inequalities, published=frozenset(), must_hide=frozenset()
) -> tuple[set, bool]:
    """Hidden keys and whether the audit passes for all of them.

    A secondary cell that cannot be given a range of ``PROTECTION`` (its relations hold
    only small cells, e.g. a total of wijk cells that are all 1 to 4) is published
    instead, and the cells are chosen again without it.
    """
    equations = [(total, list(members)) for total, members in equations]
    relations = relations_of(equations, inequalities)
    order = {key: i for i, key in enumerate(cells)}
    keep: set = set(published)
    while True:
        cache: dict = {}  # intervals depend on the published cells: fresh per attempt
        hidden, intervals = _hide(cells, equations, relations, order, keep, cache, must_hide)
        unsafe = {k for k in hidden if _unsafe(k, intervals[k], cells)}
        narrow = {k for k in unsafe if not is_small(cells[k])}
        if not unsafe or not narrow - keep:
            return hidden, not unsafe
        keep |= narrow


def withhold(cells: dict) -> dict:
    """Every positive cell as ``"x"`` (zeros stay): the last resort for a population too
    small to publish in any detail. Nothing is bounded, so nothing can be derived.

    >>> withhold({"a": 0, "b": 3, "c": 12})
    {'a': 0, 'b': 'x', 'c': 'x'}
    """
    return {k: SECONDARY if v > 0 else 0 for k, v in cells.items()}


def suppress_checked(
    cells: dict,
    equations: Iterable[Equation] = (),
    inequalities: Iterable[Inequality] = (),
    published: Iterable = (),
    hidden: Iterable = (),
) -> tuple[dict, bool]:
    """:func:`suppress` and whether the interval audit holds for every hidden cell.

    When it does not (tiny populations: cells bounded by small cells only), the caller
    publishes less (a coarser table, or :func:`withhold`). ``published`` and ``hidden``
    are cells an earlier publication already showed or hid (they keep that state), so a
    table that shares a relation with it is protected together with what is already out.
    """
    hidden, ok = _protect(cells, equations, inequalities, frozenset(published), frozenset(hidden))
    return _publish(cells, hidden), ok


def _publish(cells: dict, hidden: set) -> dict:
    return {k: (primary(v) if k in hidden and is_small(v) else SECONDARY if k in hidden
                else int(v)) for k, v in cells.items()}  # fmt: skip


def suppress(
    cells: dict, equations: Iterable[Equation] = (), inequalities: Iterable[Inequality] = ()
) -> dict:
    """Publishable copy of ``cells``: counts, ``"<5"`` (primary) or ``"x"`` (secondary).

    ``equations`` are ``(total_key, [member keys])`` with total = sum of members;
    ``inequalities`` are ``([smaller keys], [larger keys])``: sum of smaller <= sum of larger.

    >>> suppress({"T": 12, "a": 3, "b": 4, "c": 5}, [("T", ["a", "b", "c"])])
    {'T': 12, 'a': '<5', 'b': '<5', 'c': 5}
    >>> suppress({"T": 30, "a": 3, "b": 9, "c": 18}, [("T", ["a", "b", "c"])])
    {'T': 30, 'a': '<5', 'b': 'x', 'c': 'x'}

    When no choice of hidden cells passes the interval audit (a tiny table whose totals
    would pin a small cell), every positive cell is hidden (``"<5"`` or ``"x"``):

    >>> suppress({"T": 7, "a": 2, "b": 5, "a1": 1, "a2": 1, "b1": 2, "b2": 3, "k1": 3,
    ...           "k2": 4}, [("T", ["a", "b"]), ("a", ["a1", "a2"]), ("b", ["b1", "b2"]),
    ...                      ("k1", ["a1", "b1"]), ("k2", ["a2", "b2"]), ("T", ["k1", "k2"])])
    {'T': 'x', 'a': '<5', 'b': 'x', 'a1': '<5', 'a2': '<5', 'b1': '<5', 'b2': '<5', 'k1': '<5', \
'k2': '<5'}
    """
    published, ok = suppress_checked(cells, equations, inequalities)
    return published if ok else _publish(cells, {k for k, v in cells.items() if v > 0})


def suppress_share(total: int, part: int) -> tuple[int | str, int | str, float | None]:
    """A total, a part of it and the share, protected together: ``(total, part, share)``.

    A total under 5 shows only ``"<5"``; otherwise the part (and the share it could be
    derived from) is hidden when it, or the rest, is 1 to 4, and the total with it when
    the part could otherwise be narrowed to fewer than 5 values (total = part + rest is
    an equation of :func:`suppress`).

    >>> [suppress_share(t, p) for t, p in ((3, 1), (10, 8), (30, 22), (12, 12))]
    [('<5', '<5', None), ('x', 'x', None), (30, 22, 0.733), (12, 12, 1.0)]
    """
    if too_small(total):
        return primary(total), primary(part) if part else SUPPRESSED, None
    pub = suppress({"total": total, "part": part, "rest": total - part},
                   [("total", ["part", "rest"])])  # fmt: skip
    if is_hidden(pub["part"]) or is_hidden(pub["total"]):
        return pub["total"], pub["part"], None
    return int(total), int(part), round(part / total, 3)


TOTAL = "Totaal"


def table_equations(rows: Sequence, cols: Sequence, total: str = TOTAL) -> list[Equation]:
    """Equations of a table with a total row and a total column (keys ``(row, col)``)."""
    eqs: list[Equation] = []
    for r in [*rows, total]:
        eqs.append(((r, total), [(r, c) for c in cols]))
    for c in [*cols, total]:
        eqs.append(((total, c), [(r, c) for r in rows]))
    return eqs


def suppress_table(counts: pd.DataFrame, total: str = TOTAL) -> pd.DataFrame:
    """Add a total row and column to a table of counts and suppress it (object dtype).

    >>> t = pd.DataFrame({"x": [3, 10], "y": [6, 10]}, index=["A", "B"])
    >>> suppress_table(t).to_numpy().tolist()
    [['<5', 'x', 'x'], ['x', 'x', 'x'], ['x', 'x', 'x']]
    """
    rows, cols = list(counts.index), list(counts.columns)
    cells = {(r, c): int(counts.at[r, c]) for r in rows for c in cols}
    for r in rows:
        cells[(r, total)] = int(counts.loc[r].sum())
    for c in cols:
        cells[(total, c)] = int(counts[c].sum())
    cells[(total, total)] = int(counts.to_numpy().sum())
    out = suppress(cells, table_equations(rows, cols, total))
    data = {c: [out[(r, c)] for r in [*rows, total]] for c in [*cols, total]}
    return pd.DataFrame(data, index=[*rows, total], dtype=object)
