"""Entry: page config, wiring, session checks, login and the role's navigation. Nothing else."""

from pathlib import Path

import streamlit as st

from app import a11y
from app.auth import check_session, end_session
from app.bootstrap import bootstrap
from app.context import current_actor
from app.demo_banner import show_demo_banner
from app.login import login_page
from app.navigation import PAGES_DIR, pages_for

# A local icon: a ":material/...:" page icon makes every browser fetch it from Google's servers.
ICON = Path(__file__).parent / "assets" / "kiss-hub.png"
st.set_page_config(page_title="KISS hub", page_icon=str(ICON), layout="wide")
bootstrap()
check_session()

actor = current_actor()
if actor is None:
    nav = st.navigation(
        [st.Page(login_page, title="Inloggen", icon=":material/login:", url_path="inloggen")]
    )
else:
    st.sidebar.caption(f"Ingelogd als **{actor.naam}** ({actor.rol})")
    st.sidebar.button("Uitloggen", key="uitloggen", on_click=end_session, icon=":material/logout:")
    nav = st.navigation(
        [
            st.Page(str(PAGES_DIR / p.file), title=p.title, icon=p.icon, url_path=p.file[:-3])
            for p in pages_for(actor.rol)
        ]
    )
show_demo_banner()  # "Demogegevens — synthetisch" when `kiss demo` made the data
a11y.apply(nav.title)  # the page's own title and a visible keyboard focus (WCAG 2.4.2, 2.4.7)
nav.run()
