"""One way to put a chart on a page: the chart, its summary in words, its table on request."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

__all__ = ["show_chart"]


def show_chart(
    chart, *, key: str, summary: str, table: pd.DataFrame | None = None, width="stretch"
) -> None:
    """Draw ``chart`` with ``summary`` as its text alternative and as a caption beside it,
    and ``table`` in an "Als tabel" expander (so colour or position never carry meaning alone).
    """
    st.altair_chart(_unvalidated(chart), width=width, key=key, alt=summary)
    st.caption(summary)
    if table is not None and not table.empty:
        with st.expander("Als tabel"):
            st.dataframe(table, hide_index=True, key=f"{key}_tabel", placeholder="—")


def _unvalidated(chart):
    """``chart`` drawn without Altair's check against the Vega-Lite JSON schema, which
    Altair runs every time a chart is converted (0.1 s of CPU per chart of the Huishouden
    page at every rerun). The chart builders are checked against the schema in the tests
    (``to_dict()`` in tests/app/test_charts.py), so a wrong chart still fails there.
    """
    unchecked = functools.partial(type(chart).to_dict, chart, validate=False)
    object.__setattr__(chart, "to_dict", unchecked)  # Altair's __setattr__ would make it a
    return chart  # chart property; the instance attribute shadows only the method
