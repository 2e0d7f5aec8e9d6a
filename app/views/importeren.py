"""Importeren (beheer): een bestand in uitwisselformaat v1 inlezen — alles of niets."""

import streamlit as st

from app.context import require_actor
from app.forms import Form
from app.reference_section import render as render_reference
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
upload = st.file_uploader(
    "CSV-bestand",
    type=["csv", "txt"],
    key="import_file",
    help="Sleep het bestand in het vak of kies het met de knop: een CSV-bestand in UTF-8 "
    "met , of ; als scheidingsteken.",
)

CSV_RESULT, XML_RESULT = "import_uitkomst", "berichten_uitkomst"
csv_form = Form("import", button="import_start")


def _import_csv(session, data: bytes, name: str, bar):
    # A rejected file is no failure of the page: it lists the bad cells. The service has
    # already rolled back and audited the refusal; the rejection is the outcome to show.
    try:
        return import_stream(
            session, actor, kind, data, name,
            progress=lambda f: bar.progress(min(max(f, 0.0), 1.0), text=f"{f:.0%} ingelezen"),
        )  # fmt: skip
    except ImportRejected as exc:
        return exc


if csv_form.button("Importeren", type="primary"):
    if upload is None:
        st.warning("Kies eerst een bestand.")
        st.stop()
    bar = st.progress(0.0, text=f"{upload.name} wordt ingelezen…")
    data, name = upload.getvalue(), upload.name
    csv_form.submit(
        lambda session: _import_csv(session, data, name, bar),
        then=lambda out: st.session_state.__setitem__(CSV_RESULT, out),
    )
outcome = st.session_state.get(CSV_RESULT)
if isinstance(outcome, ImportRejected):
    st.error(str(outcome).splitlines()[0])
    st.dataframe(
        [{"regel": e.line, "kolom": e.column, "reden": e.reason} for e in outcome.errors],
        hide_index=True,
    )
elif outcome is not None:
    st.success(outcome.summary())
    for warning in outcome.warnings:
        st.warning(warning)

st.divider()
st.header("iWmo/iJw-berichten")
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
xml_form = Form("berichten", button="bericht_start")


def _import_xml(session, files):
    try:
        return import_messages(session, actor, standard, files)
    except MessagesRejected as exc:
        return exc


if xml_form.button("Berichten inlezen", type="primary"):
    if not messages:
        st.warning("Kies eerst een of meer berichten.")
        st.stop()
    files = [(m.name, m.getvalue()) for m in messages]
    with st.spinner(f"{len(files)} berichten worden gecontroleerd en ingelezen…"):
        xml_form.submit(
            lambda session: _import_xml(session, files),
            then=lambda out: st.session_state.__setitem__(XML_RESULT, out),
        )
done = st.session_state.get(XML_RESULT)
if isinstance(done, MessagesRejected):
    st.error(str(done).splitlines()[0])
    st.dataframe(
        [{"bericht": f.file, "element": f.path, "reden": f.reason} for f in done.faults],
        hide_index=True,
    )
elif done is not None:
    st.success(done.summary())

render_reference(actor)
