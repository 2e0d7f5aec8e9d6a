"""Login page (placeholder until accounts land): replaced by the accounts work."""

import streamlit as st


def login_page() -> None:
    """Render the login form."""
    st.title("Inloggen")
    st.info("Inloggen volgt.")
