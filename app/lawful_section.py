"""The lawful basis on the household pages (DESIGN 8.2, 8.3): grondslag, "bekend bij", consent."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.context import unit_of_work
from app.forms import Form
from coordination.consent import household_consents, record_consent, withdraw_consent
from coordination.grondslag import Basis
from coordination.regie import institutions
from households.actor import Actor

__all__ = ["show_basis", "show_consent"]


def show_basis(grondslag: tuple[Basis, ...], bekend_bij: tuple[str, ...], key: str) -> None:
    """The recorded basis for the household-wide view and what is known elsewhere."""
    with st.container(border=True, key=f"{key}_grondslag"):
        st.markdown("**Grondslag voor het hele huishouden**")
        if grondslag:
            st.markdown("\n".join(f"- {b.omschrijving}" for b in grondslag))
        else:
            st.warning(
                "Geen grondslag vastgelegd: leg bij de hulpvraag vast dat de bewoner weet dat "
                "de domeinen samen worden bekeken, of registreer de melding van een professional."
            )
        if bekend_bij:
            st.markdown("**Bekend bij** (zonder inhoud: u heeft hiervoor geen vastgelegde reden)")
            st.markdown("\n".join(f"- {line}" for line in bekend_bij))


def show_consent(actor: Actor, household_id: int) -> None:
    """The household's consents for sharing with partners; record one, withdraw one (gbd)."""
    with unit_of_work() as session:
        rows = household_consents(session, actor, household_id)
        insts = dict(institutions(session, actor))
    st.markdown("**Toestemming om te delen met partners**")
    if rows:
        st.dataframe(
            pd.DataFrame(
                [
                    (
                        ", ".join(r.instellingen),
                        nl.date(r.gegeven_op),
                        nl.date(r.geldig_tot),
                        r.status,
                        nl.date(r.ingetrokken_op),
                        r.toelichting or "—",
                    )
                    for r in rows
                ],
                columns=[
                    "Instellingen",
                    "Gegeven op",
                    "Geldig tot",
                    "Status",
                    "Ingetrokken op",
                    "Toelichting",
                ],
            ),  # fmt: skip
            hide_index=True,
            key="tst_tabel",
        )
    else:
        st.write("Geen toestemming vastgelegd: partners zien naam en adres niet.")
    with st.expander("Toestemming vastleggen of intrekken"):
        form = Form("toestemming", button="toestemming_vastleggen",
                    fields={"tst_instellingen": [], "tst_toelichting": ""},
                    target=household_id)  # fmt: skip
        chosen = st.multiselect(
            "Delen met (instellingen)", list(insts), format_func=insts.get,
            placeholder="Kies de instellingen", key="tst_instellingen",
        )  # fmt: skip
        c1, c2 = st.columns(2)
        today = dt.date.today()
        given = c1.date_input("Gegeven op", value=today, max_value=today, format="DD-MM-YYYY",
                              key="tst_gegeven")  # fmt: skip
        until = c2.date_input("Geldig tot", value=today + dt.timedelta(days=365),
                              format="DD-MM-YYYY", key="tst_tot")  # fmt: skip
        note = st.text_input("Toelichting (optioneel, geen BSN)", key="tst_toelichting")
        if form.button("Toestemming vastleggen"):
            form.submit(lambda session: record_consent(session, actor, household_id, chosen,
                                                       given, until, note),
                        success="Toestemming vastgelegd.")  # fmt: skip
        valid = {r.id: r for r in rows if r.status in ("geldig", "nog niet geldig")}
        # created on every run, so its message is shown after the last consent is withdrawn
        withdraw = Form("toestemming_intrekken", button="toestemming_intrekken",
                        fields={"tst_intrekken": None}, target=household_id)  # fmt: skip
        if not valid:
            st.caption("Er is geen geldige toestemming om in te trekken.")
            return
        pick = st.selectbox(
            "Toestemming intrekken", list(valid), index=None, key="tst_intrekken",
            format_func=lambda i: f"{', '.join(valid[i].instellingen)} "
                                  f"(gegeven {nl.date(valid[i].gegeven_op)})",
            placeholder="Kies de toestemming die de bewoner intrekt",
        )  # fmt: skip
        if withdraw.button("Toestemming intrekken"):
            withdraw.submit(
                lambda session: withdraw_consent(session, actor, pick),
                success="Toestemming ingetrokken: partners zien naam en adres niet meer.",
            )
