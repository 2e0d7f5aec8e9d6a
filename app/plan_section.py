"""The household plan on the Huishouden page: goals per corner, history, print, the holder's forms.

:func:`show_plan` reads the plan in its own unit of work (access checked and audited by
:func:`coordination.plan.read_plan`), then renders: goals grouped by corner of the
stability triangle with status, owner and review date (those due flagged), the history
of each goal, a download of the printable one-page plan, and — for the regie holder only
— the forms to add a goal and to change a goal's status or note progress. Others read
the plan with a Dutch explanation of who can change it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.context import get_engine, unit_of_work
from app.forms import Form
from app.plan_widgets import goal_choices, goal_field_keys, goal_fields, status_label
from coordination.plan import add_goal, change_goal, print_plan, read_plan
from coordination.plan_rules import STATUS_LABELS
from coordination.plan_view import GoalView, PlanView, goals_by_corner, institution_goals
from coordination.referrals import refer_goal
from households.actor import Actor
from households.db import session_scope
from households.errors import InvalidInput

__all__ = ["show_plan", "due_text", "goal_rows"]

GOAL_COLUMNS = ["Levensgebied", "Doel", "Eigenaar", "Evaluatie op", "Status", "Evaluatie nodig"]


def due_text(goal: GoalView, today: dt.date) -> str:
    """The review flag as shown: past, due soon, or nothing (rules: plan_rules.review_due)."""
    if not goal.evaluatie_nodig:
        return ""
    return "ja, datum verstreken" if goal.evaluatiedatum < today else "ja, binnenkort"


def goal_rows(goals, today: dt.date) -> pd.DataFrame:
    """One corner's goals as a table in Dutch notation."""
    rows = [
        (g.levensgebied_label, g.doel, g.eigenaar, nl.date(g.evaluatiedatum), g.status_label,
         due_text(g, today))
        for g in goals
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=GOAL_COLUMNS)


def _history(goal: GoalView) -> str:
    lines = []
    for p in goal.historie:
        change = (
            f"{STATUS_LABELS[p.status_oud]} → {STATUS_LABELS[p.status_nieuw]}"
            if p.status_oud and p.status_oud != p.status_nieuw
            else STATUS_LABELS[p.status_nieuw]
        )
        by = f" ({p.door})" if p.door else ""
        note = f": {p.notitie}" if p.notitie else ""
        lines.append(f"- {nl.date(p.datum)} · {change}{by}{note}")
    return "\n".join(lines)


def _summary(view: PlanView) -> str:
    open_goals = [g for g in view.goals if g.open]
    due = [g for g in open_goals if g.evaluatie_nodig]
    n = len(view.goals)
    text = f"{n} doel{'en' if n != 1 else ''}, {len(open_goals)} open of lopend"
    return text + (f"; {len(due)} toe aan evaluatie." if due else ".")


def _show_goals(view: PlanView) -> None:
    if not view.goals:
        st.info("Dit plan heeft nog geen doelen.")
        return
    st.write(_summary(view))
    for corner, label, goals in goals_by_corner(view.goals):
        st.markdown(f"**{label}**")
        st.dataframe(goal_rows(goals, view.peildatum), hide_index=True, key=f"plan_hoek_{corner}")
    with st.expander("Geschiedenis per doel"):
        for g in view.goals:
            origin = f" — uit besluit van {g.tafel}" if g.tafel else ""
            st.markdown(f"**{g.levensgebied_label}: {g.doel}**{origin}")
            st.markdown(_history(g))


def _print_button(actor: Actor, view: PlanView) -> None:
    engine = get_engine()

    def _html() -> str:
        # Runs only on a click: so only a real print is audited.
        with session_scope(engine) as session:
            return print_plan(session, actor, view.household_id)

    st.download_button(
        "Plan afdrukken (één A4 voor het gesprek met het huishouden)",
        data=_html,
        file_name=f"plan_{view.huishouden_id}_{view.peildatum.isoformat()}.html",
        mime="text/html",
        key="plan_afdrukken",
        on_click="ignore",
        icon=":material/print:",
    )


def _read_only_note(view: PlanView) -> None:
    if view.regiehouder is None:
        st.info(
            "Alleen-lezen. Dit huishouden heeft geen regiehouder. Een GBD-er kan regie nemen op "
            "de pagina Regie; daarna beheert de regiehouder het plan. Een casustafel kan via een "
            "besluit een doel toevoegen."
        )
    else:
        st.info(
            f"Alleen-lezen. Alleen de regiehouder ({view.regiehouder}) kan doelen toevoegen en "
            "de status wijzigen. Een casustafel kan via een besluit een doel toevoegen."
        )


