"""Werklijst (gbd): wat nu op de GBD-er wacht, urgentste eerst; elke regel opent het huishouden."""

import streamlit as st

from app import format as nl
from app.context import require_actor
from app.worklist_view import explanation, load, show_counts, show_rows

PER_PAGE = 20

actor = require_actor()
st.title("Werklijst")
page = st.session_state.get("wl_pagina", 1)
wl = load(actor, page=page, per_page=PER_PAGE)
st.caption(explanation(wl))
show_counts(wl)
show_rows(wl)
if wl.pages > 1:
    st.session_state["wl_pagina"] = wl.page  # the list may have grown shorter
    st.number_input(
        f"Pagina (van {wl.pages})", min_value=1, max_value=wl.pages, step=1, key="wl_pagina"
    )
st.caption(
    f"{nl.number(wl.total)} regels; pagina {wl.page} van {wl.pages}. "
    "Volgorde: acuut, te laat, nu, lopend; daarna de datum (oudste eerst)."
)
