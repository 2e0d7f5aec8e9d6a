"""Knelpunten en lessen (KISS): systeemknelpunten per regel, de lessen, open vragen. Nooit wie."""

import streamlit as st

from app import format as nl
from app.context import require_actor, unit_of_work
from coordination.knelpunten import bottleneck_overview
from coordination.loop import vraagbaak
from experiments.loop import lessons_log

actor = require_actor()
st.title("Knelpunten en lessen")
st.caption(
    "Welke regels en regelingen blokkeren een standaardoplossing, volgens de casustafels, het "
    "Tussen-wal-en-schip-budget en de ervaringswerkers. Nooit een huishouden en nooit wie het "
    "vastlegde. Aantallen van 1 tot 4 tonen we als <5 en beschrijvingen alleen bij een regel "
    "die 5 keer of vaker genoemd is; er staat geen totaal naast, zodat niets terug te rekenen is."
)
with unit_of_work() as session:
    rows = bottleneck_overview(session, actor)
    lessons = lessons_log(session, actor)
    questions = vraagbaak(session, actor)
waiting = [q for q in questions if q.antwoord is None]

m = st.columns(3)
m[0].metric("Regels met een knelpunt", nl.number(len(rows)))
m[1].metric("Lessen uit de experimenten", nl.number(len(lessons)))
m[2].metric("Open vragen aan KISS", nl.number(len(waiting)))

st.header("Systeemknelpunten per regel")
if not rows:
    st.write("Nog geen systeemknelpunten vastgelegd.")
else:
    st.dataframe(
        nl.table(rows, {"regel": "Regel of regeling", "aantal": "Aantal keer genoemd",
                        "omschrijving_regel": "Wat de regel doet"}),
        hide_index=True, key="kp_tabel",
    )  # fmt: skip
    for row in rows:
        if row.beschrijvingen:
            with st.expander(f"{row.regel}: {nl.number(row.aantal)} beschrijvingen"):
                st.markdown("\n".join(f"- {text}" for text in row.beschrijvingen))

st.header("Lessen uit de experimenten")
if not lessons:
    st.write("Nog geen lessen vastgelegd.")
else:
    st.dataframe(
        nl.table(lessons, {"experiment": "Experiment", "datum": "Datum", "les": "Les",
                           "verandering_werkwijze": "Verandering in de werkwijze"}),
        hide_index=True, key="kp_lessen",
    )  # fmt: skip

st.header("Open vragen aan KISS (vraagbaak)")
if not waiting:
    st.write("Geen open vragen.")
else:
    columns = {"tafel": "Tafel", "gesteld_op": "Gesteld op", "vraag": "Vraag"}
    st.dataframe(nl.table(waiting, columns), hide_index=True, key="kp_vragen")
    st.caption("Beantwoorden doet u op de pagina Vraagbaak.")
