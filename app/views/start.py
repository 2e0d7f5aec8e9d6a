"""Start page: who is logged in and what the hub holds (counts only)."""

import streamlit as st

from app import format as nl
from app.context import require_actor, unit_of_work
from households.services import population_counts

actor = require_actor()
st.title("KISS hub")
st.caption("Eén voordeur voor WMO, Jeugd en ISD BOL — gemeente Brunssum")
st.write(f"Ingelogd als **{actor.naam}** ({actor.rol}).")
with unit_of_work() as session:
    counts = population_counts(session)
c1, c2, c3 = st.columns(3)
c1.metric("Huishoudens", nl.number(counts.households))
c2.metric("Personen", nl.number(counts.persons))
c3.metric("Voorzieningen", nl.number(counts.provisions))
