"""One way to put a chart on a page: the chart, its summary in words, its table on request."""

from __future__ import annotations

import pandas as pd
import streamlit as st

__all__ = ["show_chart"]


def show_chart(
    chart, *, key: str, summary: str, table: pd.DataFrame | None = None, width="stretch"
) -> None:
    """Draw ``chart`` with ``summary`` as its text alternative and as a caption beside it,
    and ``table`` in an "Als tabel" expander (so colour or position never carry meaning alone).
    """
    st.altair_chart(chart, width=width, key=key, alt=summary)
    st.caption(summary)
    if table is not None and not table.empty:
        with st.expander("Als tabel"):
            st.dataframe(table, hide_index=True, key=f"{key}_tabel", placeholder="—")
