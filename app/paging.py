"""A page control for long lists: the page number lives in ``st.session_state[key]``.

Read :func:`page_number` before the service call (the list is fetched one page at a
time), render :func:`page_control` after it with the result's ``pagina``/``n_paginas``.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["page_number", "page_control"]


def page_number(key: str) -> int:
    """The page the user asked for (1 when none yet)."""
    value = st.session_state.get(key, 1)
    return value if isinstance(value, int) and value >= 1 else 1


def page_control(where, key: str, pagina: int, n_paginas: int, melding: str) -> None:
    """Say which part of the list is shown; a page number input when there is more than one."""
    if n_paginas > 1:
        st.session_state[key] = pagina  # the service may have moved a page past the end back
        where.number_input("Pagina", min_value=1, max_value=n_paginas, step=1, key=key)
    where.caption(melding)
