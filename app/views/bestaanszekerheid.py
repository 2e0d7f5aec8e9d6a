"""Bestaanszekerheid (KISS): the schuldhulp pipeline per quarter and wijk, and non-take-up."""

import datetime as dt

import streamlit as st

from app import format as nl
from app.bestaanszekerheid_view import (
    flow_chart,
    flow_data,
    flow_summary,
    non_take_up_frame,
    norm_chart,
    norm_data,
    norm_summary,
    quarter_frame,
)
from app.chartview import show_chart
from app.context import require_actor, unit_of_work
from coordination.non_take_up import non_take_up_figure
from coordination.overview import month_ends
from coordination.shv_pipeline import published_years, shv_pipeline
from coordination.suppression import TOTAL

actor = require_actor()
st.title("Bestaanszekerheid")
st.caption(
    "Aantallen van 1 tot 4 huishoudens tonen we als <5. Cellen met x zijn verborgen om die "
    "kleine aantallen te beschermen: uit alle cijfers samen is geen verborgen aantal terug te "
    "rekenen. Alleen afgeronde kwartalen."
)

today = dt.date.today()
jaar = st.selectbox("Jaar", published_years(today), key="bz_jaar")
with unit_of_work() as session:
    fig = shv_pipeline(session, actor, jaar)

st.header("Schuldhulpverlening: de keten")
if fig.withheld == "by_wijk":
    st.info("Te weinig trajecten om per wijk te tonen zonder dat iets terug te rekenen is.")
if not fig.kwartalen:
    st.info(f"Nog geen afgerond kwartaal in {jaar}.")
else:
    kwartaal = st.selectbox("Kwartaal", list(reversed(fig.kwartalen)), key="bz_kwartaal")
    c1, c2, c3 = st.columns(3)
    share = fig.aandeel[(kwartaal, TOTAL)]
    c1.metric("Eerste gesprek binnen de norm", nl.percentage(share) if share is not None else "—")
    goal = "—" if fig.norm_doel_pct is None else f"{fig.norm_doel_pct}%"
    c2.metric(f"Doel: binnen {fig.norm_dagen} dagen", goal)
    wait = fig.wachttijd[(kwartaal, TOTAL)]
    c3.metric("Gemiddelde wachttijd", "—" if wait is None else f"{nl.number(wait, 1)} dagen")
    st.dataframe(quarter_frame(fig, kwartaal), hide_index=True, key="bz_pijplijn")
    st.caption(
        f"Indeling als de kwartaalrapportage schuldhulpverlening. Norm: eerste gesprek binnen "
        f"{fig.norm_dagen} dagen na aanmelding, bij crisis binnen {fig.crisis_werkdagen} "
        f"werkdagen; herbeoordeling van budgetbeheer na {fig.herbeoordeling_dagen} dagen."
    )
    flows = flow_data(fig)
    if not flows.empty:
        show_chart(flow_chart(flows), key="bz_stroom", summary=flow_summary(flows))
    shares = norm_data(fig)
    if not shares.empty:
        show_chart(norm_chart(shares, fig.norm_doel_pct), key="bz_norm",
                   summary=norm_summary(shares, fig.norm_doel_pct, fig.norm_dagen))  # fmt: skip

st.header("Niet-gebruik van regelingen")
peil = month_ends(today, 1)[0]  # the last month end: KISS reads month ends only
with unit_of_work() as session:
    ntu = non_take_up_figure(session, actor, peil)
st.caption(
    f"Peildatum {nl.date(peil)}. Regel: een huishouden met bijstand, een open "
    "betalingsachterstand of een schuld bij ISD BOL gebruikt waarschijnlijk een regeling niet "
    "waar het recht op heeft (minimaregelingen; individuele inkomenstoeslag na 3 jaar bijstand; "
    "bijzondere bijstand voor bewind of budgetbeheer; collectieve zorgverzekering bij een "
    "zorgpremie-achterstand)."
)
st.dataframe(non_take_up_frame(ntu), hide_index=True, key="bz_niet_gebruik")
