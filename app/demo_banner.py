"""The "Demogegevens — synthetisch" banner the page frame shows on every page."""

import streamlit as st

from app.context import unit_of_work
from households.synthetic import BANNER, is_synthetic


def show_demo_banner() -> None:
    """Show the banner when the demo generator made the data (every page, also the login)."""
    with unit_of_work() as session:
        synthetic = is_synthetic(session)
    if synthetic:
        st.warning(BANNER)
