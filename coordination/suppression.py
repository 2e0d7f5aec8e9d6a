"""Small-number suppression for the steering aggregates (pure functions).

Primary suppression: a count of 1 to 4 households is published as ``"<5"``
(0 stays 0). Secondary suppression: every additive relation between published
cells (a total and its parts, e.g. a wijk's households with a provision and
its seven domain combinations) is an *equation*; an equation with exactly one
suppressed cell would give that cell away as total minus the others, so the
smallest other positive cell of it is suppressed too, until no equation has
exactly one suppressed cell (a fixed point: the suppressed set only grows).

This module is the one place that protects a ``kiss``-level figure: the steering
overview (its tables and its trend), the network, the client journey and the
experiment report all publish through it. No other module knows the threshold.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import pandas as pd

__all__ = [
    "SUPPRESSED",
    "THRESHOLD",
    "count_text",
    "is_small",
    "primary",
    "suppress",
    "suppress_share",
    "suppress_table",
    "suppressed_cells",
    "table_equations",
    "too_small",
]

SUPPRESSED = "<5"
THRESHOLD = 5

Equation = tuple[Hashable, Sequence[Hashable]]


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


def suppressed_cells(cells: dict, equations: Iterable[Equation]) -> set:
    """The keys to suppress: primary ones plus the secondary ones the equations require."""
    equations = [(total, list(members)) for total, members in equations]
    order = {key: i for i, key in enumerate(cells)}
    hidden = {k for k, v in cells.items() if is_small(v)}
    changed = True
    while changed:
        changed = False
        for total, members in equations:
            keys = [total, *members]
            if sum(k in hidden for k in keys) != 1:
                continue
            candidates = [k for k in keys if k not in hidden and cells[k] > 0]
            if not candidates:  # an inconsistent equation; nothing left to hide
                continue
            hidden.add(min(candidates, key=lambda k: (cells[k], order[k])))
            changed = True
    return hidden


def suppress(cells: dict, equations: Iterable[Equation] = ()) -> dict:
    """Publishable copy of ``cells``: counts, or ``"<5"`` for suppressed cells.

    ``equations`` are ``(total_key, [member keys])`` with total = sum of members.

    >>> suppress({"T": 12, "a": 3, "b": 4, "c": 5}, [("T", ["a", "b", "c"])])
    {'T': 12, 'a': '<5', 'b': '<5', 'c': 5}
    >>> suppress({"T": 12, "a": 3, "b": 9}, [("T", ["a", "b"])])
    {'T': 12, 'a': '<5', 'b': '<5'}
    """
    hidden = suppressed_cells(cells, equations)
    return {k: (SUPPRESSED if k in hidden else int(v)) for k, v in cells.items()}


def suppress_share(total: int, part: int) -> tuple[int | str, int | str, float | None]:
    """A total, a part of it and the share, protected together: ``(total, part, share)``.

    A total under 5 shows only ``"<5"``; otherwise the part (and the share it could be
    derived from) is hidden when it, or the rest, is 1 to 4 (the relation total = part
    + rest is an equation of :func:`suppress`).

    >>> [suppress_share(t, p) for t, p in ((3, 1), (10, 8), (12, 12))]
    [('<5', '<5', None), (10, '<5', None), (12, 12, 1.0)]
    """
    if too_small(total):
        return SUPPRESSED, SUPPRESSED, None
    pub = suppress({"total": total, "part": part, "rest": total - part},
                   [("total", ["part", "rest"])])  # fmt: skip
    if pub["part"] == SUPPRESSED:
        return int(total), SUPPRESSED, None
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
    >>> suppress_table(t).loc["A"].tolist()
    ['<5', '<5', 9]
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
