"""The short "Verwijzingen" list on the Huishouden page (gbd): status and partner responses."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app import format as nl
from app.context import unit_of_work
from coordination.referrals import STATUS_LABELS, household_referrals
from households.actor import Actor

__all__ = ["show_referrals"]


def show_referrals(actor: Actor, household_id: int, today: dt.date | None = None) -> None:
    """Render the household's referrals: institution, task, status, escalation, last response."""
    today = today or dt.date.today()
    with unit_of_work() as session:
        rows = household_referrals(session, actor, household_id, today)
    st.markdown("**Verwijzingen**")
    if not rows:
        st.write("Geen verwijzingen naar partners.")
        return
    escalated = sum(1 for r in rows if r.escalatie)
    if escalated:
        st.warning(f"{escalated} verwijzing(en) geëscaleerd: niet op tijd geaccepteerd of te laat.")
    st.dataframe(
        nl.table(
            [
                {
                    "Instelling": r.instelling,
                    "Taak": r.taak,
                    "Status": STATUS_LABELS[r.status],
                    "Verstuurd op": r.verstuurd_op,
                    "Deadline": r.deadline,
                    "Escalatie": r.escalatie,
                    "Laatste reactie van de partner": r.laatste_reactie,
                }
                for r in rows
            ]
        ),
        hide_index=True,
        key="hh_verwijzingen",
    )
