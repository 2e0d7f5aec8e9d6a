"""Evaluatie (KISS): per experiment the effect against a comparison group, and the report."""

import datetime as dt

import streamlit as st

from app import format as nl
from app.chart_text import did_summary, monthly_summary, monthly_table
from app.chartview import show_chart
from app.context import get_engine, require_actor, unit_of_work
from coordination.overview import is_synthetic
from coordination.suppression import count_text
from experiments.charts import did_chart, monthly_chart
from experiments.evaluation import evaluate_experiment
from experiments.registry import list_experiments
from experiments.report import (
    corner_frame,
    debt_note,
    did_chart_data,
    did_frame,
    evaluation_report_html,
    process_frame,
    stressor_frame,
)
from experiments.report_sections import balance_frame, match_note, treated_only_frame
from experiments.vocabulary import SCORE_LABELS
from households.db import session_scope

actor = require_actor()
st.title("Evaluatie experimenten")

with unit_of_work() as session:
    experiments = [(e.id, e.naam, e.status) for e in list_experiments(session)]
if not experiments:
    st.info("Er zijn nog geen experimenten.")
    st.stop()

names = {i: f"{n} ({s})" for i, n, s in experiments}
experiment_id = st.selectbox("Experiment", list(names), format_func=names.get,
                             placeholder="Kies een experiment", key="eval_experiment")  # fmt: skip
datum = st.date_input("Peildatum", value=dt.date.today(), max_value=dt.date.today(),
                      key="eval_datum", format="DD-MM-YYYY")  # fmt: skip

with unit_of_work() as session:
    ev = evaluate_experiment(session, actor, experiment_id, datum, n_boot=1000)
    synthetic = is_synthetic(session)

c1, c2 = st.columns(2)
c1.metric("Deelnemende huishoudens", count_text(ev.n_enrolled))
c2.metric("Peildatum", nl.date(datum))

st.header("Stabiliteitsdriehoek: van eerste log tot nu")
st.dataframe(corner_frame(ev), hide_index=True, key="eval_hoeken")
if not ev.monthly.empty:
    show_chart(monthly_chart(ev.monthly), key="eval_maanden",
               summary=monthly_summary(ev.monthly, SCORE_LABELS),
               table=monthly_table(ev.monthly, SCORE_LABELS))  # fmt: skip

st.header("Effect tegenover de vergelijkingsgroep (verschil-in-verschillen)")
if synthetic:
    st.warning("Synthetische gegevens: deze resultaten komen uit de demogenerator, niet uit "
               "echte huishoudens.")  # fmt: skip
st.caption(
    match_note(ev.match_levels) + " Vergelijkingsgroep: huishoudens in andere wijken, niet "
    "ingeschreven. 95%-interval met bootstrap; geen interval bij minder dan 10 huishoudens in "
    "een groep; niets bij minder dan 5."
)
st.subheader("Balans van de matching")
st.dataframe(balance_frame(ev.balance), hide_index=True, key="eval_balans")
st.caption("Gemiddelden op de inschrijfdatum. SMD: gestandaardiseerd verschil in gemiddelden; "
           "onder 0,1 geldt als goed in balans.")  # fmt: skip
st.subheader("Uitkomsten")
st.dataframe(did_frame(ev), hide_index=True, key="eval_did")
if note := debt_note(ev):
    st.caption(note)
chart_data = did_chart_data(ev)
if not chart_data.empty:
    # One small chart per outcome: counts, euros and shares each on their own axis.
    show_chart(did_chart(chart_data), key="eval_did_chart", summary=did_summary(chart_data))

st.subheader("Alleen bij deelnemers (uit het logboek)")
st.dataframe(treated_only_frame(ev.treated_only), hide_index=True, key="eval_deelnemers")
with st.expander("Procesmaten (geen effectmaat)"):
    st.caption("Regie ontstaat door de aanpak zelf, en meer voorzieningen kan ook minder "
               "niet-gebruik betekenen: deze maten zeggen niets over het effect.")  # fmt: skip
    st.dataframe(process_frame(ev), hide_index=True, key="eval_proces")

st.header("Stressoren")
st.dataframe(stressor_frame(ev), hide_index=True, key="eval_stressoren")


def _report() -> str:
    # Built only when the button is clicked, from the evaluation already on screen.
    with session_scope(get_engine()) as session:
        return evaluation_report_html(session, actor, experiment_id, datum, evaluation=ev)


st.download_button(
    "Download evaluatierapport (HTML)", data=_report, mime="text/html",
    file_name=f"evaluatie_{experiment_id}_{datum.isoformat()}.html", key="eval_download",
    on_click="ignore",
)  # fmt: skip
