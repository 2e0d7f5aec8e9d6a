"""Vraagbaak (KISS): vragen van de casustafels na tegenspraak, beantwoord in de app."""

import streamlit as st

from app import format as nl
from app.context import require_actor, unit_of_work
from app.forms import Form
from coordination.loop import answer, vraagbaak

actor = require_actor()
st.title("Vraagbaak")
st.caption(
    "Na tegenspraak aan een casustafel kan de tafel een vraag aan KISS voorleggen. Vragen en "
    "antwoorden zijn in algemene termen: gebruik geen namen, adressen of BSN. KISS ziet niet "
    "om welk huishouden het gaat. Uw antwoord verschijnt bij het agendapunt aan de tafel."
)
with unit_of_work() as session:
    questions = vraagbaak(session, actor)
waiting = {q.id: q for q in questions if q.antwoord is None}

st.header(f"Open vragen ({len(waiting)})")
if not waiting:
    st.write("Geen open vragen.")
for q in waiting.values():
    st.info(f"**Vraag {q.id}** · {q.tafel} · {nl.date(q.gesteld_op)}\n\n{q.vraag}")

chosen = st.session_state.get("vb_vraag")
form = Form("vraagbaak", button="vb_antwoorden", fields={"vb_vraag": None, "vb_antwoord": ""},
            target=chosen if chosen in waiting else None)  # fmt: skip
if waiting:
    with st.container(border=True):
        st.subheader("Antwoorden")
        vraag_id = st.selectbox(
            "Vraag", list(waiting), index=None, placeholder="Kies een vraag",
            format_func=lambda i: f"Vraag {i} ({waiting[i].tafel}): {waiting[i].vraag[:80]}",
            key="vb_vraag",
        )  # fmt: skip
        st.caption("Antwoord in algemene termen; noem geen namen of adressen.")
        antwoord = st.text_area("Antwoord van KISS", key="vb_antwoord")
        if form.button("Antwoord versturen", type="primary"):
            form.submit(
                lambda s: answer(s, actor, vraag_id, antwoord).id,
                success=lambda i: f"Vraag {i} beantwoord; de tafel ziet het antwoord.",
            )

st.header("Beantwoorde vragen")
done = [q for q in questions if q.antwoord is not None]
if not done:
    st.write("Nog geen beantwoorde vragen.")
else:
    st.dataframe(
        nl.table(done, {"tafel": "Tafel", "gesteld_op": "Gesteld op", "vraag": "Vraag",
                        "antwoord": "Antwoord", "beantwoord_op": "Beantwoord op"}),
        hide_index=True, key="vb_beantwoord",
    )  # fmt: skip
