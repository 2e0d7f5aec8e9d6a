"""Instellingen: welke instellingen zijn essentieel? (netwerk, geaggregeerd)."""

import datetime as dt

import streamlit as st

from app.charts import ranking_chart
from app.context import require_actor, unit_of_work
from coordination.network import institution_edges, institution_ranking

actor = require_actor()
st.title("Instellingen in het netwerk")
st.caption(
    "Welke instellingen zijn essentieel? Bereik (huishoudens met een lopende voorziening "
    "of betrokkenheid) en samenwerking (huishoudens die ze delen). Aantallen onder 5: <5."
)
datum = st.date_input("Peildatum", value=dt.date.today(), key="net_datum", format="DD-MM-YYYY")

with unit_of_work() as session:
    ranking = institution_ranking(session, actor, datum)
    edges = institution_edges(session, actor, datum)

if ranking.empty:
    st.info("Nog geen instellingen.")
    st.stop()
st.altair_chart(ranking_chart(ranking), width="stretch", key="net_ranking")
shown = ranking.drop(columns=["instelling_id"]).rename(
    columns={
        "huishoudens": "huishoudens bereikt",
        "co_instellingen": "werkt samen met (aantal)",
        "gedeelde_huishoudens": "gedeelde huishoudens",
        "essentieel": "essentieel (contract)",
    }
)
shown["essentieel (contract)"] = shown["essentieel (contract)"].map({True: "ja", False: "nee"})
st.dataframe(shown.fillna("").astype(str), hide_index=True, key="net_tabel")
st.header("Instellingen die huishoudens delen")
edges.columns = ["instelling", "deelt huishoudens met", "gedeelde huishoudens"]
st.dataframe(edges.astype(str), hide_index=True, key="net_paren")
