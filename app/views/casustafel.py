"""Casustafel: meetings, agenda, decisions with four-eyes review, actions, feedback, budget."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app.context import require_actor, unit_of_work
from coordination import casetables as ct
from coordination import decisions
from coordination.actions import (
    add_action,
    feedback_compliance,
    overdue_actions,
    record_feedback,
    table_actions,
)
from coordination.budget import remaining, set_budget, spend
from coordination.frontdoor import my_households
from coordination.regie import institutions


def _euro(amount) -> str:
    """Dutch money notation: € 1.234,56."""
    return "€ " + f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


actor = require_actor()
today = dt.date.today()
st.title("Casustafel")
st.caption("Spraak en tegenspraak: een maatwerkbesluit geldt pas na review door een tweede GBD-er.")

tables: list = []
with unit_of_work() as session:
    tables = ct.list_tables(session, actor)
if not tables:
    st.stop()
by_id = {t.id: t for t in tables}
table_id = st.selectbox(
    "Tafel",
    list(by_id),
    format_func=lambda i: by_id[i].naam,
    placeholder="Kies een tafel",
    key="tafel",
)
table = by_id[table_id]
st.caption("Leden: " + (", ".join(table.leden) or "nog geen"))
if not table.lid:
    st.info("U bent geen lid van deze tafel.")
    if st.button("Aanschuiven bij deze tafel", key="tafel_aanschuiven"):
        with unit_of_work() as session:
            ct.add_member(session, actor, table_id, actor.user_id)
            st.success("U bent nu lid van deze tafel.")
    st.stop()

meetings, households, rows, actions, insts = [], [], [], [], []
with unit_of_work() as session:
    meetings = [(m.id, m.datum) for m in ct.meetings(session, actor, table_id)]
    households = my_households(session, actor)
    insts = institutions(session, actor)

with st.container(border=True):
    st.subheader("Overleg en agenda")
    c1, c2 = st.columns(2)
    datum = c1.date_input("Datum overleg", today, key="overleg_datum", format="DD-MM-YYYY")
    if c1.button("Overleg plannen", key="overleg_plannen"):
        with unit_of_work() as session:
            m = ct.plan_meeting(session, actor, table_id, datum)
            meetings.insert(0, (m.id, m.datum))
            st.success(f"Overleg gepland op {datum:%d-%m-%Y}.")
    hh_labels = dict(households)
    meeting_labels = {None: "(nog geen overleg)", **{i: f"{d:%d-%m-%Y}" for i, d in meetings}}
    hh = c2.selectbox(
        "Huishouden",
        list(hh_labels),
        format_func=hh_labels.get,
        placeholder="Kies een huishouden",
        key="agenda_huishouden",
    )
    vraag = c2.text_area("Vraag aan de tafel", key="agenda_vraag")
    overleg = c2.selectbox(
        "Overleg",
        list(meeting_labels),
        format_func=meeting_labels.get,
        placeholder="Kies een overleg",
        key="agenda_overleg",
    )
    if c2.button("Op de agenda zetten", key="agenda_toevoegen"):
        with unit_of_work() as session:
            ct.add_agenda_item(session, actor, table_id, hh, vraag, meeting_id=overleg)
            st.success("Agendapunt toegevoegd.")

with unit_of_work() as session:
    rows = ct.agenda(session, actor, table_id)
    actions = table_actions(session, actor, table_id, today)
st.dataframe(
    pd.DataFrame(
        [
            (
                r.agenda_item_id,
                r.adres,
                r.vraag,
                r.besluit,
                r.soort,
                r.besloten_door,
                r.review,
                r.status,
            )
            for r in rows
        ],
        columns=[
            "punt",
            "huishouden",
            "vraag",
            "besluit",
            "soort",
            "besloten door",
            "review",
            "status",
        ],
    ),
    hide_index=True,
)

open_items = {
    r.agenda_item_id: f"{r.agenda_item_id}: {r.adres} — {r.vraag}"
    for r in rows
    if r.status == "open"
}
to_review = {
    r.decision_id: f"{r.agenda_item_id}: {r.besluit} ({r.besloten_door})"
    for r in rows
    if r.status == "wacht op review"
}
in_force = {
    r.decision_id: f"{r.agenda_item_id}: {r.besluit}"
    for r in rows
    if r.status == "in werking" and r.soort == "maatwerk"
}
all_items = {r.agenda_item_id: f"{r.agenda_item_id}: {r.adres} — {r.vraag}" for r in rows}

c1, c2 = st.columns(2)
with c1.container(border=True):
    st.subheader("Besluiten")
    item = st.selectbox(
        "Agendapunt",
        list(open_items),
        format_func=open_items.get,
        placeholder="Kies een agendapunt",
        key="besluit_agendapunt",
    )
    tekst = st.text_area("Besluit", key="besluit_tekst")
    soort = st.radio("Soort", ["standaard", "maatwerk"], key="besluit_soort", horizontal=True)
    if st.button("Besluit vastleggen", key="besluit_vastleggen"):
        with unit_of_work() as session:
            decisions.decide(session, actor, item, tekst, soort)
            st.success(
                "Besluit vastgelegd." + (" Het wacht op review." if soort == "maatwerk" else "")
            )
with c2.container(border=True):
    st.subheader("Review (vier ogen)")
    dec = st.selectbox(
        "Besluit",
        list(to_review),
        format_func=to_review.get,
        placeholder="Kies een besluit",
        key="review_besluit",
    )
    oordeel = st.radio("Oordeel", ["akkoord", "tegenspraak"], key="review_oordeel", horizontal=True)
    reden = st.text_input("Reden (verplicht bij tegenspraak)", key="review_reden")
    if st.button("Review vastleggen", key="review_vastleggen"):
        with unit_of_work() as session:
            decisions.review(session, actor, dec, oordeel == "akkoord", reden)
            st.success("Review vastgelegd.")

c1, c2 = st.columns(2)
with c1.container(border=True):
    st.subheader("Opdracht geven")
    a_item = st.selectbox(
        "Agendapunt",
        list(all_items),
        format_func=all_items.get,
        placeholder="Kies een agendapunt",
        key="opdracht_agendapunt",
    )
    omschrijving = st.text_input("Opdracht", key="opdracht_omschrijving")
    ontvanger = st.radio(
        "Aan", ["Afdeling", "Instelling"], key="opdracht_ontvanger_soort", horizontal=True
    )
    inst_labels = dict(insts)
    afdeling = instelling = None
    if ontvanger == "Afdeling":
        afdeling = st.text_input("Afdeling", key="opdracht_afdeling")
    else:
        instelling = st.selectbox(
            "Instelling",
            list(inst_labels),
            format_func=inst_labels.get,
            placeholder="Kies een instelling",
            key="opdracht_instelling",
        )
    eigenaar = st.text_input("Eigenaar", key="opdracht_eigenaar")
    deadline = st.date_input(
        "Deadline", today + dt.timedelta(days=14), key="opdracht_deadline", format="DD-MM-YYYY"
    )
    if st.button("Opdracht geven", key="opdracht_geven"):
        with unit_of_work() as session:
            add_action(
                session,
                actor,
                a_item,
                omschrijving,
                eigenaar,
                deadline,
                afdeling=afdeling if ontvanger == "Afdeling" else None,
                institution_id=instelling,
            )
            st.success("Opdracht gegeven.")
with c2.container(border=True):
    st.subheader("Terugkoppeling")
    open_actions = {
        a.action_id: f"{a.action_id}: {a.ontvanger} — {a.omschrijving}"
        for a in actions
        if a.status == "open"
    }
    act = st.selectbox(
        "Opdracht",
        list(open_actions),
        format_func=open_actions.get,
        placeholder="Kies een opdracht",
        key="terugkoppeling_opdracht",
    )
    fb_tekst = st.text_area("Terugkoppeling", key="terugkoppeling_tekst")
    fb_door = st.text_input("Van wie", key="terugkoppeling_door")
    afronden = st.checkbox("Opdracht is afgerond", key="terugkoppeling_afronden")
    if st.button("Terugkoppeling vastleggen", key="terugkoppeling_vastleggen"):
        with unit_of_work() as session:
            record_feedback(session, actor, act, fb_tekst, fb_door, today, afronden=afronden)
            st.success("Terugkoppeling vastgelegd.")


def _actions_frame(items) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (
                a.tafel,
                a.ontvanger,
                a.omschrijving,
                a.eigenaar,
                a.deadline,
                a.status,
                a.terugkoppelingen,
                a.dagen_te_laat,
            )
            for a in items
        ],
        columns=[
            "tafel",
            "aan",
            "opdracht",
            "eigenaar",
            "deadline",
            "status",
            "terugkoppelingen",
            "dagen te laat",
        ],
    )


st.subheader("Opdrachten van deze tafel")
st.dataframe(_actions_frame(actions), hide_index=True)
with unit_of_work() as session:
    overdue = overdue_actions(session, actor, today)
    compliance = feedback_compliance(session, actor, today)
    budget = remaining(session, actor, today.year)
st.subheader("Verlopen opdrachten (al uw tafels)")
st.dataframe(_actions_frame(overdue), hide_index=True)
st.subheader("Terugkoppeling per instelling")
st.dataframe(compliance, hide_index=True)

with st.container(border=True):
    st.subheader(f"Tussen-wal-en-schip-budget {today.year}")
    m1, m2, m3 = st.columns(3)
    m1.metric("Budget", _euro(budget.budget))
    m2.metric("Besteed", _euro(budget.besteed))
    m3.metric("Resterend", _euro(budget.resterend))
    b_dec = st.selectbox(
        "Gereviewd maatwerkbesluit",
        list(in_force),
        format_func=in_force.get,
        placeholder="Kies een besluit",
        key="budget_besluit",
    )
    bedrag = st.text_input("Bedrag (€)", key="budget_bedrag")
    verantwoording = st.text_input("Verantwoording", key="budget_verantwoording")
    if st.button("Uitgave vastleggen", key="budget_besteden"):
        with unit_of_work() as session:
            spend(session, actor, b_dec, bedrag, verantwoording)
            st.success("Uitgave vastgelegd.")
    jaarbedrag = st.text_input(f"Budget {today.year} vaststellen (€)", key="budget_jaarbedrag")
    if st.button("Budget vaststellen", key="budget_vaststellen"):
        with unit_of_work() as session:
            set_budget(session, actor, today.year, jaarbedrag)
            st.success("Budget vastgesteld.")
