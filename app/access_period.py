"""The beheer setting "toegang na openen": how many days opening a household gives access.

Drawn on the Gebruikers page (beheer) by :func:`access_period_section`; the rule and
its audit row are in :mod:`households.opening_period`.
"""

from __future__ import annotations

import streamlit as st

from app.context import unit_of_work
from app.forms import Form
from households.actor import Actor
from households.opening_period import MAX_DAYS, MIN_DAYS, opening_period_days
from households.opening_period import set_opening_period_days as _set

__all__ = ["access_period_section"]


def access_period_section(actor: Actor) -> None:
    """Show the period and a form (app.forms.Form) to change it; the change is audited."""
    with unit_of_work() as session:
        days = opening_period_days(session)
    st.header("Toegang na openen")
    form = Form("toegangsduur", button="toegangsduur_opslaan",
                fields={"toegangsduur_dagen": None}, target=days)  # fmt: skip
    st.write(
        f"Een GBD-er die een huishouden opent (met een doel), mag het **{days} dagen** "
        "daarna nog zien. Regie of een casustafel geeft toegang zolang die loopt."
    )
    new = st.number_input(
        f"Nieuw aantal dagen ({MIN_DAYS} tot en met {MAX_DAYS})", min_value=MIN_DAYS,
        max_value=MAX_DAYS, value=None, step=1, placeholder=str(days), key="toegangsduur_dagen",
    )  # fmt: skip
    if form.button("Termijn opslaan"):
        form.submit(
            lambda session: _set(session, actor, None if new is None else int(new)),
            success=lambda saved: f"Toegang na openen is nu {saved} dagen.",
        )
