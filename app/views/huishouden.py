"""Huishouden: het hele plaatje van één huishouden op één scherm (GBD-er)."""

import datetime as dt

import pandas as pd
import streamlit as st

from app.charts import graph_chart, timeline_chart
from app.context import require_actor, unit_of_work
from coordination.frontdoor import my_households
from coordination.graph import (
    debt_rows,
    graph_tables,
    household_graph,
    institutions_involved,
    request_rows,
    signal_rows,
    timeline_rows,
)
from coordination.stacking import household_stacking

actor = require_actor()
st.title("Huishouden")
choices = None
with unit_of_work() as session:
    choices = dict(my_households(session, actor))
if choices is None:  # refused; the message is shown
    st.stop()
if not choices:
    st.info(
        "U heeft nog geen huishoudens: open er een via de Voordeur (met een doel), "
        "neem regie, of zet het op de agenda van uw casustafel."
    )
    st.stop()
ids = list(choices)
opened = st.session_state.get("vd_household")  # the household just opened at the Voordeur
c1, c2 = st.columns([2, 1])
household_id = c1.selectbox(
    "Huishouden",
    ids,
    index=ids.index(opened) if opened in choices else 0,
    format_func=choices.get,
    placeholder="Kies een huishouden",
    key="hh_keuze",
)
datum = c2.date_input("Peildatum", value=dt.date.today(), key="hh_datum", format="DD-MM-YYYY")

view = None
with unit_of_work() as session:
    graph = household_graph(session, actor, household_id, datum)
    stacking = household_stacking(session, household_id, datum)
    view = graph, stacking
if view is None:
    st.stop()
graph, stacking = view

st.subheader(f"{stacking.huishouden_id} · wijk {stacking.wijk}")
badges = st.columns(4)
badges[0].metric("Voorzieningen", stacking.n_provisions)
badges[1].metric("Domeinen", " + ".join(stacking.domains) or "geen")
euros = f"{stacking.debt_outstanding:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
badges[2].metric("Openstaande schuld", f"€ {euros}")
badges[3].metric("Hulpvragen (12 mnd)", stacking.n_requests)
if stacking.stacked:
    st.badge("Gestapeld", color="orange", icon=":material/layers:")
if stacking.complex:
    st.badge("Complex: regie nodig", color="red", icon=":material/priority_high:")
    st.markdown("\n".join(f"- {reden}" for reden in stacking.reasons))
if not stacking.complex:
    st.badge("Niet complex", color="green")
st.caption(f"Regelset versie {stacking.rule_version}; peildatum {datum:%d-%m-%Y}.")

left, right = st.columns([3, 2])
with left:
    st.markdown("**Huishoudgraaf**")
    nodes, edges = graph_tables(graph, seed=7)
    st.altair_chart(graph_chart(nodes, edges), width="stretch", key="hh_graaf")
with right:
    st.markdown("**Betrokken instellingen**")
    st.write(", ".join(institutions_involved(graph)) or "Geen.")
    st.markdown("**Signalen**")
    signals = pd.DataFrame(signal_rows(graph))
    if signals.empty:
        st.write("Geen signalen.")
    else:
        st.dataframe(signals, hide_index=True, key="hh_signalen")

st.markdown("**Voorzieningen in de tijd**")
timeline = timeline_rows(graph)
if timeline:
    st.altair_chart(timeline_chart(timeline), width="stretch", key="hh_tijdlijn")
else:
    st.write("Geen voorzieningen.")

st.markdown("**Schulden**")
debts = pd.DataFrame(debt_rows(graph))
if debts.empty:
    st.write("Geen schulden bekend.")
else:
    st.dataframe(debts, hide_index=True, key="hh_schulden")

st.markdown("**Hulpvragen**")
requests = pd.DataFrame(request_rows(graph))
if requests.empty:
    st.write("Geen hulpvragen.")
else:
    st.dataframe(requests, hide_index=True, key="hh_hulpvragen")
