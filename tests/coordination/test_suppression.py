"""Suppression: primary (1..4 -> "<5") and secondary (nothing derivable from margins)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from coordination.suppression import (
    SECONDARY,
    SUPPRESSED,
    TOTAL,
    is_hidden,
    primary,
    suppress,
    suppress_checked,
    suppress_table,
    table_equations,
    withhold,
)


def test_primary():
    assert [primary(v) for v in range(7)] == [0, "<5", "<5", "<5", "<5", 5, 6]


def test_single_small_cell_needs_two_more_degrees_of_freedom():
    # hiding only b would give b = 20 - 12 - a: a range of 3 (a is 1..4); c goes too,
    # and the secondary cells are "x", never a false "<5"
    out = suppress({"T": 20, "a": 2, "b": 6, "c": 12}, [("T", ["a", "b", "c"])])
    assert out == {"T": 20, "a": SUPPRESSED, "b": SECONDARY, "c": SECONDARY}


def test_zero_is_published_and_never_chosen():
    out = suppress({"T": 15, "a": 3, "b": 0, "c": 12}, [("T", ["a", "b", "c"])])
    assert out == {"T": SECONDARY, "a": SUPPRESSED, "b": 0, "c": SECONDARY}


def test_two_small_cells_need_nothing_more():
    out = suppress({"T": 17, "a": 3, "b": 4, "c": 10}, [("T", ["a", "b", "c"])])
    assert out == {"T": 17, "a": SUPPRESSED, "b": SUPPRESSED, "c": 10}


def test_secondary_suppression_cascades_across_margins():
    t = pd.DataFrame({"x": [3, 10, 20], "y": [6, 10, 30], "z": [9, 40, 50]}, index=["A", "B", "C"])
    out = suppress_table(t)
    assert out.at["A", "x"] == SUPPRESSED
    assert sum(out.loc["A"] == SECONDARY) >= 1 and sum(out["x"] == SECONDARY) >= 1
    assert out.at[TOTAL, TOTAL] == 178  # the grand total stays


def test_an_inequality_is_part_of_the_attack():
    # gaps <= complex: with complex published as 6, hiding gaps = 5 alone leaves it 1..6
    out = suppress({"complex": 6, "gaps": 5, "small": 2, "T": 7}, [("T", ["gaps", "small"])],
                   [(["gaps"], ["complex"])])  # fmt: skip
    assert out["small"] == SUPPRESSED and is_hidden(out["gaps"]) and is_hidden(out["T"])


def test_an_unprotectable_table_is_reported():
    # a total of small cells only: published, a + b = 5 leaves a in 1..4
    cells = {"T": 5, "a": 1, "b": 4}
    _, ok = suppress_checked(cells, [("T", ["a", "b"])])
    assert ok  # T published: a in 1..4 (a + b = 5) -- not pinned
    pub, ok = suppress_checked({"T": 8, "a": 4, "b": 4}, [("T", ["a", "b"])])
    assert ok and pub == {"T": SECONDARY, "a": SUPPRESSED, "b": SUPPRESSED}  # T in 2..8
    assert withhold({"T": 8, "a": 4, "b": 0}) == {"T": "x", "a": "x", "b": 0}


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
        hidden = [k for k in keys if is_hidden(out.at[k])]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found


@settings(max_examples=60, deadline=None)
@given(tables)
def test_property_no_small_cell_published_and_none_derivable(values):
    raw = pd.DataFrame(values, index=[f"w{i}" for i in range(len(values))],
                       columns=[f"k{j}" for j in range(len(values[0]))])  # fmt: skip
    out = suppress_table(raw)
    published = [v for v in out.to_numpy().ravel() if not is_hidden(v)]
    assert all(v == 0 or v >= 5 for v in published)
    assert _recoverable(out, raw) == []
    # published values are the true ones
    full = raw.copy()
    full[TOTAL] = raw.sum(axis=1)
    full.loc[TOTAL] = full.sum(axis=0)
    for r in full.index:
        for c in full.columns:
            if not is_hidden(out.at[r, c]):
                assert out.at[r, c] == full.at[r, c]
            else:
                assert full.at[r, c] > 0  # only positive cells are ever hidden
                # "<5" only for a true 1..4 (never a false "<5")
                assert (out.at[r, c] == SUPPRESSED) == (full.at[r, c] < 5)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=8))
def test_property_one_dimensional(parts):
    cells = {"T": sum(parts), **{f"p{i}": v for i, v in enumerate(parts)}}
    out = suppress(cells, [("T", [f"p{i}" for i in range(len(parts))])])
    assert sum(is_hidden(v) for v in out.values()) != 1
    assert all(is_hidden(v) or v == 0 or v >= 5 for v in out.values())
