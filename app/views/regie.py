"""Regie: assign, transfer or end the regie of a household; the list of regie gaps."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.context import require_actor, unit_of_work
from app.forms import Form
from app.household_link import open_selected_row
from coordination.frontdoor import my_households
from coordination.regie import (
    assign_regie,
    end_regie,
    gbd_users,
    holder_name,
    institutions,
    parse_parties,
    regie_gaps,
    regie_summary,
    transfer_regie,
)
from households.labels import visible_labels

actor = require_actor()
st.title("Regie")
st.caption("Eén regiehouder per huishouden: overkoepelend doel, route en taakverdeling.")

with unit_of_work() as session:
    choices = my_households(session, actor, paginagrootte=100)  # regie, agenda, recent first
    users = gbd_users(session, actor)
    insts = institutions(session, actor)

HOLDER_FIELDS = {
    "regie_houder": None, "regie_contact": "", "regie_instelling": None, "regie_doel": "",
    "regie_partijen": "", "regie_route": "",
}  # fmt: skip

if not choices:
    st.info("U heeft nog geen huishoudens: open een huishouden via de Voordeur of een casustafel.")
else:
    # Address only and alphabetical, not my_households' order and reason: assigning regie
    # changes both ("· geopend" becomes "· regie", the household moves to the top), and a
    # picker whose options change drops the choice on screen.
    labels = dict(sorted(((h.household_id, f"{h.adres} ({h.wijk})") for h in choices.items),
                         key=lambda c: c[1]))  # fmt: skip
    household_id = st.selectbox(
        "Huishouden",
        list(labels),
        index=None,
        format_func=labels.get,
        placeholder="Kies een huishouden",
        key="regie_huishouden",
    )
if choices and household_id is not None:
    with unit_of_work() as session:
        summary = regie_summary(session, actor, household_id)
    # Every form writes to the household on screen and to the regie shown for it: a regie
    # changed since the form was drawn (another tab, a colleague) refuses the write.
    target = (household_id, None if summary is None else summary.regie_id)
    toewijzen = Form("regie_toewijzen", button="regie_toewijzen",
                     fields=HOLDER_FIELDS | {"regie_samenhang_ok": False, "regie_samenhang": ""},
                     target=target)  # fmt: skip
    overdragen = Form("regie_overdragen", button="regie_overdragen", fields=HOLDER_FIELDS,
                      target=target)  # fmt: skip
    beeindigen = Form("regie_beeindigen", button="regie_beeindigen",
                      fields={"regie_einde_reden": ""}, target=target)  # fmt: skip
    if summary:
        st.success(f"Regiehouder: **{summary.houder}** sinds {nl.date(summary.start)}")
        st.write(f"Doel: {summary.doel or '—'}")
        if summary.samenhang:
            st.write(f"Gecoördineerde aanpak, want: {summary.samenhang}")
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
        st.header("Regie overdragen" if summary else "Regie toewijzen")
        soort = st.radio(
            "Regiehouder",
            ["GBD-er", "Contactpersoon bij een instelling"],
            key="regie_houder_soort",
            horizontal=True,
        )
        user_labels, inst_labels = dict(users), dict(insts)
        if soort == "GBD-er":
            houder = st.selectbox(
                "GBD-er",
                list(user_labels),
                index=None,
                format_func=user_labels.get,
                placeholder="Kies een GBD-er",
                key="regie_houder",
            )
            contact, instelling = None, None
        else:
            houder = None
            contact = st.text_input("Naam contactpersoon", key="regie_contact")
            instelling = st.selectbox(
                "Instelling (optioneel)",
                list(inst_labels),
                index=None,
                format_func=inst_labels.get,
                placeholder="Kies een instelling",
                key="regie_instelling",
            )
        doel = st.text_area(
            "Overkoepelend doel" + (" (leeg: het huidige doel blijft)" if summary else ""),
            key="regie_doel",
        )
        partijen = st.text_area(
            "Partijen en taken (één per regel: partij: taak)"
            + (" (leeg: de huidige blijven)" if summary else ""),
            key="regie_partijen",
        )
        route = st.text_input("Route", key="regie_route")
        start = st.date_input("Startdatum", dt.date.today(), key="regie_start", format="DD-MM-YYYY")
        samenhang = None
        if summary is None:  # the decision for a gecoördineerde aanpak (DESIGN 8.3)
            bevestigd = st.checkbox(
                "De problemen van dit huishouden zijn meervoudig en hangen samen: een "
                "gecoördineerde aanpak is nodig", key="regie_samenhang_ok",
            )  # fmt: skip
            toelichting = st.text_area("Waarom hangen de problemen samen?", key="regie_samenhang")
            samenhang = toelichting if bevestigd else None
        # A refused assignment keeps the form filled in, with the message; a saved one
        # reruns the page: the banner above names the new holder, the form is empty.
        if summary is None and toewijzen.button("Regie toewijzen", type="primary"):
            toewijzen.submit(
                lambda session: holder_name(session, assign_regie(
                    session, actor, household_id, houder_user_id=houder,
                    houder_contact=contact, houder_instelling_id=instelling, doel=doel,
                    partijen=parse_parties(partijen), route=route, start=start,
                    samenhang=samenhang,
                )),
                success=lambda name: f"Regie toegewezen aan {name}.",
            )  # fmt: skip
        if summary is not None and overdragen.button("Regie overdragen", type="primary"):
            overdragen.submit(
                lambda session: holder_name(session, transfer_regie(
                    session, actor, household_id, houder_user_id=houder,
                    houder_contact=contact, houder_instelling_id=instelling,
                    doel=doel or None, partijen=parse_parties(partijen) or None,
                    route=route or None, start=start,
                )),
                success=lambda name: f"Regie overgedragen aan {name}.",
            )  # fmt: skip

    if summary is not None:
        with st.container(border=True):
            st.header("Regie beëindigen")
            reden = st.text_input("Reden", key="regie_einde_reden")
            if beeindigen.button("Regie beëindigen"):
                beeindigen.submit(
                    lambda session: end_regie(session, actor, household_id, reden),
                    success="Regie beëindigd.",
                )

st.header("Regiegaten: complexe huishoudens zonder regiehouder")
st.caption(
    "Het urgentst bovenaan: eerst een open veiligheidssignaal, dan een acute hulpvraag, een "
    "jeugdbeschermingsmaatregel, een betalingsachterstand (dreigende uitzetting of "
    "afsluiting); daarbinnen de oudste open aanvraag, het aantal domeinen en de schuld."
)
with unit_of_work() as session:
    gaps = regie_gaps(session, actor, dt.date.today(), limit=50)
    labels = visible_labels(session, actor, [g.household_id for g in gaps], "regiegaten")
if gaps:
    picked = st.dataframe(
        pd.DataFrame(
            [
                (
                    rank,
                    g.huishouden_id,
                    labels[g.household_id].who if g.household_id in labels else "—",
                    g.wijk,
                    g.urgentie.reden,
                    ", ".join(c.replace("_", " ") for c in g.redenen),
                )
                for rank, g in enumerate(gaps, start=1)
            ],
            columns=["nr", "huishouden", "naam en adres", "wijk", "waarom urgent", "complex door"],
        ),
        hide_index=True,
        key="regie_gaten",
        on_select="rerun",
        selection_mode="single-row",
    )
    st.caption("Kies een regel om het huishouden te openen (als u er toegang toe heeft).")
    open_selected_row(picked, [g.household_id for g in gaps])
else:
    st.info("Geen regiegaten.")
