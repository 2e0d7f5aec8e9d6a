"""Casustafel: turn a decision in force into a goal of the household plan ("Doel toevoegen aan
het plan").

A decision counts when it is in force: a standaard decision, or a maatwerk decision agreed in
the four-eyes review (status ``in werking`` on the agenda). The goal keeps the decision; the
household's regie holder carries it on. The service
(:func:`coordination.plan.add_goal_from_decision`) checks the table seat, the decision and
every field again.
"""

from __future__ import annotations

import streamlit as st

from app.context import unit_of_work
from app.forms import Form
from app.plan_widgets import goal_choices, goal_field_keys, goal_fields
from coordination.casetables import AgendaRow
from coordination.plan import add_goal_from_decision
from households.actor import Actor
from households.errors import InvalidInput

__all__ = ["show_goal_from_decision", "decisions_in_force"]

PREFIX = "tafel_plan"


def decisions_in_force(rows) -> dict[int, str]:
    """Decision id -> label for the agenda rows whose decision is in force."""
    return {
        r.decision_id: f"{r.agenda_item_id}: {r.adres} — {r.besluit}"
        for r in rows
        if r.decision_id is not None and r.status == "in werking"
    }


def show_goal_from_decision(actor: Actor, table_id: int, rows: tuple[AgendaRow, ...]) -> None:
    """The form "Doel toevoegen aan het plan" for the decisions in force at this table."""
    options = decisions_in_force(rows)
    with st.container(border=True):
        st.header("Doel toevoegen aan het plan")
        st.caption(
            "Een besluit dat in werking is (standaard, of maatwerk na akkoord in de review) "
            "wordt een doel in het huishoudplan; de regiehouder volgt het op."
        )
        cleared = st.session_state.get(f"_leeg_{PREFIX}", {})
        shown = st.session_state.get(f"{PREFIX}_besluit")
        shown = shown if shown in options and f"{PREFIX}_besluit" not in cleared else None
        form = Form(PREFIX, button=f"{PREFIX}_toevoegen",
                    fields={f"{PREFIX}_besluit": None, **goal_field_keys(PREFIX)},
                    target=(table_id, shown))  # fmt: skip
        if not options:
            st.caption("Nog geen besluiten in werking aan deze tafel.")
            return
        decision = st.selectbox(
            "Besluit", list(options), index=None, format_func=options.get,
            placeholder="Kies een besluit", key=f"{PREFIX}_besluit",
        )  # fmt: skip
        with unit_of_work() as session:
            choices = goal_choices(session, actor)
        values = goal_fields(PREFIX, choices)

        def save(session):
            if decision is None:
                raise InvalidInput("Kies eerst een besluit.")
            return add_goal_from_decision(session, actor, decision, **values)

        if form.button("Doel toevoegen aan het plan"):
            form.submit(save, success="Doel toegevoegd aan het plan van het huishouden.")
