"""KISS-overzicht section: arrears signals (Wgs) with an offer of help within the norm."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app import format as nl
from app.context import unit_of_work
from coordination.wgs_figure import arrears_offer_figure
from households.actor import Actor

__all__ = ["render"]


def render(actor: Actor, datum: dt.date) -> None:
    """The protected figure on month end ``datum``."""
    with unit_of_work() as session:
        fig = arrears_offer_figure(session, actor, datum)
    st.header("Vroegsignalering: hulpaanbod binnen de norm")
    st.caption(
        f"Betalingsachterstanden (Wgs) gemeld van {nl.date(fig['van'])} tot en met "
        f"{nl.date(fig['tot'])} waarvan de termijn voorbij is, en hoeveel daarvan binnen "
        f"{fig['norm_dagen']} dagen een hulpaanbod kregen (de norm van de gemeente). Per "
        "huishouden en soort telt het eerste signaal; 1–4 als <5, x is verborgen."
    )
    st.dataframe(
        nl.table(
            [{"Achterstand": r["label"], "Signalen": nl.number(r["signalen"]),
              "Binnen de norm": nl.number(r["binnen_norm"]),
              "Buiten de norm": nl.number(r["buiten_norm"]),
              "Aandeel binnen de norm": nl.percentage(r["aandeel"])} for r in fig["rijen"]]
        ),
        hide_index=True,
        key="kiss_wgs",
    )  # fmt: skip
