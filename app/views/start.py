"""Start page: who is logged in and what the hub holds (counts only); a GBD-er's worklist first."""

import streamlit as st

from app import format as nl
from app.context import require_actor, unit_of_work
from app.household_link import page_link
from app.navigation import PAGES_DIR
from app.worklist_view import load, show_counts, show_rows
from households.services import population_counts

actor = require_actor()
st.title("KISS hub")
st.caption("Eén voordeur voor WMO, Jeugd en ISD BOL — gemeente Brunssum")
st.write(f"Ingelogd als **{actor.naam}** ({actor.rol}).")
if actor.rol == "gbd":  # a coordinator starts with what waits for them: the top of the worklist
    st.header("Uw werklijst")
    worklist = load(actor, per_page=5)
    show_counts(worklist)
    show_rows(worklist)
    page_link(str(PAGES_DIR / "werklijst.py"), icon=":material/checklist:",
              label=f"Naar de hele werklijst ({nl.number(worklist.total)} regels)")  # fmt: skip
    st.header("In de hub")
with unit_of_work() as session:
    counts = population_counts(session)
c1, c2, c3 = st.columns(3)
c1.metric("Huishoudens", nl.number(counts.households))
c2.metric("Personen", nl.number(counts.persons))
c3.metric("Voorzieningen", nl.number(counts.provisions))
