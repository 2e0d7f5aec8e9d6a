"""Voordeur: find a household, see the whole household first, register a request, triage."""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from app import format as nl
from app.context import attempt, require_actor, unit_of_work
from app.forms import Form
from app.lawful_section import show_basis
from coordination.access import open_household
from coordination.frontdoor import NewPerson, household_view, register_household, register_request
from coordination.journey import household_journey
from coordination.signals import FORM_SIGNAL_KINDS, register_signal
from coordination.triage import decide_triage
from households.frontdoors import front_door_label
from households.models import REQUEST_DOMAINS, ROLES_IN_HOUSEHOLD, URGENCIES
from households.search import find_households

HITS, QUERY, OPEN, OUTCOME = "vd_hits", "vd_query", "vd_household", "vd_outcome"
CHOICE = "kies_huishouden"
DOMAIN_LABELS = {
    "WMO": "Wmo",
    "JEUGD": "Jeugd",
    "ISD": "ISD (Participatiewet)",
    "ONBEKEND": "nog onbekend",
}


actor = require_actor()
st.title("Voordeur")
st.caption("Eén voordeur voor Wmo, Jeugd en ISD BOL: eerst het hele huishouden, dan de vraag.")


def _opened(household: int) -> None:
    st.session_state[OPEN] = household
    st.session_state.pop(OUTCOME, None)


def _requested(out) -> None:
    st.session_state[OUTCOME] = {
        "id": out.request_id,
        "melding": out.melding,
        "advies": out.advies.advies,
        "redenen": list(out.advies.redenen),
    }


# --- zoeken ----------------------------------------------------------------------------------
def _search(pagina: int) -> None:
    """Run the stored search for one page; keep the result (its hits are audited once)."""
    query = st.session_state[QUERY]
    found = attempt(lambda session: find_households(session, actor, pagina=pagina, **query))
    if found:
        st.session_state[HITS] = found.value
    st.session_state.pop(CHOICE, None)  # a new page never keeps a pick from the previous one


with st.container(border=True):
    st.header("Huishouden zoeken")
    c1, c2, c3, c4, c5 = st.columns([2, 1, 1, 2, 1])
    bsn = c1.text_input("BSN", key="zoek_bsn")
    postcode = c2.text_input("Postcode", key="zoek_postcode")
    huisnummer = c3.text_input("Huisnummer", key="zoek_huisnummer")
    naam = c4.text_input("Achternaam (evt. met voornaam)", key="zoek_naam")
    zoek_jaar = c5.number_input(
        "Geboortejaar", 1900, dt.date.today().year, value=None, step=1,
        placeholder="(optioneel)", key="zoek_geboortejaar",
    )  # fmt: skip
    if st.button("Zoeken", key="zoek", type="primary"):
        st.session_state[QUERY] = {
            "bsn": bsn, "postcode": postcode, "huisnummer": huisnummer, "naam": naam,
            "geboortejaar": None if zoek_jaar is None else int(zoek_jaar),
        }  # fmt: skip
        st.session_state.pop(HITS, None)
        _search(1)
    result = st.session_state.get(HITS)
    if result is not None:
        if not result.totaal:
            st.info("Geen persoon gevonden. Meld het huishouden hieronder aan.")
        else:
            st.markdown(f"**{result.melding}**")
            if result.n_paginas > 1:
                p1, p2, p3 = st.columns([1, 2, 1])
                if p1.button("Vorige", key="zoek_vorige", disabled=not result.vorige):
                    _search(result.pagina - 1)
                if p3.button("Volgende", key="zoek_volgende", disabled=not result.volgende):
                    _search(result.pagina + 1)
                result = st.session_state.get(HITS, result)
                p2.caption(f"Pagina {result.pagina} van {result.n_paginas}")
            labels = [h.label for h in result]
            households = [h.household_id for h in result]
            choice = st.selectbox(
                "Persoon of huishouden",
                range(len(labels)),
                index=None,
                format_func=labels.__getitem__,
                placeholder="Kies een persoon of huishouden",
                key=CHOICE,
            )
            doel = st.text_input("Doel (waarom opent u dit huishouden?)", key="doel")
            # A refused opening (no pick, no purpose) keeps the search and the form.
            if st.button("Openen", key="openen"):
                if choice is None:
                    st.error("Kies eerst een persoon of huishouden uit de lijst.")
                elif attempt(
                    lambda session: open_household(session, actor, households[choice], doel)
                ):
                    st.session_state[OPEN] = households[choice]
                    st.session_state.pop(OUTCOME, None)