def _add_form(actor: Actor, view: PlanView, choices) -> None:
    form = Form("plan_doel", button="plan_doel_toevoegen", fields=goal_field_keys("plan"),
                target=view.household_id)  # fmt: skip
    values = goal_fields("plan", choices)
    if form.button("Doel toevoegen"):
        form.submit(lambda s: add_goal(s, actor, view.household_id, **values),
                    success="Doel toegevoegd aan het plan.")  # fmt: skip


def _shown_goal(goals: dict[int, GoalView]) -> int | None:
    """The goal picked in the change form as it is shown on this run (None after a save)."""
    if "plan_wijzig_doel" in st.session_state.get("_leeg_plan_wijzig", {}):
        return None
    value = st.session_state.get("plan_wijzig_doel")
    return value if value in goals else None


def _change_form(actor: Actor, view: PlanView) -> None:
    goals = {g.id: g for g in view.goals}
    shown = _shown_goal(goals)
    form = Form(
        "plan_wijzig",
        button="plan_wijzig_opslaan",
        fields={"plan_wijzig_doel": None, "plan_wijzig_status": None, "plan_wijzig_notitie": "",
                "plan_wijzig_evaluatie": None},
        target=(view.household_id, shown, goals[shown].versie if shown else None),
    )  # fmt: skip
    picked = st.selectbox(
        "Doel", list(goals), index=None, placeholder="Kies een doel", key="plan_wijzig_doel",
        format_func=lambda i: f"{goals[i].levensgebied_label}: {goals[i].doel} "
                              f"({goals[i].status_label})",
    )  # fmt: skip
    c1, c2 = st.columns(2)
    status = c1.selectbox("Nieuwe status", list(STATUS_LABELS), index=None,
                          format_func=status_label, placeholder="Status ongewijzigd",
                          key="plan_wijzig_status")  # fmt: skip
    new_date = c2.date_input("Nieuwe evaluatiedatum (optioneel)", value=None,
                             min_value=dt.date.today(), format="DD-MM-YYYY",
                             key="plan_wijzig_evaluatie")  # fmt: skip
    note = st.text_area("Voortgang (notitie)", key="plan_wijzig_notitie",
                        help="Verplicht bij 'niet bereikt' en 'vervallen'.")  # fmt: skip

    def save(session):
        if picked is None:
            raise InvalidInput("Kies eerst een doel.")
        return change_goal(session, actor, picked, goals[picked].versie, status=status,
                           notitie=note, evaluatiedatum=new_date).status  # fmt: skip

    if form.button("Opslaan"):
        form.submit(save, success=lambda s: f"Doel bijgewerkt (status: {STATUS_LABELS[s]}).")


def _refer_form(actor: Actor, view: PlanView, goals: dict[int, GoalView]) -> None:
    form = Form("plan_verwijs", button="plan_verwijs_knop", fields={"plan_verwijs_doel": None},
                target=view.household_id)  # fmt: skip
    picked = st.selectbox(
        "Doel van een instelling", list(goals), index=None, placeholder="Kies een doel",
        key="plan_verwijs_doel", format_func=lambda i: f"{goals[i].eigenaar}: {goals[i].doel}",
    )  # fmt: skip

    def save(session):
        if picked is None:
            raise InvalidInput("Kies eerst een doel.")
        return refer_goal(session, actor, picked).id

    if form.button("Verwijzen naar de instelling"):
        form.submit(save, success="Verwijzing verstuurd: de partner ziet haar bij Verwijzingen.")


def show_plan(actor: Actor, household_id: int) -> None:
    """The plan section of the Huishouden page (read, print, and the holder's forms)."""
    with unit_of_work() as session:
        view = read_plan(session, actor, household_id)
        choices = goal_choices(session, actor) if view.may_edit else None
    with st.container(border=True, key="plan_sectie"):
        st.subheader("Huishoudplan")
        holder = view.regiehouder or "geen regiehouder"
        st.caption(f"Regiehouder: {holder}. Overkoepelend doel: {view.regie_doel or '—'}")
        _show_goals(view)
        if view.goals:
            _print_button(actor, view)
        if not view.may_edit:
            _read_only_note(view)
            return
        with st.container(border=True):
            st.markdown("**Doel toevoegen**")
            _add_form(actor, view, choices)
        with st.container(border=True):
            st.markdown("**Status wijzigen of voortgang noteren**")
            if view.goals:
                _change_form(actor, view)
            else:
                st.caption("Nog geen doelen: voeg eerst een doel toe.")
        referable = {g.id: g for g in institution_goals(view)}
        if referable:
            with st.container(border=True):
                st.markdown("**Verwijzen naar de instelling die eigenaar is van een doel**")
                _refer_form(actor, view, referable)
