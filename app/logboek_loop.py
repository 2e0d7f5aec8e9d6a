"""The ervaringswerker in the loop, on the Logboek page (one call line).

Bring the household on screen to a case table with a question, see what the tables decided
for the households of your experiments (only those), and record a systeemknelpunt.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app import format as nl
from app.context import unit_of_work
from app.forms import Form
from coordination.knelpunten import GENERAL_TERMS, blocking_rules
from experiments.logbook import MyHousehold
from experiments.loop import (
    bring_to_table,
    my_decisions,
    plan_goals,
    record_experiment_bottleneck,
)
from experiments.loop import table_choices as tables_to_choose
from households.actor import Actor

__all__ = ["show_ervaringswerker_loop"]

DECISION_COLUMNS = {
    "huishouden": "Huishouden", "tafel": "Tafel", "vraag": "Vraag", "besluit": "Besluit",
    "soort": "Soort", "besloten_op": "Besloten op", "status": "Status", "vervangen": "Vervangen",
}  # fmt: skip


def show_ervaringswerker_loop(
    actor: Actor, household_id: int, households: Sequence[MyHousehold]
) -> None:
    """Agenda, decisions and knelpunten for the ervaringswerker (after the log form)."""
    with unit_of_work() as session:
        tables = dict(tables_to_choose(session, actor))
        seen = my_decisions(session, actor)
        plan = plan_goals(session, actor, household_id)
        rules = {r.id: r.naam for r in blocking_rules(session, actor)}
    label = {h.household_id: h.label for h in households}.get(household_id, "")
    with st.container(border=True, key="lb_plan"):
        st.subheader("Doelen in het plan")
        st.caption("De doelen van het huishoudplan waaraan u bijdraagt. Alleen lezen: de "
                   "regiehouder past ze aan.")  # fmt: skip
        if not plan.goals:
            st.write("Dit huishouden heeft nog geen doelen in het plan.")
        for g in plan.goals:
            st.markdown(
                f"- **{g.levensgebied_label}**: {g.doel} — {g.eigenaar}, "
                f"{g.status_label.lower()}, evaluatie op {nl.date(g.evaluatiedatum)}"
            )
    c1, c2 = st.columns(2)
    with c1.container(border=True):
        st.subheader("Naar een casustafel")
        st.caption(f"Zet {label} op de agenda van een tafel, met uw vraag.")
        fields = {"lb_tafel": None, "lb_tafelvraag": ""}
        agenda = Form("lb_agenda", button="lb_agenda_toevoegen", fields=fields, target=household_id)
        table_id = st.selectbox("Casustafel", list(tables), index=None, format_func=tables.get,
                                placeholder="Kies een tafel", key="lb_tafel")  # fmt: skip
        vraag = st.text_area("Vraag aan de tafel", key="lb_tafelvraag", height=68)
        if agenda.button("Op de agenda zetten"):
            agenda.submit(lambda s: bring_to_table(s, actor, table_id, household_id, vraag),
                          success="Het huishouden staat op de agenda van de tafel.")  # fmt: skip
    experiments = {h.experiment_id: h.experiment for h in households}
    with c2.container(border=True):
        st.subheader("Systeemknelpunt")
        st.caption("Welke regel of regeling stond een gewone oplossing in de weg? " + GENERAL_TERMS)
        knelpunt = Form("lb_knelpunt", button="lb_knelpunt_vastleggen",
                        fields={"lb_knelpunt_regel": None, "lb_knelpunt_tekst": ""},
                        target=tuple(experiments))  # fmt: skip
        experiment_id = st.selectbox("Experiment", list(experiments), index=0,
                                     format_func=experiments.get,
                                     key="lb_knelpunt_exp")  # fmt: skip
        regel = st.selectbox("Regel of regeling", list(rules), index=None, format_func=rules.get,
                             placeholder="Kies een regel", key="lb_knelpunt_regel")  # fmt: skip
        tekst = st.text_area("Wat liep er vast?", key="lb_knelpunt_tekst", height=68)
        if knelpunt.button("Knelpunt vastleggen"):
            knelpunt.submit(
                lambda s: record_experiment_bottleneck(s, actor, experiment_id, regel, tekst),
                success="Knelpunt vastgelegd. KISS ziet het geteld, zonder huishouden.",
            )
    st.subheader("Besluiten van de tafels voor uw huishoudens")
    if not seen:
        st.write("Nog geen besluiten voor de huishoudens van uw experimenten.")
    else:
        st.dataframe(nl.table(seen, DECISION_COLUMNS), hide_index=True, key="lb_besluiten")
