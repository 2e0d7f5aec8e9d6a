"""Inzage (beheer): een inzageverzoek (AVG art. 15) — wat is vastgelegd, en wie zag het."""

import pandas as pd
import streamlit as st

from app import format as nl
from app.context import attempt, require_actor
from experiments.inzage import subject_access

actor = require_actor()
st.title("Inzage")
st.caption(
    "Voor een inzageverzoek van een inwoner (AVG artikel 15): alles wat de KISS hub over de "
    "persoon en het huishouden vastlegt, en elke keer dat iemand het inzag of wijzigde — wie, "
    "wanneer en waarom. Het verzoek zelf komt in de audittrail; het BSN niet."
)
bsn = st.text_input("BSN van de verzoeker", key="inzage_bsn", type="password")
if st.button("Inzage maken", key="inzage_maken", type="primary"):
    done = attempt(lambda session: subject_access(session, actor, bsn))
    if done:
        st.session_state["inzage_rapport"] = done.value
report = st.session_state.get("inzage_rapport")
if report is not None:
    st.header(f"Huishouden {report.huishouden}")
    st.markdown(f"**Vastgelegde gegevens** ({len(report.gegevens)})")
    st.dataframe(
        pd.DataFrame(
            [(h.categorie, h.omschrijving, nl.date(h.sinds), nl.date(h.tot))
             for h in report.gegevens],
            columns=["categorie", "omschrijving", "sinds", "tot"],
        ),
        hide_index=True,
        key="inzage_gegevens",
    )  # fmt: skip
    st.markdown(f"**Toegang** ({len(report.toegang)} keer)")
    st.dataframe(
        pd.DataFrame(
            [(f"{a.tijdstip:%d-%m-%Y %H:%M}", a.gebruiker, a.rol, a.actie.replace("_", " "),
              a.doel, a.resultaat) for a in report.toegang],
            columns=["wanneer", "wie", "rol", "wat", "waarom", "resultaat"],
        ),
        hide_index=True,
        key="inzage_toegang",
    )  # fmt: skip
