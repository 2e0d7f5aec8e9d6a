"""Start page: who is logged in and what the hub holds (counts only)."""

import streamlit as st

from app.context import get_engine, require_actor
from households.db import session_scope
from households.services import population_counts

actor = require_actor()
st.title("KISS hub")
st.caption("Eén voordeur voor WMO, Jeugd en ISD BOL — gemeente Brunssum")
st.write(f"Ingelogd als **{actor.naam}** ({actor.rol}).")
with session_scope(get_engine()) as session:
    counts = population_counts(session)
c1, c2, c3 = st.columns(3)
c1.metric("Huishoudens", f"{counts['households']:,}".replace(",", "."))
c2.metric("Personen", f"{counts['persons']:,}".replace(",", "."))
c3.metric("Voorzieningen", f"{counts['provisions']:,}".replace(",", "."))
