"""KISS-overzicht: stuurinformatie over alle huishoudens, geaggregeerd en onderdrukt."""

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.charts import distribution_chart, trend_chart, upset_chart, wijk_chart
from app.context import require_actor, unit_of_work
from coordination.overview import overview_to_csv, steering_overview

actor = require_actor()
st.title("KISS-overzicht")
st.caption(
    "Aantallen van 1 tot 4 huishoudens tonen we als <5; andere cellen zijn zo nodig "
    "ook verborgen, zodat niets terug te rekenen is."
)
datum = st.date_input("Peildatum", value=dt.date.today(), key="kiss_datum", format="DD-MM-YYYY")

with unit_of_work() as session:
    ov = steering_overview(session, actor, datum)
show = nl.number  # a published count as text (``<5`` and ``x`` stay as they are)


m = st.columns(5)
m[0].metric("Huishoudens", show(ov["households_total"]))
m[1].metric("Met voorziening", show(ov["households_with_provision"]))
m[2].metric("Gestapeld", show(ov["stacked"]))
m[3].metric("Complex", show(ov["complex"]))
m[4].metric("Complex zonder regie", show(ov["regie_gaps"]))

st.header("Combinaties van domeinen")
st.altair_chart(upset_chart(ov["combinations"]), width="stretch", key="kiss_upset")

st.header("Per wijk")
measures = ["households_with_provision", "stacked", "complex", "regie_gaps"]
st.altair_chart(wijk_chart(ov["by_wijk"], measures), width="stretch", key="kiss_wijk")
table = pd.DataFrame(
    {w: {k: show(b[k]) for k in [*measures, "isd_debtors"]} for w, b in ov["by_wijk"].items()}
).T
table.columns = ["met voorziening", "gestapeld", "complex", "zonder regie", "ISD-debiteuren"]
st.dataframe(table, key="kiss_wijk_tabel")

c1, c2 = st.columns(2)
with c1:
    st.header("Voorzieningen per huishouden")
    chart = distribution_chart(ov["provisions_per_household"])
    st.altair_chart(chart, width="stretch", key="kiss_verdeling")
with c2:
    st.header("Schulden bij ISD")
    amount = ov["isd_debt_outstanding"]
    st.metric("ISD-debiteuren", show(ov["isd_debtors"]))
    st.metric("Ook bekend bij Wmo of Jeugd", show(ov["isd_debtors_known_elsewhere"]))
    st.metric(
        "Openstaand bij ISD",
        "onderdrukt" if amount is None else nl.euro(amount, 0),
    )

st.header("Versnippering")
frag = ov["fragmentation"]
f1, f2 = st.columns(2)
with f1:
    st.metric("Huishoudens via 2 of meer voordeuren (12 mnd)", show(frag["multiple_front_doors"]))
    chart = distribution_chart(frag["front_doors"], "Huishoudens met een hulpvraag")
    st.altair_chart(chart, width="stretch", key="kiss_voordeuren")
with f2:
    st.markdown("Aantal instellingen per gestapeld huishouden")
    chart = distribution_chart(frag["institutions_per_stacked_household"], "Gestapelde huishoudens")
    st.altair_chart(chart, width="stretch", key="kiss_instellingen")

st.header("Trend per kwartaal")
if ov["trend"]:
    chart = trend_chart(
        ov["trend"], ["households_with_provision", "stacked", "complex", "regie_gaps"]
    )
    st.altair_chart(chart, width="stretch", key="kiss_trend")
else:
    st.write("Nog geen historie.")

st.header("Klantreis: drie voordeuren of één")
journey = ov["client_journey"]
if journey:
    st.dataframe(
        pd.DataFrame(journey)
        .astype("string")
        .fillna("—")
        .rename(
            columns={
                "periode": "Voordeur",
                "aanvragen": "Aanvragen",
                "huishoudens": "Huishoudens",
                "intakes_per_huishouden": "Intakes per huishouden",
                "mediaan_dagen_tot_besluit": "Mediaan dagen tot besluit",
            }
        ),
        hide_index=True,
        key="kiss_klantreis",
    )
    st.caption("Hulpvragen van de laatste drie jaar; 1–4 huishoudens als <5.")

st.header("Terugkoppeling door partners")
feedback = ov["feedback_compliance"]
if feedback:
    st.dataframe(
        pd.DataFrame(feedback)
        .astype("string")
        .fillna("—")
        .rename(
            columns={
                "instelling": "Instelling",
                "opdrachten": "Opdrachten",
                "met_terugkoppeling": "Met terugkoppeling",
                "aandeel": "Aandeel",
            }
        ),
        hide_index=True,
        key="kiss_terugkoppeling",
    )
    st.caption("Opdrachten van casustafels aan instellingen; kleine aantallen onderdrukt.")
else:
    st.write("Nog geen opdrachten aan instellingen.")

st.download_button(
    "Download als CSV",
    overview_to_csv(ov),
    file_name=f"kiss_overzicht_{datum}.csv",
    mime="text/csv",
    key="kiss_csv",
)
st.caption(f"Regelset versie {ov['rule_version']}; peildatum {nl.date(datum)}.")
