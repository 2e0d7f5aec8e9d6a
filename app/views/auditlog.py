"""Auditlog (beheer): filter, read and export the audit trail; check the hash chain."""

import datetime as dt

import streamlit as st

from app import format as nl
from app.context import get_engine, require_actor, unit_of_work
from households.audit import verify_chain
from households.audit.log import AuditFilter, events_csv, filter_options, search_events
from households.db import session_scope

ALL = "(alle)"
SHOWN = 1000
AUDIT_COLUMNS = {
    "id": "Nr.", "tijdstip": "Tijdstip (UTC)", "gebruiker": "Gebruiker", "rol": "Rol",
    "actie": "Actie", "object_type": "Soort object", "object_id": "Object",
    "resultaat": "Resultaat", "doel": "Doel", "oud": "Oud", "nieuw": "Nieuw",
}  # fmt: skip

actor = require_actor()
st.title("Auditlog")
st.caption("Elke inzage, zoektreffer, export en wijziging; tijden in UTC.")

with unit_of_work() as session:
    options = filter_options(session, actor)

today = dt.datetime.now(dt.UTC).date()
c1, c2, c3, c4, c5 = st.columns(5)
van = c1.date_input("Van", value=today - dt.timedelta(days=7), key="audit_van", format="DD-MM-YYYY")
tot = c2.date_input("Tot en met", value=today, key="audit_tot", format="DD-MM-YYYY")
gebruiker = c3.selectbox(
    "Gebruiker",
    [ALL, *options["gebruiker"]],
    placeholder="Kies een gebruiker",
    key="audit_gebruiker",
)
actie = c4.selectbox(
    "Actie", [ALL, *options["actie"]], placeholder="Kies een actie", key="audit_actie"
)
resultaat = c5.selectbox(
    "Resultaat",
    [ALL, *options["resultaat"]],
    placeholder="Kies een resultaat",
    key="audit_resultaat",
)

flt = AuditFilter(
    van=van or None,
    tot=tot or None,
    gebruiker=None if gebruiker == ALL else gebruiker,
    actie=None if actie == ALL else actie,
    resultaat=None if resultaat == ALL else resultaat,
)
with unit_of_work() as session:
    rows = search_events(session, actor, flt, limit=SHOWN)
st.write(f"{len(rows)} regels" + (f" (de nieuwste {SHOWN})" if len(rows) == SHOWN else ""))
if rows:
    st.dataframe(
        nl.table(rows, AUDIT_COLUMNS),
        hide_index=True,
        width="stretch",
        key="audit_tabel",
    )

engine = get_engine()


def _export() -> str:
    # Runs only when the button is clicked (on another thread): so only a real export is audited.
    with session_scope(engine) as session:
        return events_csv(session, actor, flt)


st.download_button(
    "CSV downloaden",
    data=_export,
    file_name=f"auditlog_{today.isoformat()}.csv",
    mime="text/csv",
    key="audit_csv",
    on_click="ignore",
)

if st.button("Keten controleren", key="audit_keten"):
    with unit_of_work() as session:
        report = verify_chain(session)
    if report.ok:
        st.success(f"Audittrail intact: {nl.number(report.rows)} regels gecontroleerd.")
    else:
        st.error(
            f"Audittrail GEBROKEN bij regel {report.first_bad_id}: {report.reason} "
            f"({nl.number(report.rows)} regels daarvoor in orde)."
        )
