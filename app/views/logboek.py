"""Logboek (ervaringswerker): score one of your households in under a minute, see its trend."""

import datetime as dt

import streamlit as st

from app import format as nl
from app.chart_text import triangle_summary, triangle_table
from app.chartview import show_chart
from app.context import require_actor, unit_of_work
from app.forms import Form
from app.household_link import select_household
from app.logboek_loop import show_ervaringswerker_loop
from experiments.charts import triangle_chart, verloop_chart
from experiments.evaluation import household_evaluation
from experiments.logbook import log_situation, my_households
from experiments.vocabulary import ANCHORS, LEVEL_NAMES, SCORE_LABELS, stressor_vocabulary

SCORES = ("bestaanszekerheid", "zorgcontinuiteit", "meedoen", "veiligheid")
SAFETY_ROUTED = (
    " Veiligheid 1: er is een veiligheidssignaal gemaakt en het huishouden staat op de agenda "
    "van de Tafel sociale veiligheid."
)

actor = require_actor()
st.title("Logboek")

with unit_of_work() as session:
    households = my_households(session, actor)
    vocabulary = stressor_vocabulary(session)
if not households:
    st.info("Er zijn (nog) geen huishoudens ingeschreven in uw experimenten.")
    st.stop()

labels = {h.household_id: h.label for h in households}
household_id = select_household(list(labels), labels.get, key="lb_huishouden", empty=True)
if household_id is None:
    st.info("Kies het huishouden waarover u een logregel schrijft.")
    st.stop()
# Written once, to the household on screen; after a save the trend below shows the new log.
form = Form(
    "logboek",
    button="lb_opslaan",
    fields={**{f"lb_{name}": None for name in SCORES}, "lb_stressoren": [], "lb_acuut": "",
            "lb_gedaan": "", "lb_verhaal": ""},
    target=household_id,
)  # fmt: skip

today = dt.date.today()
datum = st.date_input("Datum van het gesprek", value=today, max_value=today, key="lb_datum",
                      format="DD-MM-YYYY")  # fmt: skip

scores = {}
for name in SCORES:
    value = st.radio(
        SCORE_LABELS[name], [1, 2, 3, 4, 5], index=None, horizontal=True,
        key=f"lb_{name}", help=" · ".join(f"{k}: {LEVEL_NAMES[k]}" for k in LEVEL_NAMES),
    )  # fmt: skip
    st.caption(
        f"**{value} – {LEVEL_NAMES[value]}:** {ANCHORS[name][value]}"
        if value
        else "Kies 1 (acuut/crisis) tot 5 (stabiel)."
    )
    scores[name] = value

stressoren = st.multiselect(
    "Stressoren", vocabulary, placeholder="Kies stressoren", key="lb_stressoren"
)
acuut = st.text_area("Acute problemen", key="lb_acuut", height=68)
gedaan = st.text_area("Wat is gedaan voor stabiliteit", key="lb_gedaan", height=68)
verhaal = st.text_area("Verhaal (in de woorden van de bewoner)", key="lb_verhaal", height=100)

if form.button("Opslaan", type="primary", width="stretch"):
    # A refused log keeps the form filled in and the trend below on screen.
    form.submit(
        lambda session: log_situation(
            session, actor, household_id, datum, **scores, stressors=stressoren,
            acute_problemen=acuut, wat_gedaan=gedaan, verhaal=verhaal,
        ).veiligheid,
        success=lambda veiligheid: f"Logregel van {nl.date(datum)} opgeslagen."
        + (SAFETY_ROUTED if veiligheid == 1 else ""),
    )  # fmt: skip

show_ervaringswerker_loop(actor, household_id, households)  # tables, decisions, knelpunten

st.header("Verloop")
with unit_of_work() as session:
    trend = household_evaluation(session, actor, household_id)
if trend.empty:
    st.info("Nog geen logregels voor dit huishouden.")
    st.stop()

corners = {k: SCORE_LABELS[k] for k in ANCHORS}
st.subheader("Stabiliteitsdriehoek: eerste log tegenover laatste log")
show_chart(triangle_chart(trend), key="lb_driehoek", width="content",
           summary=triangle_summary(trend, corners))  # fmt: skip
st.subheader("Verloop van de scores per gesprek")
show_chart(verloop_chart(trend), key="lb_trend", summary=triangle_summary(trend, corners),
           table=triangle_table(trend, corners))  # fmt: skip
laatste = trend.iloc[-1]
if laatste["stressoren"]:
    st.caption(f"Stressoren bij het laatste gesprek ({nl.date(laatste['datum'])}): "
               f"{laatste['stressoren']}")  # fmt: skip
with st.expander("Voorzieningen, schuld en regie op de logdatums"):
    st.dataframe(
        nl.table(
            [{"Datum": r["datum"], "Actieve voorzieningen": nl.number(int(r["n_provisions"])),
              "Openstaande schuld": "onbekend (geen schuldstand)" if r["debt_outstanding"]
              is None else nl.euro(float(r["debt_outstanding"])),
              "Regie": "ja" if r["regie"] else "nee"} for _, r in trend.iterrows()]
        ),
        hide_index=True, key="lb_bronnen",
    )  # fmt: skip
