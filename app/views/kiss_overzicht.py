"""KISS-overzicht: stuurinformatie over alle huishoudens, geaggregeerd en onderdrukt."""

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.chart_text import (
    counts_summary,
    counts_table,
    trend_summary,
    trend_table,
    wijk_summary,
)
from app.charts import MEASURE_NAMES, distribution_chart, trend_chart, upset_chart, wijk_chart
from app.chartview import show_chart
from app.context import require_actor, unit_of_work
from app.wgs_section import render as render_wgs
from coordination.overview import (
    may_see_overview,
    month_ends,
    overview_to_csv,
    steering_overview,
)

actor = require_actor()
st.title("KISS-overzicht")
with unit_of_work() as session:  # refused roles stop here, before any widget
    may_see_overview(session, actor)
st.caption(
    "Aantallen van 1 tot 4 huishoudens tonen we als <5. Cellen met x zijn verborgen om "
    "die kleine aantallen te beschermen: uit alle cijfers samen is geen verborgen aantal "
    "terug te rekenen (celonderdrukking met beschermingsintervallen, zoals het CBS). "
    "Bedragen alleen voor groepen van 5 of meer."
)


datum = st.selectbox(
    "Peildatum (einde van een maand)",
    month_ends(dt.date.today()),
    format_func=nl.date,
    key="kiss_datum",
)

with unit_of_work() as session:
    ov = steering_overview(session, actor, datum)
stand = ov["stand"]
if stand["verouderd"]:
    st.info(
        f"Cijfers van {stand['berekend_op']:%H:%M:%S}. Er is sindsdien iets gewijzigd; nieuwe "
        "cijfers worden op de achtergrond berekend. Vernieuw de pagina over een minuut."
    )
else:
    st.caption(f"Cijfers berekend om {stand['berekend_op']:%H:%M:%S}.")
show = nl.number  # a published count as text (``<5`` and ``x`` stay as they are)
# ov["synthetic"]: the page frame (app/demo_banner.py) shows the banner on every page
if ov.get("withheld") == "by_wijk":
    st.info("Te weinig huishoudens om per wijk te tonen zonder dat iets terug te rekenen is.")
elif ov.get("withheld") == "all":
    st.info("Te weinig huishoudens voor een beschermd overzicht: alle aantallen zijn verborgen.")


m = st.columns(6)
m[0].metric("Huishoudens", show(ov["households_total"]))
m[1].metric("Met voorziening", show(ov["households_with_provision"]))
m[2].metric("Gestapeld (CBS)", show(ov["stacked_cbs"]))
m[3].metric("Gestapeld (lokaal)", show(ov["stacked"]))
m[4].metric("Complex", show(ov["complex"]))
m[5].metric("Complex zonder regie", show(ov["regie_gaps"]))
st.markdown(
    "- **Gestapeld (CBS)**: huishoudens in 2 of 3 CBS-domeinen (Jeugd, Wmo-maatwerk, "
    "Participatiewet: bijstand, IOAW/IOAZ en re-integratie); vergelijkbaar met CBS en "
    "buurgemeenten.\n"
    "- **Gestapeld (lokaal)**: 2 of meer domeinen, of 1 domein en een open schuld, over alle "
    "voorzieningen (ook minima, bijzondere bijstand en schuldhulp); de eigen maat van Brunssum.\n"
    "- **Complex**: volgens de actieve regelset (veiligheid eerst); **zonder regie**: complex en "
    "nog geen regisseur."
)

st.header("Combinaties van CBS-domeinen")
st.caption("ISD = Participatiewet volgens het CBS (bijstand, IOAW/IOAZ, re-integratie).")
show_chart(upset_chart(ov["combinations"]), key="kiss_upset",
           summary=counts_summary(ov["combinations"], "combinaties van CBS-domeinen"),
           table=counts_table(ov["combinations"], "Combinatie"))  # fmt: skip


def _money(amount) -> str:
    return "niet getoond (groep < 5)" if amount is None else nl.euro(amount, 0)


measures = ["households_with_provision", "stacked_cbs", "stacked", "complex", "regie_gaps"]
st.header("Per wijk")
if not ov["by_wijk"]:
    st.info("De uitsplitsing per wijk is weggelaten: met deze aantallen zou een verborgen cel "
            "te herleiden zijn.")  # fmt: skip
