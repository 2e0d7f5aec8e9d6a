"""Casustafel: meetings, agenda, decisions with four-eyes review, actions, feedback, budget.

One read per rerun (:func:`_read`, one unit of work into frozen values), then the page
renders. Every writing form is an :class:`app.forms.Form`: it writes once (a double click
is absorbed), only to the table and record it was filled in for, and after the commit the
page reruns with empty fields, so every list, status and metric shows the saved record. A
refused write leaves the form as filled in, with the Dutch message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app import format as nl
from app.casustafel_loop import show_table_loop
from app.casustafel_partners import show_partner_members
from app.casustafel_plan import show_goal_from_decision
from app.context import require_actor, unit_of_work
from app.forms import Form
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
from households.errors import InvalidInput

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
            households=tuple(my_households(session, actor, paginagrootte=100)),  # most urgent 100
            institutions=tuple(institutions(session, actor)),
            agenda=tuple(ct.agenda(session, actor, table.id)),
            actions=tuple(table_actions(session, actor, table.id, today)),
            overdue=tuple(overdue_actions(session, actor, today)),
            compliance=feedback_compliance(session, actor, today),
            budget=remaining(session, actor, today.year),
        )


# --- the forms (app.forms.Form: written once, to the record on screen, then shown) -------
#
# Every choice of a record is a selectbox of ids (label by format_func) without a default,
# so a list that changes after a save can never move a pending choice onto another record.
# Each form's target is the table on screen plus the record picked in the form.


def _need(value, what: str):
    """The picked record, or a Dutch refusal when nothing was picked (nothing is written)."""
    if value is None:
        raise InvalidInput(f"Kies eerst {what}.")
    return value


def _shown(form: str, key: str, options: dict):
    """The record picked in ``form``'s field ``key`` as it will be shown on this run.

    None when the form is about to empty its fields (just saved) or the record left the list.
    """
    if key in state.get(f"_leeg_{form}", {}):
        return None
    value = state.get(key)
    return value if value in options else None


def _pick(where, label: str, options: dict, key: str, placeholder: str, empty: str):
    """A choice of record ids, none preselected; says why when there is nothing to choose."""
    if not options:
        where.caption(empty)
    return where.selectbox(label, list(options), index=None, format_func=options.get,
                           placeholder=placeholder, key=key)  # fmt: skip


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
join = Form("tafel_aanschuiven", button="tafel_aanschuiven", target=table.id)  # its message too
if not table.lid:
    st.info("U bent geen lid van deze tafel.")
    if join.button("Aanschuiven bij deze tafel"):
        join.submit(lambda s: ct.add_member(s, actor, table.id, actor.user_id),
                    success="U bent nu lid van deze tafel.")  # fmt: skip
    st.stop()

with st.container(border=True):
    st.header("Overleg en agenda")
    c1, c2 = st.columns(2)
    with c1:
        plan = Form("tafel_overleg", button="overleg_plannen", fields={"overleg_datum": None},
                    target=table.id)  # fmt: skip
        datum = st.date_input("Datum overleg", None, key="overleg_datum", format="DD-MM-YYYY")
        if plan.button("Overleg plannen"):
            plan.submit(lambda s: ct.plan_meeting(s, actor, table.id, datum).datum,
                        success=lambda d: f"Overleg gepland op {nl.date(d)}.")  # fmt: skip
    with c2:
        agenda = Form(
            "tafel_agendapunt",
            button="agenda_toevoegen",
            fields={"agenda_huishouden": None, "agenda_vraag": "", "agenda_overleg": None},
            target=table.id,
        )
        hh = _pick(st, "Huishouden", dict(screen.households), "agenda_huishouden",
                   "Kies een huishouden", "U heeft nog geen huishoudens geopend.")  # fmt: skip
        vraag = st.text_area("Vraag aan de tafel", key="agenda_vraag")
        overleg = st.selectbox("Overleg (optioneel)", [i for i, _ in screen.meetings], index=None,
                               format_func={i: nl.date(d) for i, d in screen.meetings}.get,
                               placeholder="Nog geen overleg", key="agenda_overleg")  # fmt: skip
        if agenda.button("Op de agenda zetten"):
            agenda.submit(
                lambda s: ct.add_agenda_item(s, actor, table.id, _need(hh, "een huishouden"),
                                             vraag, meeting_id=overleg),
                success="Agendapunt toegevoegd.",
            )  # fmt: skip

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
    st.header("Besluiten")
    decide = Form(
        "tafel_besluit",
        button="besluit_vastleggen",
        fields={"besluit_agendapunt": None, "besluit_tekst": "", "besluit_soort": None},
        target=(table.id, _shown("tafel_besluit", "besluit_agendapunt", open_items)),
    )
    item = _pick(st, "Agendapunt", open_items, "besluit_agendapunt", "Kies een agendapunt",
                 "Geen open agendapunten: zet eerst een huishouden op de agenda.")  # fmt: skip
    tekst = st.text_area("Besluit", key="besluit_tekst")
    soort = st.radio("Soort", ["standaard", "maatwerk"], index=None, key="besluit_soort",
                     horizontal=True)  # fmt: skip
    if decide.button("Besluit vastleggen"):
        decide.submit(
            lambda s: decisions.decide(s, actor, _need(item, "een agendapunt"), tekst, soort).soort,
            success=lambda kind: (
                "Besluit vastgelegd."
                + (" Het wacht op review door een andere GBD-er." if kind == "maatwerk" else "")
            ),
        )
with c2.container(border=True):
    st.header("Review (vier ogen)")
    review = Form(
        "tafel_review",
        button="review_vastleggen",
        fields={"review_besluit": None, "review_oordeel": None, "review_reden": ""},
        target=(table.id, _shown("tafel_review", "review_besluit", to_review)),
    )
    dec = _pick(st, "Besluit", to_review, "review_besluit", "Kies een besluit",
                "Geen besluiten die op review wachten.")  # fmt: skip
    oordeel = st.radio("Oordeel", ["akkoord", "tegenspraak"], index=None, key="review_oordeel",
                       horizontal=True)  # fmt: skip
    reden = st.text_input("Reden (verplicht bij tegenspraak)", key="review_reden")
    st.caption("Een maatwerkbesluit reviewt een andere GBD-er dan wie besloot.")
    if review.button("Review vastleggen"):
        review.submit(
            lambda s: decisions.review(s, actor, _need(dec, "een besluit"),
                                       None if oordeel is None else oordeel == "akkoord", reden),
            success="Review vastgelegd.",
        )  # fmt: skip

show_goal_from_decision(actor, table.id, rows)  # the plan (app/casustafel_plan.py)
show_table_loop(actor, table.id, rows)  # history, deciding again, KISS, knelpunten, logs

c1, c2 = st.columns(2)
with c1.container(border=True):
    st.header("Opdracht geven")
    give = Form(
        "tafel_opdracht",
        button="opdracht_geven",
        fields={"opdracht_agendapunt": None, "opdracht_omschrijving": "", "opdracht_afdeling": "",
                "opdracht_instelling": None, "opdracht_eigenaar": "", "opdracht_deadline": None},
        target=(table.id, _shown("tafel_opdracht", "opdracht_agendapunt", all_items)),
    )  # fmt: skip
    picked = _pick(st, "Agendapunt", all_items, "opdracht_agendapunt", "Kies een agendapunt",
                   "Nog geen agendapunten aan deze tafel.")  # fmt: skip
    omschrijving = st.text_input("Opdracht", key="opdracht_omschrijving")
    ontvanger = st.radio(
        "Aan", ["Afdeling", "Instelling"], key="opdracht_ontvanger_soort", horizontal=True
    )
    inst_labels = dict(screen.institutions)
    if ontvanger == "Afdeling":
        afdeling, instelling = st.text_input("Afdeling", key="opdracht_afdeling"), None
    else:
        afdeling = None
        instelling = st.selectbox("Instelling", list(inst_labels), index=None,
                                  format_func=inst_labels.get, placeholder="Kies een instelling",
                                  key="opdracht_instelling")  # fmt: skip
    eigenaar = st.text_input("Eigenaar", key="opdracht_eigenaar")
    deadline = st.date_input("Deadline", None, key="opdracht_deadline", format="DD-MM-YYYY")
    if give.button("Opdracht geven"):
        give.submit(
            lambda s: add_action(s, actor, _need(picked, "een agendapunt"), omschrijving,
                                 eigenaar, deadline, afdeling=afdeling, institution_id=instelling),
            success="Opdracht gegeven.",
        )  # fmt: skip
with c2.container(border=True):
    st.header("Terugkoppeling")
    open_actions = {
        a.action_id: f"{a.action_id}: {a.ontvanger} — {a.omschrijving}"
        for a in screen.actions
        if a.status == "open"
    }
    feedback = Form(
        "tafel_terugkoppeling",
        button="terugkoppeling_vastleggen",
        fields={"terugkoppeling_opdracht": None, "terugkoppeling_tekst": "",
                "terugkoppeling_door": "", "terugkoppeling_afronden": False},
        target=(table.id, _shown("tafel_terugkoppeling", "terugkoppeling_opdracht", open_actions)),
    )  # fmt: skip
    action = _pick(st, "Opdracht", open_actions, "terugkoppeling_opdracht", "Kies een opdracht",
                   "Geen open opdrachten aan deze tafel.")  # fmt: skip
    fb_tekst = st.text_area("Terugkoppeling", key="terugkoppeling_tekst")
    door = st.text_input("Van wie", key="terugkoppeling_door")
    afronden = st.checkbox("Opdracht is afgerond", key="terugkoppeling_afronden")
    if feedback.button("Terugkoppeling vastleggen"):
        feedback.submit(
            lambda s: record_feedback(s, actor, _need(action, "een opdracht"), fb_tekst, door,
                                      today, afronden=afronden),
            success="Terugkoppeling vastgelegd.",
        )  # fmt: skip

ACTION_COLUMNS = {
    "tafel": "tafel", "ontvanger": "aan", "omschrijving": "opdracht", "eigenaar": "eigenaar",
    "deadline": "deadline", "status": "status", "terugkoppelingen": "terugkoppelingen",
    "dagen_te_laat": "dagen te laat",
}  # fmt: skip
COMPLIANCE_COLUMNS = {
    "institution": "instelling", "actions": "verwijzingen",
    "with_feedback": "binnen 5 werkdagen beantwoord", "share": "aandeel",
}  # fmt: skip

st.header("Opdrachten van deze tafel")
st.dataframe(nl.table(screen.actions, ACTION_COLUMNS), hide_index=True)
st.header("Verlopen opdrachten (al uw tafels)")
st.dataframe(nl.table(screen.overdue, ACTION_COLUMNS), hide_index=True)
st.header("Reactie van instellingen op verwijzingen")
compliance = screen.compliance.rename(columns=COMPLIANCE_COLUMNS)
compliance["aandeel"] = compliance["aandeel"].map(nl.percentage)
st.dataframe(compliance, hide_index=True)
st.caption(
    "Verwijzingen aan elke instelling en hoeveel de instelling zelf binnen 5 werkdagen "
    "accepteerde of afwees."
)

budget = screen.budget
with st.container(border=True):
    st.header(f"Tussen-wal-en-schip-budget {today.year}")
    m1, m2, m3 = st.columns(3)
    m1.metric("Budget", nl.euro(budget.budget))
    m2.metric("Besteed", nl.euro(budget.besteed))
    m3.metric("Resterend", nl.euro(budget.resterend))
    outlay = Form(
        "tafel_uitgave",
        button="budget_besteden",
        fields={"budget_besluit": None, "budget_bedrag": "", "budget_verantwoording": ""},
        target=(table.id, _shown("tafel_uitgave", "budget_besluit", in_force)),
    )
    chosen = _pick(st, "Gereviewd maatwerkbesluit", in_force, "budget_besluit",
                   "Kies een besluit", "Geen gereviewde maatwerkbesluiten.")  # fmt: skip
    bedrag = st.text_input("Bedrag (€)", key="budget_bedrag")
    verantwoording = st.text_input("Verantwoording", key="budget_verantwoording")
    if outlay.button("Uitgave vastleggen"):
        outlay.submit(
            lambda s: spend(s, actor, _need(chosen, "een gereviewd maatwerkbesluit"), bedrag,
                            verantwoording).bedrag_cent,
            success=lambda cents: f"Uitgave vastgelegd: {nl.euro_cents(cents)}.",
        )  # fmt: skip
    year = Form("tafel_budget", button="budget_vaststellen", fields={"budget_jaarbedrag": ""},
                target=today.year)  # fmt: skip
    jaarbedrag = st.text_input(f"Budget {today.year} vaststellen (€)", key="budget_jaarbedrag")
    if year.button("Budget vaststellen"):
        year.submit(
            lambda s: set_budget(s, actor, today.year, jaarbedrag).bedrag_cent,
            success=lambda cents: f"Budget {today.year} vastgesteld: {nl.euro_cents(cents)}.",
        )

show_partner_members(table.id, screen.agenda, screen.institutions)
