"""Schuldhulp (gbd): mijn lopende trajecten met stap, dagen in de stap en de volgende norm;
crisis eerst. Kies een huishouden om aan te melden, de volgende stap te zetten, te beëindigen
of schulden in de regeling op te nemen."""

import streamlit as st

from app import format as nl
from app.context import require_actor, unit_of_work
from app.household_link import select_household
from app.schuldhulp_section import deadline_text, show_schuldhulp
from coordination.frontdoor import my_households
from coordination.schuldhulp import mijn_trajecten
from coordination.shv_rules import CRISIS_LABELS, WARN_DAYS_BEFORE

actor = require_actor()
st.title("Schuldhulp")
st.caption(
    "Uw lopende schuldhulptrajecten: die u aanmeldde of waarin u een stap zette, en die van "
    "huishoudens waar u regie voor heeft. De werklijst waarschuwt "
    f"{WARN_DAYS_BEFORE} (werk)dagen voordat een norm verstrijkt."
)
with unit_of_work() as session:
    mine = mijn_trajecten(session, actor)
    households = my_households(session, actor)

if mine:
    late = sum(1 for m in mine if m.deadline and m.deadline.status == "te_laat")
    c1, c2, c3 = st.columns(3)
    c1.metric("Lopende trajecten", nl.number(len(mine)))
    c2.metric("Crisis", nl.number(sum(1 for m in mine if m.crisis_soort)))
    c3.metric("Norm gemist", nl.number(late))
    st.dataframe(
        nl.table(
            [{"huishouden": m.huishouden.text, "stap": m.stap_label,
              "sinds": m.stap_sinds, "dagen": m.dagen_in_stap,
              "crisis": CRISIS_LABELS.get(m.crisis_soort, "") if m.crisis_soort else "",
              "norm": deadline_text(m.deadline)} for m in mine],
            {"huishouden": "Huishouden", "stap": "Stap", "sinds": "Sinds",
             "dagen": "Dagen in stap", "crisis": "Crisis", "norm": "Volgende norm"},
        ),
        hide_index=True, key="shv_mijn",
    )  # fmt: skip
else:
    st.info("U heeft geen lopende schuldhulptrajecten.")

choices = {m.huishouden.household_id: m.huishouden.text for m in mine}
for household_id, label in households.labels.items():
    choices.setdefault(household_id, label)
if not choices:
    st.info("Open eerst een huishouden via de Voordeur (met een doel) om het aan te melden.")
    st.stop()
st.header("Per huishouden")
household_id = select_household(list(choices), choices.get, key="shv_huishouden", empty=True)
if household_id is not None:
    show_schuldhulp(actor, household_id)
