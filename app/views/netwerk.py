"""Instellingen: welke instellingen zijn essentieel? (netwerk, geaggregeerd)."""

import datetime as dt

import streamlit as st

from app import format as nl
from app.chart_text import ranking_summary
from app.charts import ranking_chart
from app.chartview import show_chart
from app.context import require_actor, unit_of_work
from coordination.network import institution_edges, institution_ranking
from coordination.overview import partner_feedback

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
    feedback = partner_feedback(session, actor, datum)

if ranking.empty:
    st.info("Nog geen instellingen.")
    st.stop()
show_chart(ranking_chart(ranking), key="net_ranking", summary=ranking_summary(ranking))
counts = ranking.drop(columns=["instelling_id"])
for column in ("huishoudens", "co_instellingen", "gedeelde_huishoudens"):
    counts[column] = counts[column].map(nl.number)  # all text: 12, 1.234 and <5 alike
shown = nl.table(counts.to_dict("records")).rename(
    columns={
        "naam": "Instelling",
        "type": "Type",
        "huishoudens": "Huishoudens bereikt",
        "co_instellingen": "Werkt samen met (aantal)",
        "gedeelde_huishoudens": "Gedeelde huishoudens",
        "centraliteit": "Centraliteit",
        "essentieel": "Essentieel (contract)",
    }
)
st.dataframe(shown, hide_index=True, key="net_tabel")
st.header("Instellingen die huishoudens delen")
if edges.empty:
    st.info("Geen instellingen die huishoudens delen.")
else:
    edges.columns = ["Instelling", "Deelt huishoudens met", "Gedeelde huishoudens"]
    edges["Gedeelde huishoudens"] = edges["Gedeelde huishoudens"].map(nl.number)
    st.dataframe(nl.table(edges.to_dict("records")), hide_index=True, key="net_paren")

st.header("Reageren partners op tijd?")
st.caption(
    "Verwijzingen per instelling en hoeveel de partner binnen 5 werkdagen accepteerde of "
    "afwees (hun eigen reacties in de hub). Aantallen onder 5: <5; x: afgeschermd."
)
if not feedback:
    st.info("Nog geen verwijzingen naar partners.")
else:
    st.dataframe(
        nl.table(
            [
                {
                    "Instelling": f["instelling"],
                    "Verwijzingen": nl.number(f["opdrachten"]),
                    "Op tijd beantwoord": nl.number(f["met_terugkoppeling"]),
                    "Aandeel": None if f["aandeel"] is None else nl.percentage(f["aandeel"]),
                }
                for f in feedback
            ]
        ),
        hide_index=True,
        key="net_terugkoppeling",
    )