# --- aanmelden -------------------------------------------------------------------------------
with st.expander("Onbekend huishouden aanmelden"):
    st.caption("Alle velden behalve de naam zijn verplicht.")
    nieuw = Form(
        "huishouden_aanmelden",
        button="nieuw_registreren",
        fields={
            "nieuw_wijk": None, "nieuw_postcode": "", "nieuw_huisnummer": "", "nieuw_straat": "",
            "nieuw_bsn": "", "nieuw_naam": "", "nieuw_geboortejaar": None, "nieuw_rol": None,
        },
    )  # fmt: skip
    c1, c2, c3, c4 = st.columns(4)
    wijk = c1.selectbox(
        "Wijk",
        ["Centrum", "Noord", "Oost", "Zuid", "West"],
        index=None,
        placeholder="Kies een wijk",
        key="nieuw_wijk",
    )
    n_postcode = c2.text_input("Postcode", key="nieuw_postcode")
    n_nummer = c3.text_input("Huisnummer", key="nieuw_huisnummer")
    straat = c4.text_input("Straat", key="nieuw_straat")
    c1, c2, c3, c4 = st.columns(4)
    n_bsn = c1.text_input("BSN", key="nieuw_bsn")
    n_naam = c2.text_input("Naam", key="nieuw_naam")
    jaar = c3.number_input(
        "Geboortejaar", 1900, dt.date.today().year, value=None, step=1,
        placeholder="Bijvoorbeeld 1984", key="nieuw_geboortejaar",
    )  # fmt: skip
    rol = c4.selectbox(
        "Rol", ROLES_IN_HOUSEHOLD, index=None, placeholder="Kies een rol", key="nieuw_rol"
    )
    if nieuw.button("Huishouden aanmelden"):
        nieuw.submit(
            lambda session: register_household(
                session, actor, wijk, n_postcode, n_nummer, straat,
                NewPerson(n_bsn, None if jaar is None else int(jaar), rol, n_naam or None),
            ).id,
            success="Huishouden aangemeld en geopend.",
            then=_opened,
        )  # fmt: skip