else:
    show_chart(
        wijk_chart(ov["by_wijk"], measures),
        key="kiss_wijk",
        summary=wijk_summary(ov["by_wijk"], {m: MEASURE_NAMES[m] for m in measures}),
    )

    table = pd.DataFrame(
        {w: {**{k: show(b[k]) for k in [*measures, "isd_debtors"]},
             "kosten": _money(b["kosten_per_maand"])} for w, b in ov["by_wijk"].items()}
    ).T  # fmt: skip
    table.columns = ["Met voorziening", "Gestapeld (CBS)", "Gestapeld (lokaal)", "Complex",
                     "Zonder regie", "ISD-debiteuren", "Kosten per maand"]  # fmt: skip
    table.index.name = "Wijk"
    st.dataframe(table, key="kiss_wijk_tabel")

c1, c2 = st.columns(2)
with c1:
    st.header("Voorzieningen per huishouden")
    dist = ov["provisions_per_household"]
    show_chart(distribution_chart(dist), key="kiss_verdeling",
               summary=counts_summary(dist, "groepen (aantal voorzieningen)"),
               table=counts_table(dist, "Voorzieningen"))  # fmt: skip
with c2:
    st.header("Schulden bij ISD")
    amount = ov["isd_debt_outstanding"]
    st.metric("ISD-debiteuren", show(ov["isd_debtors"]))
    st.metric("Ook bekend bij Wmo of Jeugd", show(ov["isd_debtors_known_elsewhere"]))
    st.metric("Openstaand bij ISD", _money(amount))
    st.metric("Kosten voorzieningen per maand", _money(ov["kosten_per_maand"]))
    st.caption("Kosten: som van kosten per maand van de actieve voorzieningen op de peildatum.")

st.header("Versnippering")
frag = ov["fragmentation"]
f1, f2 = st.columns(2)
with f1:
    st.metric("Huishoudens via 2 of meer voordeuren (12 mnd)", show(frag["multiple_front_doors"]))
    chart = distribution_chart(frag["front_doors"], "Huishoudens met een hulpvraag")
    show_chart(chart, key="kiss_voordeuren",
               summary=counts_summary(frag["front_doors"], "groepen (aantal voordeuren)"),
               table=counts_table(frag["front_doors"], "Voordeuren"))  # fmt: skip
with f2:
    st.markdown("Aantal instellingen per gestapeld huishouden")
    spread = frag["institutions_per_stacked_household"]
    show_chart(distribution_chart(spread, "Gestapelde huishoudens"), key="kiss_instellingen",
               summary=counts_summary(spread, "groepen (aantal instellingen)"),
               table=counts_table(spread, "Instellingen"))  # fmt: skip

st.header("Trend per kwartaal")
if ov["trend"]:
    trend_measures = {m: MEASURE_NAMES[m] for m in measures}
    show_chart(trend_chart(ov["trend"], measures), key="kiss_trend",
               summary=trend_summary(ov["trend"], trend_measures),
               table=trend_table(ov["trend"], trend_measures))  # fmt: skip
else:
    st.write("Nog geen historie.")

st.header("Klantreis: drie voordeuren of de centrale voordeur")
journey = ov["client_journey"]
if journey:
    st.dataframe(
        nl.table(journey).rename(
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
        nl.table(
            [
                {**r, "aandeel": nl.percentage(r["aandeel"]) if r["aandeel"] is not None else None}
                for r in feedback
            ]
        ).rename(
            columns={
                "instelling": "Instelling",
                "opdrachten": "Verwijzingen",
                "met_terugkoppeling": "Op tijd beantwoord",
                "aandeel": "Aandeel",
            }
        ),
        hide_index=True,
        key="kiss_terugkoppeling",
    )
    st.caption(
        "Verwijzingen aan instellingen en hoeveel de partner zelf binnen 5 werkdagen "
        "accepteerde of afwees; kleine aantallen onderdrukt."
    )
else:
    st.write("Nog geen verwijzingen aan instellingen.")

render_wgs(actor, datum)

st.download_button(
    "Download als CSV",
    overview_to_csv(ov),
    file_name=f"kiss_overzicht_{datum}.csv",
    mime="text/csv",
    key="kiss_csv",
)
st.caption(f"Regelset versie {ov['rule_version']}; peildatum {nl.date(datum)}.")
