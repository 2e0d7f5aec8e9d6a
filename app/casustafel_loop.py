"""The loop at the Casustafel: history per agenda item, deciding again, the vraagbaak, knelpunten.

Called from ``app/views/casustafel.py`` with one line. Per agenda item the table sees who
brought it (a GBD-er or an ervaringswerker), the chain of decisions (a new decision after a
tegenspraak replaces the old one; both stay), the questions to KISS with their answers, the
systeemknelpunten, and for the item picked what the ervaringswerker saw. After a tegenspraak
the table decides again or puts the question to KISS (in general terms: no names).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app import format as nl
from app.context import unit_of_work
from app.forms import Form
from app.huishouden_loop import render_stability
from coordination import decisions
from coordination.casetables import AgendaRow
from coordination.knelpunten import GENERAL_TERMS, blocking_rules, record_bottleneck
from coordination.loop import NO_NAMES, ItemLoop, escalate, table_loop
from experiments.loop import may_see_stability, stability_view
from households.actor import Actor
from households.errors import InvalidInput

__all__ = ["show_table_loop"]


def _need(value, what: str):
    if value is None:
        raise InvalidInput(f"Kies eerst {what}.")
    return value


def _kiss_state(loop: ItemLoop) -> str:
    if not loop.escalations:
        return "—"
    return "beantwoord" if all(q.antwoord for q in loop.escalations) else "wacht op KISS"


def _history(loop: ItemLoop) -> None:
    if loop.ingebracht_door:
        st.caption(f"Op de agenda gezet door {loop.ingebracht_door}.")
    for n, step in enumerate(loop.chain, start=1):
        replaced = n < len(loop.chain)
        st.markdown(
            f"{n}. {nl.date(step.datum)} — **{step.soort}**: {step.tekst} "
            f"({step.besloten_door or '—'})" + (" · *vervangen*" if replaced else "")
        )
        if step.review:
            st.caption(f"Review: {step.review}")
    for q in loop.escalations:
        st.info(f"**Vraag aan KISS** ({nl.date(q.gesteld_op)}): {q.vraag}")
        if q.antwoord:
            st.success(f"**Antwoord van KISS** ({nl.date(q.beantwoord_op)}): {q.antwoord}")
        else:
            st.caption("KISS heeft nog niet geantwoord.")
    for text in loop.knelpunten:
        st.markdown(f"- Systeemknelpunt: {text}")


def _shown(key: str, options) -> object:
    """The record picked in ``key`` as this run shows it (None when it left the list)."""
    value = st.session_state.get(key)
    return value if value in options else None


def _forms(actor: Actor, table_id: int, loops: dict[int, ItemLoop], labels: dict, rules) -> None:
    dissent = {lp.dissent_decision_id: labels[lp.agenda_item_id] for lp in loops.values()
               if lp.dissent_decision_id}  # fmt: skip
    c1, c2 = st.columns(2)
    with c1.container(border=True):
        st.subheader("Opnieuw besluiten na tegenspraak")
        again = Form("tafel_opnieuw", button="opnieuw_besluiten",
                     fields={"opnieuw_besluit": None, "opnieuw_tekst": "", "opnieuw_soort": None},
                     target=(table_id, _shown("opnieuw_besluit", dissent)))  # fmt: skip
        dec = st.selectbox("Besluit met tegenspraak", list(dissent), index=None,
                           format_func=dissent.get, placeholder="Kies een besluit",
                           key="opnieuw_besluit")  # fmt: skip
        tekst = st.text_area("Nieuw besluit", key="opnieuw_tekst")
        soort = st.radio("Soort", ["standaard", "maatwerk"], index=None, key="opnieuw_soort",
                         horizontal=True)  # fmt: skip
        if again.button("Opnieuw besluiten"):
            again.submit(
                lambda s: decisions.decide_again(s, actor, _need(dec, "een besluit"), tekst, soort),
                success="Nieuw besluit vastgelegd; het oude blijft in de geschiedenis.",
            )
    with c2.container(border=True):
        st.subheader("Voorleggen aan KISS (vraagbaak)")
        ask = Form("tafel_escaleren", button="escaleren",
                   fields={"escaleren_besluit": None, "escaleren_vraag": ""},
                   target=(table_id, _shown("escaleren_besluit", dissent)))  # fmt: skip
        esc = st.selectbox("Besluit met tegenspraak", list(dissent), index=None,
                           format_func=dissent.get, placeholder="Kies een besluit",
                           key="escaleren_besluit")  # fmt: skip
        st.caption(NO_NAMES)
        vraag = st.text_area("Vraag aan KISS", key="escaleren_vraag")
        if ask.button("Voorleggen aan KISS"):
            ask.submit(
                lambda s: escalate(s, actor, _need(esc, "een besluit"), vraag),
                success="De vraag staat bij KISS; het antwoord komt bij dit agendapunt.",
            )
    options = {}
    for lp in loops.values():
        for step in lp.chain:
            options[("besluit", step.decision_id)] = f"besluit {labels[lp.agenda_item_id]}"
        for spend_id, cents, datum in lp.spends:
            options[("uitgave", spend_id)] = f"uitgave {nl.euro_cents(cents)} van {nl.date(datum)}"
    with st.container(border=True):
        st.subheader("Systeemknelpunt: welke regel blokkeerde de standaardoplossing?")
        keys = list(options)
        form = Form("tafel_knelpunt", button="knelpunt_vastleggen",
                    fields={"knelpunt_bron": None, "knelpunt_regel": None, "knelpunt_tekst": ""},
                    target=(table_id, _shown("knelpunt_bron", range(len(keys)))))  # fmt: skip
        c1, c2 = st.columns(2)
        pick = c1.selectbox("Besluit of uitgave", range(len(keys)), index=None,
                            format_func=lambda i: options[keys[i]], placeholder="Kies",
                            key="knelpunt_bron")  # fmt: skip
        names = {r.id: r.naam for r in rules}
        regel = c2.selectbox("Regel of regeling", list(names), index=None,
                             format_func=names.get, placeholder="Kies een regel",
                             key="knelpunt_regel")  # fmt: skip
        st.caption(GENERAL_TERMS)
        tekst = st.text_area("Wat liep er vast?", key="knelpunt_tekst")
        if form.button("Knelpunt vastleggen"):
            kind, ref = keys[pick] if pick is not None else (None, None)
            form.submit(
                lambda s: record_bottleneck(s, actor, regel, tekst,
                                            decision_id=ref if kind == "besluit" else None,
                                            spend_id=ref if kind == "uitgave" else None),
                success="Systeemknelpunt vastgelegd (KISS ziet het geteld, zonder huishouden).",
            )  # fmt: skip


def show_table_loop(actor: Actor, table_id: int, rows: Sequence[AgendaRow]) -> None:
    """Spraak en tegenspraak that goes somewhere, for the members of one table."""
    with unit_of_work() as session:
        loops = table_loop(session, actor, table_id)
        rules = blocking_rules(session, actor)
    labels = {r.agenda_item_id: f"{r.agenda_item_id}: {r.adres} — {r.vraag}" for r in rows}
    loops = {k: v for k, v in loops.items() if k in labels}
    with st.container(border=True):
        st.header("Per agendapunt: geschiedenis, KISS en het logboek")
        st.dataframe(nl.table([
            {"punt": k, "besluiten": len(v.chain), "KISS": _kiss_state(v),
             "ingebracht door": v.ingebracht_door} for k, v in loops.items()]),
            hide_index=True, key="lus_overzicht")  # fmt: skip
        item = st.selectbox("Agendapunt bekijken", list(labels), index=None,
                            format_func=labels.get, placeholder="Kies een agendapunt",
                            key="lus_punt")  # fmt: skip
        if item in loops:
            _history(loops[item])
            household_id = loops[item].household_id
            with unit_of_work() as session:
                view = (stability_view(session, actor, household_id)
                        if may_see_stability(session, actor, household_id) else None)  # fmt: skip
            if view is not None:
                st.markdown("**Wat de ervaringswerker zag**")
                render_stability(view, key=f"lus_stab_{item}")
    _forms(actor, table_id, loops, labels, rules)