# --- huishouden ------------------------------------------------------------------------------
household_id = st.session_state.get(OPEN)
if household_id is not None:
    with unit_of_work() as session:
        view = household_view(session, actor, household_id, dt.date.today())
        journey = household_journey(session, actor, household_id)
    st.header(f"Huishouden {view.adres}")
    st.caption(f"Wijk {view.wijk} · {len(view.personen)} personen · {view.huishouden_id}")
    s = view.stapeling
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Voorzieningen", s.n_provisions)
    m2.metric("Domeinen", s.n_domains)
    m3.metric("Openstaande schuld", nl.euro(s.debt_outstanding))
    m4.metric("Aanvragen in 12 maanden", view.aanvragen_12_maanden)
    if s.complex:
        st.warning("Complex huishouden: " + "; ".join(s.reasons))
    show_basis(view.grondslag, view.bekend_bij, "vd")  # DESIGN 8.2, 8.3
    st.dataframe(nl.table(view.personen), hide_index=True, key="vd_personen")
    st.markdown("**Voorzieningen (alle drie de domeinen)**")
    st.dataframe(nl.table(view.voorzieningen), hide_index=True, key="vd_voorzieningen")
    st.markdown("**Schulden**")
    schulden = [dataclasses.replace(d, openstaand=nl.euro(d.openstaand)) for d in view.schulden]
    st.dataframe(nl.table(schulden), hide_index=True, key="vd_schulden")
    st.markdown("**Open signalen**")
    st.dataframe(nl.table(view.signalen), hide_index=True, key="vd_signalen")
    with st.expander("Melding registreren (vroegsignaal, politie, school, overlast …)"):
        melding = Form(
            "melding",
            button="melding_registreren",
            fields={"melding_soort": None, "melding_bron": "", "melding_toelichting": ""},
            target=household_id,
        )
        c1, c2, c3 = st.columns(3)
        m_soort = c1.selectbox(
            "Soort", FORM_SIGNAL_KINDS, index=None, format_func=lambda k: k.replace("_", " "),
            placeholder="Kies het soort melding", key="melding_soort",
        )  # fmt: skip
        m_datum = c2.date_input(
            "Gemeld op", value=dt.date.today(), max_value=dt.date.today(), format="DD-MM-YYYY",
            key="melding_datum",
        )  # fmt: skip
        m_bron = c3.text_input("Bron (wie meldde het)", key="melding_bron")
        m_tekst = st.text_area("Toelichting (geen BSN)", key="melding_toelichting")
        if melding.button("Melding registreren"):
            melding.submit(
                lambda session: register_signal(
                    session, actor, household_id, m_soort, m_datum, m_bron, m_tekst
                ),
                success="Melding geregistreerd.",
            )
    if view.regie:
        st.info(f"Regie: {view.regie.houder} — {view.regie.doel or '—'}")
    else:
        st.info("Geen regiehouder.")
    st.markdown("**Eerdere aanvragen**")
    st.dataframe(nl.table(view.aanvragen), hide_index=True, key="vd_aanvragen")
    with st.expander("Klantreis: hoe dit huishouden door de deuren ging"):
        for req in journey:
            if req.request_id is None:
                st.markdown("**Agendapunten zonder aanvraag**")
            else:
                days = (
                    "nog geen besluit"
                    if req.dagen_tot_besluit is None
                    else (f"{req.dagen_tot_besluit} dagen tot besluit")
                )
                st.markdown(
                    f"**{nl.date(req.ontvangen_op)} · {req.domein} "
                    f"via {front_door_label(req.voordeur)}**"
                    f" · intake: {req.intake_door or 'onbekend'} · {days}"
                )
            st.markdown("\n".join(f"- {nl.date(x.datum)} {x.stap}: {x.tekst}" for x in req.stappen))

    with st.container(border=True):
        st.subheader("Hulpvraag registreren")
        aanvraag = Form(
            "hulpvraag",
            button="aanvraag_registreren",
            fields={
                "aanvraag_domein": None,
                "aanvraag_omschrijving": "",
                "aanvraag_urgentie": None,
                "aanvraag_verteld": False,
            },
            target=household_id,
        )
        domein = st.selectbox(
            "Domein",
            REQUEST_DOMAINS,
            index=None,
            format_func=DOMAIN_LABELS.get,
            placeholder="Kies een domein",
            key="aanvraag_domein",
        )
        omschrijving = st.text_area("Korte omschrijving", key="aanvraag_omschrijving")
        urgentie = st.selectbox(
            "Urgentie", URGENCIES, index=None, placeholder="Kies de urgentie",
            key="aanvraag_urgentie",
        )  # fmt: skip
        verteld = st.checkbox(
            "De bewoner is vandaag verteld dat Wmo, Jeugd en ISD samen naar het huishouden "
            "kijken (grondslag)", key="aanvraag_verteld",
        )  # fmt: skip
        if aanvraag.button("Hulpvraag registreren", type="primary"):
            aanvraag.submit(
                lambda session: register_request(
                    session,
                    actor,
                    household_id,
                    domein,
                    omschrijving,
                    urgentie,
                    bewoner_geinformeerd_op=dt.date.today() if verteld else None,
                ),
                then=_requested,
            )

    outcome = st.session_state.get(OUTCOME)
    triage = Form(
        "triage",
        button="triage_besluiten",
        fields={"triage_reden": ""},
        target=None if outcome is None else outcome["id"],
    )
    if outcome:
        st.success(outcome["melding"])
        st.info(f"Triage-advies: **{outcome['advies']}**")
        st.markdown("\n".join(f"- {r}" for r in outcome["redenen"]))
        keuze = st.radio(
            "Besluit",
            ["standaard", "maatwerk"],
            index=0 if outcome["advies"] == "standaard" else 1,
            key="triage_keuze",
            horizontal=True,
        )
        reden = st.text_input("Reden (verplicht als u afwijkt van het advies)", key="triage_reden")
        if triage.button("Triage vastleggen"):
            triage.submit(
                lambda session: decide_triage(session, actor, outcome["id"], keuze, reden),
                success=lambda d: f"Triage vastgelegd: {d.keuze} → {d.route}.",
                then=lambda _: st.session_state.pop(OUTCOME, None),
            )
