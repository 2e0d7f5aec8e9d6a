"""Experimentenregister (beheer): nieuwe experimenten, status, data, wijken en outreach-criteria."""

import pandas as pd
import streamlit as st

from app import format as nl
from app.context import require_actor, unit_of_work
from app.forms import Form
from experiments.criteria import CRITERIA_LABELS
from experiments.models import EXPERIMENT_STATUSES
from experiments.registry_edit import (
    create_experiment,
    experiment_rows,
    known_wijken,
    update_experiment,
)

actor = require_actor()
st.title("Experimentenregister")
st.caption(
    "De proeftuinen van K2 zijn geen volledige lijst: hier legt functioneel beheer nieuwe "
    "experimenten vast en houdt status, looptijd, wijken en outreach-criteria bij. Elke "
    "wijziging staat in de audittrail."
)
with unit_of_work() as session:
    rows, wijken = experiment_rows(session), known_wijken(session)
CRITERIA = {"": "Geen (nog niet vastgelegd)", **CRITERIA_LABELS}


def _hypotheses(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


st.dataframe(
    pd.DataFrame(
        [(r.naam, r.status, ", ".join(r.wijken), nl.date(r.start), nl.date(r.einde),
          CRITERIA.get(r.criteria or "", r.criteria)) for r in rows],
        columns=["Experiment", "Status", "Wijken", "Start", "Einde", "Outreach-criteria"],
    ),
    hide_index=True, key="reg_tabel",
)  # fmt: skip

with st.container(border=True):
    st.header("Nieuw experiment")
    empty = {"reg_naam": "", "reg_wijken": [], "reg_start": None, "reg_einde": None,
             "reg_status": "gepland", "reg_criteria": "", "reg_beschrijving": "",
             "reg_hypothesen": ""}  # fmt: skip
    new = Form("reg_nieuw", button="reg_toevoegen", fields=empty)
    naam = st.text_input("Naam", key="reg_naam")
    gekozen = st.multiselect("Wijken", wijken, key="reg_wijken", placeholder="Kies wijken")
    c1, c2, c3 = st.columns(3)
    start = c1.date_input("Start", None, key="reg_start", format="DD-MM-YYYY")
    einde = c2.date_input("Einde", None, key="reg_einde", format="DD-MM-YYYY")
    status = c3.selectbox("Status", EXPERIMENT_STATUSES, key="reg_status")
    criteria = st.selectbox("Outreach-criteria", list(CRITERIA), format_func=CRITERIA.get,
                            key="reg_criteria")  # fmt: skip
    beschrijving = st.text_area("Beschrijving", key="reg_beschrijving", height=68)
    hyp = st.text_area("Hypothesen (één per regel)", key="reg_hypothesen", height=68)
    if new.button("Experiment vastleggen"):
        new.submit(lambda s: create_experiment(s, actor, naam, gekozen, start, einde, status,
                                               criteria, beschrijving, _hypotheses(hyp)).naam,
                   success=lambda n: f"Experiment '{n}' vastgelegd.")  # fmt: skip

by_id = {r.id: r for r in rows}
with st.container(border=True):
    st.header("Experiment wijzigen")
    picked = st.session_state.get("reg_kies")
    change = Form("reg_wijzigen", button="reg_wijzigen", fields={"reg_kies": None},
                  target=picked if picked in by_id else None)  # fmt: skip
    exp_id = st.selectbox("Experiment", list(by_id), index=None, key="reg_kies",
                          placeholder="Kies een experiment",
                          format_func=lambda i: by_id[i].naam)  # fmt: skip
    if exp_id is not None:
        r = by_id[exp_id]
        w_naam = st.text_input("Naam", r.naam, key=f"reg_naam_{r.id}")
        options = sorted({*wijken, *r.wijken})
        w_wijken = st.multiselect("Wijken", options, default=list(r.wijken),
                                  key=f"reg_wijken_{r.id}")  # fmt: skip
        d1, d2, d3 = st.columns(3)
        w_start = d1.date_input("Start", r.start, key=f"reg_start_{r.id}", format="DD-MM-YYYY")
        w_einde = d2.date_input("Einde", r.einde, key=f"reg_einde_{r.id}", format="DD-MM-YYYY")
        w_status = d3.selectbox("Status", EXPERIMENT_STATUSES,
                                index=EXPERIMENT_STATUSES.index(r.status),
                                key=f"reg_status_{r.id}")  # fmt: skip
        keys = list(CRITERIA)
        w_criteria = st.selectbox("Outreach-criteria", keys, format_func=CRITERIA.get,
                                  index=keys.index(r.criteria or "") if (r.criteria or "") in
                                  CRITERIA else 0, key=f"reg_criteria_{r.id}")  # fmt: skip
        w_beschrijving = st.text_area("Beschrijving", r.beschrijving or "", height=68,
                                      key=f"reg_beschrijving_{r.id}")  # fmt: skip
        w_hyp = st.text_area("Hypothesen (één per regel)", "\n".join(r.hypotheses), height=100,
                             key=f"reg_hypothesen_{r.id}")  # fmt: skip
        if change.button("Wijzigingen opslaan"):
            change.submit(
                lambda s: update_experiment(s, actor, r.id, w_naam, w_wijken, w_start, w_einde,
                                            w_status, w_criteria, w_beschrijving,
                                            _hypotheses(w_hyp)).naam,
                success=lambda n: f"Experiment '{n}' gewijzigd.",
            )  # fmt: skip
