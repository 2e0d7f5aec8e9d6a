"""Suppression: primary (1..4 -> "<5") and secondary (nothing derivable from margins)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from coordination.suppression import (
    SUPPRESSED,
    TOTAL,
    primary,
    suppress,
    suppress_table,
    table_equations,
)


def test_primary():
    assert [primary(v) for v in range(7)] == [0, "<5", "<5", "<5", "<5", 5, 6]


def test_single_small_cell_takes_the_next_smallest_with_it():
    out = suppress({"T": 20, "a": 2, "b": 6, "c": 12}, [("T", ["a", "b", "c"])])
    assert out == {"T": 20, "a": SUPPRESSED, "b": SUPPRESSED, "c": 12}


def test_zero_is_published_and_never_chosen():
    out = suppress({"T": 15, "a": 3, "b": 0, "c": 12}, [("T", ["a", "b", "c"])])
    assert out == {"T": 15, "a": SUPPRESSED, "b": 0, "c": SUPPRESSED}


def test_two_small_cells_need_nothing_more():
    out = suppress({"T": 17, "a": 3, "b": 4, "c": 10}, [("T", ["a", "b", "c"])])
    assert out == {"T": 17, "a": SUPPRESSED, "b": SUPPRESSED, "c": 10}


def test_secondary_suppression_cascades_across_margins():
    t = pd.DataFrame({"x": [3, 10], "y": [6, 10]}, index=["A", "B"])
    out = suppress_table(t)
    assert out.loc["A"].tolist() == [SUPPRESSED, SUPPRESSED, 9]
    assert out.loc["B"].tolist() == [SUPPRESSED, SUPPRESSED, 20]
    assert out.loc[TOTAL].tolist() == [13, 16, 29]


def test_a_small_total_hides_its_only_part():
    out = suppress({"T": 3, "a": 3, "b": 0}, [("T", ["a", "b"])])
    assert out == {"T": SUPPRESSED, "a": SUPPRESSED, "b": 0}


tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=cols,
                     max_size=cols),
            min_size=rows, max_size=rows,
        )
    )
)  # fmt: skip


def _recoverable(out: pd.DataFrame, raw: pd.DataFrame) -> list:
    """Cells that are suppressed but equal total minus the published cells of a margin."""
    rows, cols = list(raw.index), list(raw.columns)
    found = []
    for total, members in table_equations(rows, cols):
        keys = [total, *members]
        hidden = [k for k in keys if out.at[k] == SUPPRESSED]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found


@settings(max_examples=300, deadline=None)
@given(tables)
def test_property_no_small_cell_published_and_none_derivable(values):
    raw = pd.DataFrame(values, index=[f"w{i}" for i in range(len(values))],
                       columns=[f"k{j}" for j in range(len(values[0]))])  # fmt: skip
    out = suppress_table(raw)
    published = [v for v in out.to_numpy().ravel() if v != SUPPRESSED]
    assert all(v == 0 or v >= 5 for v in published)
    assert _recoverable(out, raw) == []
    # published values are the true ones
    full = raw.copy()
    full[TOTAL] = raw.sum(axis=1)
    full.loc[TOTAL] = full.sum(axis=0)
    for r in full.index:
        for c in full.columns:
            if out.at[r, c] != SUPPRESSED:
                assert out.at[r, c] == full.at[r, c]
            else:
                assert full.at[r, c] > 0  # only positive cells are ever hidden


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=8))
def test_property_one_dimensional(parts):
    cells = {"T": sum(parts), **{f"p{i}": v for i, v in enumerate(parts)}}
    out = suppress(cells, [("T", [f"p{i}" for i in range(len(parts))])])
    assert sum(v == SUPPRESSED for v in out.values()) != 1
    assert all(v == SUPPRESSED or v == 0 or v >= 5 for v in out.values())
