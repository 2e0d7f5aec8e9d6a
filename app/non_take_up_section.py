"""The GBD-er's prompt on the household page: regelingen the household likely misses."""

import streamlit as st

from app.context import require_actor, unit_of_work
from coordination.non_take_up import household_non_take_up


def show_non_take_up(household_id: int) -> None:
    """A short prompt under the household's facts (nothing when no regeling is missed)."""
    actor = require_actor()
    with unit_of_work() as session:
        missed = household_non_take_up(session, actor, household_id)
    if not missed:
        return
    st.subheader("Mogelijk niet-gebruik van regelingen")
    st.info(
        "Dit huishouden heeft een laag-inkomenssignaal (bijstand, een betalingsachterstand of "
        "een schuld bij ISD BOL) en gebruikt deze regelingen waarschijnlijk niet. "
        "Bespreek ze en verwijs zo nodig naar ISD BOL:\n\n" + "\n".join(f"- {m}" for m in missed)
    )
