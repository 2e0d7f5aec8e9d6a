"""Entry: page config, login, and the navigation of the logged-in user's role. Nothing else."""

import streamlit as st

from app.context import current_actor
from app.navigation import PAGES_DIR, pages_for

st.set_page_config(page_title="KISS hub", page_icon=":material/hub:", layout="wide")

actor = current_actor()
if actor is None:
    from app.login import login_page

    nav = st.navigation([st.Page(login_page, title="Inloggen", icon=":material/login:")])
else:
    nav = st.navigation(
        [
            st.Page(str(PAGES_DIR / p.file), title=p.title, icon=p.icon, url_path=p.file[:-3])
            for p in pages_for(actor.rol)
        ]
    )
nav.run()
