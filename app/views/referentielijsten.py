"""Referentielijsten (beheer): de regels en regelingen die een standaardoplossing blokkeren."""

import streamlit as st

from app import format as nl
from app.context import require_actor, unit_of_work
from app.forms import Form
from app.reference_section import render_shv_norms
from coordination.knelpunten import blocking_rules, save_blocking_rule

actor = require_actor()
st.title("Referentielijsten")
st.header("Regels die een standaardoplossing blokkeren")
st.caption(
    "Casustafels, het Tussen-wal-en-schip-budget en ervaringswerkers noemen bij een "
    "systeemknelpunt een regel uit deze lijst; KISS ziet ze geteld per regel. Een regel "
    "die niet meer gebruikt wordt, zet u op niet actief (vastgelegde knelpunten houden hun regel)."
)
with unit_of_work() as session:
    rules = blocking_rules(session, actor, only_active=False)
st.dataframe(
    nl.table(rules, {"code": "Code", "naam": "Naam", "domein": "Domein",
                     "omschrijving": "Omschrijving", "actief": "Actief"}),
    hide_index=True, key="ref_tabel",
)  # fmt: skip

c1, c2 = st.columns(2)
with c1.container(border=True):
    st.subheader("Regel toevoegen")
    empty = {"ref_code": "", "ref_naam": "", "ref_domein": "", "ref_omschrijving": ""}
    add = Form("ref_toevoegen", button="ref_toevoegen", fields=empty)
    code = st.text_input("Code (bijv. PW_KOSTENDELERS)", key="ref_code")
    naam = st.text_input("Naam", key="ref_naam")
    domein = st.text_input("Domein (optioneel)", key="ref_domein")
    omschrijving = st.text_area("Omschrijving", key="ref_omschrijving", height=68)
    if add.button("Toevoegen"):
        add.submit(lambda s: save_blocking_rule(s, actor, code, naam, omschrijving, domein).naam,
                   success=lambda n: f"Regel '{n}' toegevoegd.")  # fmt: skip

by_id = {r.id: r for r in rules}
with c2.container(border=True):
    st.subheader("Regel wijzigen")
    picked = st.session_state.get("ref_regel")
    change = Form("ref_wijzigen", button="ref_wijzigen", fields={"ref_regel": None},
                  target=picked if picked in by_id else None)  # fmt: skip
    rule_id = st.selectbox("Regel", list(by_id), index=None, placeholder="Kies een regel",
                           format_func=lambda i: f"{by_id[i].code}: {by_id[i].naam}",
                           key="ref_regel")  # fmt: skip
    if rule_id is not None:
        r = by_id[rule_id]
        w_code = st.text_input("Code", value=r.code, key=f"ref_code_{r.id}")
        w_naam = st.text_input("Naam", value=r.naam, key=f"ref_naam_{r.id}")
        w_domein = st.text_input("Domein", value=r.domein or "", key=f"ref_domein_{r.id}")
        w_oms = st.text_area("Omschrijving", value=r.omschrijving or "", key=f"ref_oms_{r.id}")
        w_actief = st.checkbox("Actief", value=r.actief, key=f"ref_actief_{r.id}")
        if change.button("Wijziging opslaan"):
            change.submit(
                lambda s: save_blocking_rule(s, actor, w_code, w_naam, w_oms, w_domein, w_actief,
                                             rule_id=rule_id).naam,
                success=lambda n: f"Regel '{n}' gewijzigd.",
            )  # fmt: skip
render_shv_norms(actor)  # the schuldhulp norms (issue 15)
