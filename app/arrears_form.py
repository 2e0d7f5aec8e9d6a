"""Partner form: a payment arrear reported by address (Wgs vroegsignalering).

``render(actor)`` is called from the partner page. It shows nothing for a partner whose
institution is not a Wgs partner (woningcorporatie, energieleverancier, waterbedrijf,
zorgverzekeraar). The answer is always the same neutral confirmation: the partner learns
nothing about who lives at the address (coordination/arrears_signals.py).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app.context import unit_of_work
from app.forms import Form
from coordination.arrears_signals import partner_arrears_kind, register_arrears_signal
from households.actor import Actor

__all__ = ["render"]

KIND_TEXT = {
    "huurachterstand": "huurachterstand",
    "energieachterstand": "achterstand op de energierekening",
    "waterachterstand": "achterstand op de waterrekening",
    "zorgverzekeringsachterstand": "achterstand op de zorgverzekering",
}


def render(actor: Actor) -> None:
    """The arrears form for a Wgs partner (nothing for other partners)."""
    with unit_of_work() as session:
        kind = partner_arrears_kind(session, actor)
    if kind is None:
        return
    st.header("Betalingsachterstand melden")
    st.caption(
        f"Meld een {KIND_TEXT[kind]} van een klant met postcode en huisnummer. De gemeente "
        "biedt het huishouden hulp aan (Wet gemeentelijke schuldhulpverlening). U krijgt "
        "geen bericht terug over het huishouden."
    )
    form = Form(
        "achterstand",
        button="ach_melden",
        fields={"ach_postcode": "", "ach_huisnummer": "", "ach_datum": None, "ach_toelichting": ""},
    )
    postcode = st.text_input("Postcode", key="ach_postcode", placeholder="6441AB")
    huisnummer = st.text_input("Huisnummer (met toevoeging)", key="ach_huisnummer")
    datum = st.date_input("Datum van de achterstand", value=None, max_value=dt.date.today(),
                          format="DD-MM-YYYY", key="ach_datum")  # fmt: skip
    toelichting = st.text_area(
        "Toelichting (optioneel; geen BSN, geen namen)", key="ach_toelichting", max_chars=500
    )
    if form.button("Melden", type="primary"):
        form.submit(
            lambda session: register_arrears_signal(
                session, actor, postcode, huisnummer, kind, datum, toelichting
            ),
            success=lambda confirmation: confirmation,
        )
