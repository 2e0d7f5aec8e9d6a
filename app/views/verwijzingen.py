"""Verwijzingen (partner): de taken voor mijn instelling, met alleen de nodige gegevens."""

import datetime as dt

import streamlit as st

from app import format as nl
from app.arrears_form import render as arrears_form
from app.context import require_actor, unit_of_work
from app.forms import Form
from coordination.referral_responses import (
    accept_referral,
    close_referral,
    decline_referral,
    report_progress,
)
from coordination.referrals import OUTCOME_LABELS, STATUS_LABELS, my_referrals, open_referral
from coordination.table_parties import partner_agenda

actor = require_actor()
today = dt.date.today()
st.title("Verwijzingen")
st.caption(
    "De verwijzingen aan uw instelling. U ziet alleen wat nodig is voor de taak: naam, adres, "
    "de taak en de contactpersoon bij de gemeente. Accepteer of wijs af binnen 5 werkdagen."
)

with unit_of_work() as session:
    rows = my_referrals(session, actor, today)
    items = partner_agenda(session, actor)


def _label(r) -> str:
    # No status in the label: a label that changes with a save would reset the choice.
    return f"{r.naam} — {r.taak[:60]} (verstuurd {nl.date(r.verstuurd_op)})"


if not rows:
    st.info("Er zijn nog geen verwijzingen aan uw instelling.")
else:
    open_rows = [r for r in rows if r.open]
    c1, c2 = st.columns(2)
    c1.metric("Open verwijzingen", nl.number(len(open_rows)))
    c2.metric("Te laat (geëscaleerd)", nl.number(sum(1 for r in open_rows if r.escalatie)))
    st.dataframe(
        nl.table(
            [
                {
                    "Naam": r.naam,
                    "Adres": r.adres,
                    "Taak": r.taak,
                    "Status": STATUS_LABELS[r.status],
                    "Verstuurd op": r.verstuurd_op,
                    "Accepteren vóór": r.accepteren_voor if r.status == "verstuurd" else None,
                    "Deadline": r.deadline,
                    "Escalatie": r.escalatie,
                }
                for r in rows
            ]
        ),
        hide_index=True,
        key="vw_tabel",
    )

labels = {r.referral_id: _label(r) for r in rows}
chosen = st.selectbox(
    "Verwijzing openen",
    list(labels),
    index=None,
    format_func=labels.get,
    placeholder="Kies een verwijzing",
    key="vw_keuze",
    disabled=not rows,
)

if chosen is not None:
    with unit_of_work() as session:
        detail = open_referral(session, actor, chosen, today)
    row = detail.row
    with st.container(border=True):
        st.subheader(row.taak)
        st.markdown(
            f"**Naam:** {row.naam}  \n**Adres:** {row.adres}  \n"
            f"**Contact bij de gemeente:** {row.contact}  \n"
            f"**Status:** {STATUS_LABELS[row.status]}  \n"
            f"**Verstuurd op:** {nl.date(row.verstuurd_op)}"
            + (f" · **deadline:** {nl.date(row.deadline)}" if row.deadline else "")
        )
        if not row.toestemming:  # DESIGN 8.3: no valid consent covers your institution
            st.info("Het huishouden heeft (nu) geen geldige toestemming gegeven om naam en adres "
                    f"met uw instelling te delen. Neem contact op met {row.contact}.")  # fmt: skip
        if row.escalatie:
            st.warning(f"Geëscaleerd naar de regiehouder: {row.escalatie.lower()}.")
        if detail.afwijzing_reden:
            st.write(f"Afgewezen: {detail.afwijzing_reden}")
        if detail.uitkomst:
            st.write(f"Uitkomst: {OUTCOME_LABELS[detail.uitkomst]} — {detail.toelichting}")
        if detail.berichten:
            st.markdown("**Uw reacties**")
            st.dataframe(
                nl.table([{"Datum": d, "Soort": s, "Tekst": t} for d, s, t in detail.berichten]),
                hide_index=True,
                key="vw_berichten",
            )

    rid, versie = row.referral_id, row.versie
    # Every form is made on every run: the message of the last save shows after the rerun,
    # also when the status moved on and the form itself is no longer drawn.
    accept = Form("vw_accepteren", button="vw_accepteer", fields={"vw_notitie": ""}, target=rid)
    decline = Form("vw_afwijzen", button="vw_wijs_af", fields={"vw_reden": ""}, target=rid)
    progress = Form("vw_voortgang", button="vw_voortgang_knop", fields={"vw_voortgang": ""},
                    target=rid)  # fmt: skip
    close = Form("vw_afronden", button="vw_afronden_knop",
                 fields={"vw_uitkomst": None, "vw_toelichting": ""}, target=rid)  # fmt: skip
    if row.status == "verstuurd":
        st.subheader("Accepteren of afwijzen")
        notitie = st.text_input("Toelichting bij acceptatie (niet verplicht)", key="vw_notitie")
        if accept.button("Accepteren"):
            accept.submit(
                lambda s: accept_referral(s, actor, rid, versie, notitie),
                success="De verwijzing is geaccepteerd.",
            )
        reden = st.text_area("Reden van afwijzing (verplicht bij afwijzen)", key="vw_reden")
        if decline.button("Afwijzen"):
            decline.submit(
                lambda s: decline_referral(s, actor, rid, versie, reden),
                success="De verwijzing is afgewezen; de regiehouder ziet uw reden.",
            )
    elif row.status == "geaccepteerd":
        st.subheader("Voortgang en afronding")
        voortgang = st.text_area("Voortgang", key="vw_voortgang")
        if progress.button("Voortgang melden"):
            progress.submit(
                lambda s: report_progress(s, actor, rid, versie, voortgang),
                success="Voortgang gemeld.",
            )
        uitkomst = st.radio(
            "Uitkomst",
            list(OUTCOME_LABELS),
            index=None,
            format_func=OUTCOME_LABELS.get,
            horizontal=True,
            key="vw_uitkomst",
        )
        toelichting = st.text_area("Toelichting op de uitkomst", key="vw_toelichting")
        if close.button("Afronden"):
            close.submit(
                lambda s: close_referral(s, actor, rid, versie, uitkomst or "", toelichting),
                success="De verwijzing is afgerond met een uitkomst.",
            )

st.header("Uw casustafels")
if not items:
    st.write("Uw instelling is geen partij bij een agendapunt van een tafel waar u aan zit.")
else:
    st.caption("Alleen de agendapunten waarbij uw instelling partij is.")
    st.dataframe(
        nl.table(
            [
                {
                    "Tafel": i.tafel,
                    "Overleg": i.overleg,
                    "Naam": i.naam,
                    "Adres": i.adres,
                    "Vraag": i.vraag,
                    "Besluit": i.besluit,
                    "Status": i.status,
                }
                for i in items
            ]
        ),
        hide_index=True,
        key="vw_tafels",
    )

arrears_form(actor)
