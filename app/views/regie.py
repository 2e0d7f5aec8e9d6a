"""Regie: assign, transfer or end the regie of a household; the list of regie gaps."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.context import attempt, require_actor, unit_of_work
from coordination.frontdoor import my_households
from coordination.regie import (
    assign_regie,
    end_regie,
    gbd_users,
    institutions,
    parse_parties,
    regie_gaps,
    regie_summary,
    transfer_regie,
)

actor = require_actor()
st.title("Regie")
st.caption("Eén regiehouder per huishouden: overkoepelend doel, route en taakverdeling.")

with unit_of_work() as session:
    choices = my_households(session, actor)
    users = gbd_users(session, actor)
    insts = institutions(session, actor)

if not choices:
    st.info("U heeft nog geen huishoudens: open een huishouden via de Voordeur of een casustafel.")
else:
    labels = dict(choices)
    household_id = st.selectbox(
        "Huishouden",
        list(labels),
        format_func=labels.get,
        placeholder="Kies een huishouden",
        key="regie_huishouden",
    )
    with unit_of_work() as session:
        summary = regie_summary(session, actor, household_id)
    if summary:
        st.success(f"Regiehouder: **{summary.houder}** sinds {nl.date(summary.start)}")
        st.write(f"Doel: {summary.doel or '—'}")
        if summary.route:
            st.write(f"Route: {summary.route}")
        if summary.partijen:
            st.dataframe(
                pd.DataFrame(summary.partijen, columns=["partij", "taak"]),
                hide_index=True,
                key="regie_partijen_tabel",
            )
    else:
        st.warning("Dit huishouden heeft geen regiehouder.")

    with st.container(border=True):
        st.subheader("Regie toewijzen of overdragen")
        soort = st.radio(
            "Regiehouder",
            ["GBD-er", "Contactpersoon bij een instelling"],
            key="regie_houder_soort",
            horizontal=True,
        )
        user_labels = dict(users)
        inst_labels = {None: "(geen)", **dict(insts)}
        if soort == "GBD-er":
            houder = st.selectbox(
                "GBD-er",
                list(user_labels),
                format_func=user_labels.get,
                placeholder="Kies een GBD-er",
                key="regie_houder",
            )
            contact, instelling = None, None
        else:
            houder = None
            contact = st.text_input("Naam contactpersoon", key="regie_contact")
            instelling = st.selectbox(
                "Instelling",
                list(inst_labels),
                format_func=inst_labels.get,
                placeholder="Kies een instelling",
                key="regie_instelling",
            )
        doel = st.text_area("Overkoepelend doel", key="regie_doel")
        partijen = st.text_area(
            "Partijen en taken (één per regel: partij: taak)", key="regie_partijen"
        )
        route = st.text_input("Route", key="regie_route")
        start = st.date_input("Startdatum", dt.date.today(), key="regie_start", format="DD-MM-YYYY")
        c1, c2 = st.columns(2)
        # A refused assignment keeps the form filled in, with the message.
        if c1.button("Regie toewijzen", key="regie_toewijzen", type="primary"):
            attempt(
                lambda session: assign_regie(
                    session,
                    actor,
                    household_id,
                    houder_user_id=houder,
                    houder_contact=contact,
                    houder_instelling_id=instelling,
                    doel=doel,
                    partijen=parse_parties(partijen),
                    route=route,
                    start=start,
                ),
                success="Regie toegewezen.",
            )
        if c2.button("Regie overdragen", key="regie_overdragen"):
            attempt(
                lambda session: transfer_regie(
                    session,
                    actor,
                    household_id,
                    houder_user_id=houder,
                    houder_contact=contact,
                    houder_instelling_id=instelling,
                    doel=doel or None,
                    partijen=parse_parties(partijen) or None,
                    route=route or None,
                    start=start,
                ),
                success="Regie overgedragen.",
            )

    with st.container(border=True):
        st.subheader("Regie beëindigen")
        reden = st.text_input("Reden", key="regie_einde_reden")
        if st.button("Regie beëindigen", key="regie_beeindigen"):
            attempt(
                lambda session: end_regie(session, actor, household_id, reden),
                success="Regie beëindigd.",
            )

st.subheader("Regiegaten: complexe huishoudens zonder regiehouder")
with unit_of_work() as session:
    gaps = regie_gaps(session, actor, dt.date.today(), limit=50)
if gaps:
    st.dataframe(
        pd.DataFrame(
            [
                (
                    g.huishouden_id,
                    g.wijk,
                    "ja" if g.veiligheidssignaal else "nee",
                    ", ".join(g.redenen),
                    nl.euro(g.schuld_open),
                )
                for g in gaps
            ],
            columns=[
                "huishouden",
                "wijk",
                "veiligheidssignaal",
                "redenen",
                "openstaande schuld",
            ],
        ),
        hide_index=True,
        key="regie_gaten",
    )
else:
    st.info("Geen regiegaten.")
