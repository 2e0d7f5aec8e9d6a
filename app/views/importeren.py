"""Importeren (beheer): een bestand in uitwisselformaat v1 inlezen — alles of niets."""

import streamlit as st

from app.context import require_actor, unit_of_work
from households.importing import KINDS, ImportRejected, import_stream
from households.istandaarden import STANDARDS, MessagesRejected, import_messages

actor = require_actor()
st.title("Importeren")
st.caption(
    "Uitwisselformaat v1: CSV in UTF-8, scheidingsteken `,` of `;`. Een bestand met één "
    "foute regel wordt helemaal niet ingelezen; hetzelfde bestand opnieuw inlezen verandert niets."
)

kind = st.selectbox(
    "Soort bestand", list(KINDS), placeholder="Kies een soort bestand", key="import_kind"
)
fields = KINDS[kind].fields
required = ", ".join(f"`{f.name}`" for f in fields if f.required)
optional = ", ".join(f"`{f.name}`" for f in fields if not f.required) or "geen"
st.markdown(f"Verplichte kolommen: {required}  \nOptionele kolommen: {optional}")
upload = st.file_uploader("CSV-bestand", type=["csv", "txt"], key="import_file")

if st.button("Importeren", key="import_start", type="primary"):
    if upload is None:
        st.warning("Kies eerst een bestand.")
        st.stop()
    bar = st.progress(0.0, text=f"{upload.name} wordt ingelezen…")
    # A rejected file is no failure of the page: it lists the bad cells. The service has
    # already rolled back and audited the refusal, so the rejection is handled here.
    result = rejected = None
    with unit_of_work() as session:
        try:
            result = import_stream(
                session, actor, kind, upload.getvalue(), upload.name,
                progress=lambda f: bar.progress(min(max(f, 0.0), 1.0), text=f"{f:.0%} ingelezen"),
            )  # fmt: skip
        except ImportRejected as exc:
            rejected = exc
    bar.empty()
    if result is not None:
        st.success(result.summary())
        for warning in result.warnings:
            st.warning(warning)
    if rejected is not None:
        st.error(str(rejected).splitlines()[0])
        st.dataframe(
            [{"regel": e.line, "kolom": e.column, "reden": e.reason} for e in rejected.errors],
            hide_index=True,
        )

st.divider()
st.subheader("iWmo/iJw-berichten")
st.caption(
    "Toewijzingen (301), start zorg (305) en stop zorg (307), release 3.2. Kies alle berichten "
    "van een map tegelijk: de volgorde maakt niet uit. Eén fout bericht en er wordt niets "
    "ingelezen; elke fout staat erbij met het pad van het element."
)
standard = st.radio(
    "Standaard", list(STANDARDS), format_func=STANDARDS.get, horizontal=True, key="bericht_std"
)
messages = st.file_uploader(
    "XML-berichten", type=["xml"], accept_multiple_files=True, key="bericht_bestanden"
)
if st.button("Berichten inlezen", key="bericht_start", type="primary"):
    if not messages:
        st.warning("Kies eerst een of meer berichten.")
        st.stop()
    done = refused = None
    busy = f"{len(messages)} berichten worden gecontroleerd en ingelezen…"
    with st.spinner(busy), unit_of_work() as session:
        try:
            files = [(m.name, m.getvalue()) for m in messages]
            done = import_messages(session, actor, standard, files)
        except MessagesRejected as exc:
            refused = exc
    if done is not None:
        st.success(
            f"{done.messages} berichten ingelezen: {done.allocated} nieuwe toewijzingen, "
            f"{done.updated} bijgewerkt, {done.started} gestart, {done.stopped} gestopt."
        )
    if refused is not None:
        st.error(str(refused).splitlines()[0])
        st.dataframe(
            [{"bericht": f.file, "element": f.path, "reden": f.reason} for f in refused.faults],
            hide_index=True,
        )
