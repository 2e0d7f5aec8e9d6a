"""Casustafel: meetings, agenda, decisions with four-eyes review, actions, feedback, budget.

One read per rerun (:func:`_read`, one unit of work into frozen values), then the page
renders. Every user action is a button callback that runs in its own unit of work
(:func:`~app.context.attempt`) before the read, so the page always shows the
committed state, and a refused action leaves the page whole with the Dutch message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app import format as nl
from app.context import attempt, require_actor, unit_of_work
from coordination import casetables as ct
from coordination import decisions
from coordination.actions import (
    ActionRow,
    add_action,
    feedback_compliance,
    overdue_actions,
    record_feedback,
    table_actions,
)
from coordination.budget import BudgetStatus, remaining, set_budget, spend
from coordination.casetables import AgendaRow, TableInfo
from coordination.frontdoor import my_households
from coordination.regie import institutions

actor = require_actor()
today = dt.date.today()
state = st.session_state


@dataclass(frozen=True)
class TableScreen:
    """Everything this page shows for one table, read in one unit of work."""

    table: TableInfo
    meetings: tuple[tuple[int, dt.date], ...] = ()
    households: tuple[tuple[int, str], ...] = ()
    institutions: tuple[tuple[int, str], ...] = ()
    agenda: tuple[AgendaRow, ...] = ()
    actions: tuple[ActionRow, ...] = ()
    overdue: tuple[ActionRow, ...] = ()
    compliance: pd.DataFrame | None = None
    budget: BudgetStatus | None = None


def _read(table_id: int | None) -> tuple[list[TableInfo], TableScreen | None]:
    with unit_of_work() as session:
        tables = ct.list_tables(session, actor)
        if not tables:
            return tables, None
        by_id = {t.id: t for t in tables}
        table = by_id.get(table_id) or tables[0]
        if not table.lid:
            return tables, TableScreen(table)
        return tables, TableScreen(
            table=table,
            meetings=tuple((m.id, m.datum) for m in ct.meetings(session, actor, table.id)),
            households=tuple(my_households(session, actor)),
            institutions=tuple(institutions(session, actor)),
            agenda=tuple(ct.agenda(session, actor, table.id)),
            actions=tuple(table_actions(session, actor, table.id, today)),
            overdue=tuple(overdue_actions(session, actor, today)),
            compliance=feedback_compliance(session, actor, today),
            budget=remaining(session, actor, today.year),
        )


# --- the user's actions (callbacks: they run before the read of the next rerun) ---------


def _join(table_id: int) -> None:
    attempt(lambda s: ct.add_member(s, actor, table_id, actor.user_id),
            success="U bent nu lid van deze tafel.")  # fmt: skip


def _plan(table_id: int) -> None:
    datum = state.get("overleg_datum")
    attempt(lambda s: ct.plan_meeting(s, actor, table_id, datum),
            success=f"Overleg gepland op {nl.date(datum)}.")  # fmt: skip


def _put_on_agenda(table_id: int) -> None:
    hh, vraag, overleg = (state.get(k) for k in ("agenda_huishouden", "agenda_vraag",
                                                  "agenda_overleg"))  # fmt: skip
    attempt(lambda s: ct.add_agenda_item(s, actor, table_id, hh, vraag, meeting_id=overleg),
            success="Agendapunt toegevoegd.")  # fmt: skip


def _decide() -> None:
    item, tekst, soort = (state.get(k) for k in ("besluit_agendapunt", "besluit_tekst",
                                                  "besluit_soort"))  # fmt: skip
    done = "Besluit vastgelegd." + (" Het wacht op review." if soort == "maatwerk" else "")
    attempt(lambda s: decisions.decide(s, actor, item, tekst, soort), success=done)


def _review() -> None:
    dec, akkoord = state.get("review_besluit"), state.get("review_oordeel") == "akkoord"
    reden = state.get("review_reden")
    attempt(lambda s: decisions.review(s, actor, dec, akkoord, reden),
            success="Review vastgelegd.")  # fmt: skip


def _give_action() -> None:
    to_department = state.get("opdracht_ontvanger_soort", "Afdeling") == "Afdeling"
    attempt(
        lambda s: add_action(
            s, actor, state.get("opdracht_agendapunt"), state.get("opdracht_omschrijving"),
            state.get("opdracht_eigenaar"), state.get("opdracht_deadline"),
            afdeling=state.get("opdracht_afdeling") if to_department else None,
            institution_id=None if to_department else state.get("opdracht_instelling"),
        ),
        success="Opdracht gegeven.",
    )  # fmt: skip


def _feedback() -> None:
    attempt(
        lambda s: record_feedback(
            s, actor, state.get("terugkoppeling_opdracht"), state.get("terugkoppeling_tekst"),
            state.get("terugkoppeling_door"), today,
            afronden=bool(state.get("terugkoppeling_afronden")),
        ),
        success="Terugkoppeling vastgelegd.",
    )  # fmt: skip


def _spend() -> None:
    attempt(lambda s: spend(s, actor, state.get("budget_besluit"), state.get("budget_bedrag"),
                            state.get("budget_verantwoording")),
            success="Uitgave vastgelegd.")  # fmt: skip


def _set_budget() -> None:
    attempt(lambda s: set_budget(s, actor, today.year, state.get("budget_jaarbedrag")),
            success="Budget vastgesteld.")  # fmt: skip


# --- the page ---------------------------------------------------------------------------

st.title("Casustafel")
st.caption("Spraak en tegenspraak: een maatwerkbesluit geldt pas na review door een tweede GBD-er.")

tables, screen = _read(state.get("tafel"))
if screen is None:
    st.info("Er zijn nog geen casustafels.")
    st.stop()
by_id = {t.id: t for t in tables}
table_id = st.selectbox(
    "Tafel",
    list(by_id),
    index=list(by_id).index(screen.table.id),
    format_func=lambda i: by_id[i].naam,
    placeholder="Kies een tafel",
    key="tafel",
)
table = screen.table
st.caption("Leden: " + (", ".join(table.leden) or "nog geen"))
if not table.lid:
    st.info("U bent geen lid van deze tafel.")
    st.button("Aanschuiven bij deze tafel", key="tafel_aanschuiven", on_click=_join,
              args=(table.id,))  # fmt: skip
    st.stop()

with st.container(border=True):
    st.subheader("Overleg en agenda")
    c1, c2 = st.columns(2)
    c1.date_input("Datum overleg", today, key="overleg_datum", format="DD-MM-YYYY")
    c1.button("Overleg plannen", key="overleg_plannen", on_click=_plan, args=(table.id,))
    hh_labels = dict(screen.households)
    meeting_labels = {None: "(nog geen overleg)", **{i: nl.date(d) for i, d in screen.meetings}}
    c2.selectbox("Huishouden", list(hh_labels), format_func=hh_labels.get,
                 placeholder="Kies een huishouden", key="agenda_huishouden")  # fmt: skip
    c2.text_area("Vraag aan de tafel", key="agenda_vraag")
    c2.selectbox("Overleg", list(meeting_labels), format_func=meeting_labels.get,
                 placeholder="Kies een overleg", key="agenda_overleg")  # fmt: skip
    c2.button("Op de agenda zetten", key="agenda_toevoegen", on_click=_put_on_agenda,
              args=(table.id,))  # fmt: skip

rows = screen.agenda
st.dataframe(
    nl.table(rows, {"agenda_item_id": "punt", "adres": "huishouden", "vraag": "vraag",
                    "besluit": "besluit", "soort": "soort", "besloten_door": "besloten door",
                    "review": "review", "status": "status"}),
    hide_index=True,
)  # fmt: skip

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
    st.selectbox("Agendapunt", list(open_items), format_func=open_items.get,
                 placeholder="Kies een agendapunt", key="besluit_agendapunt")  # fmt: skip
    st.text_area("Besluit", key="besluit_tekst")
    st.radio("Soort", ["standaard", "maatwerk"], key="besluit_soort", horizontal=True)
    st.button("Besluit vastleggen", key="besluit_vastleggen", on_click=_decide)
with c2.container(border=True):
    st.subheader("Review (vier ogen)")
    st.selectbox("Besluit", list(to_review), format_func=to_review.get,
                 placeholder="Kies een besluit", key="review_besluit")  # fmt: skip
    st.radio("Oordeel", ["akkoord", "tegenspraak"], key="review_oordeel", horizontal=True)
    st.text_input("Reden (verplicht bij tegenspraak)", key="review_reden")
    st.button("Review vastleggen", key="review_vastleggen", on_click=_review)

c1, c2 = st.columns(2)
with c1.container(border=True):
    st.subheader("Opdracht geven")
    st.selectbox("Agendapunt", list(all_items), format_func=all_items.get,
                 placeholder="Kies een agendapunt", key="opdracht_agendapunt")  # fmt: skip
    st.text_input("Opdracht", key="opdracht_omschrijving")
    ontvanger = st.radio(
        "Aan", ["Afdeling", "Instelling"], key="opdracht_ontvanger_soort", horizontal=True
    )
    inst_labels = dict(screen.institutions)
    if ontvanger == "Afdeling":
        st.text_input("Afdeling", key="opdracht_afdeling")
    else:
        st.selectbox("Instelling", list(inst_labels), format_func=inst_labels.get,
                     placeholder="Kies een instelling", key="opdracht_instelling")  # fmt: skip
    st.text_input("Eigenaar", key="opdracht_eigenaar")
    st.date_input("Deadline", today + dt.timedelta(days=14), key="opdracht_deadline",
                  format="DD-MM-YYYY")  # fmt: skip
    st.button("Opdracht geven", key="opdracht_geven", on_click=_give_action)
with c2.container(border=True):
    st.subheader("Terugkoppeling")
    open_actions = {
        a.action_id: f"{a.action_id}: {a.ontvanger} — {a.omschrijving}"
        for a in screen.actions
        if a.status == "open"
    }
    st.selectbox("Opdracht", list(open_actions), format_func=open_actions.get,
                 placeholder="Kies een opdracht", key="terugkoppeling_opdracht")  # fmt: skip
    st.text_area("Terugkoppeling", key="terugkoppeling_tekst")
    st.text_input("Van wie", key="terugkoppeling_door")
    st.checkbox("Opdracht is afgerond", key="terugkoppeling_afronden")
    st.button("Terugkoppeling vastleggen", key="terugkoppeling_vastleggen", on_click=_feedback)

ACTION_COLUMNS = {
    "tafel": "tafel", "ontvanger": "aan", "omschrijving": "opdracht", "eigenaar": "eigenaar",
    "deadline": "deadline", "status": "status", "terugkoppelingen": "terugkoppelingen",
    "dagen_te_laat": "dagen te laat",
}  # fmt: skip
COMPLIANCE_COLUMNS = {
    "institution": "instelling", "actions": "opdrachten", "with_feedback": "met terugkoppeling",
    "share": "aandeel",
}  # fmt: skip

st.subheader("Opdrachten van deze tafel")
st.dataframe(nl.table(screen.actions, ACTION_COLUMNS), hide_index=True)
st.subheader("Verlopen opdrachten (al uw tafels)")
st.dataframe(nl.table(screen.overdue, ACTION_COLUMNS), hide_index=True)
st.subheader("Terugkoppeling per instelling")
compliance = screen.compliance.rename(columns=COMPLIANCE_COLUMNS)
compliance["aandeel"] = compliance["aandeel"].map(nl.percentage)
st.dataframe(compliance, hide_index=True)

budget = screen.budget
with st.container(border=True):
    st.subheader(f"Tussen-wal-en-schip-budget {today.year}")
    m1, m2, m3 = st.columns(3)
    m1.metric("Budget", nl.euro(budget.budget))
    m2.metric("Besteed", nl.euro(budget.besteed))
    m3.metric("Resterend", nl.euro(budget.resterend))
    st.selectbox("Gereviewd maatwerkbesluit", list(in_force), format_func=in_force.get,
                 placeholder="Kies een besluit", key="budget_besluit")  # fmt: skip
    st.text_input("Bedrag (€)", key="budget_bedrag")
    st.text_input("Verantwoording", key="budget_verantwoording")
    st.button("Uitgave vastleggen", key="budget_besteden", on_click=_spend)
    st.text_input(f"Budget {today.year} vaststellen (€)", key="budget_jaarbedrag")
    st.button("Budget vaststellen", key="budget_vaststellen", on_click=_set_budget)
