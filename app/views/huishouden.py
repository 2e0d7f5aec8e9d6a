"""Huishouden: het hele plaatje van één huishouden op één scherm (GBD-er)."""

import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.chart_text import graph_outline, graph_summary, timeline_summary, timeline_table
from app.charts import graph_chart, timeline_chart
from app.chartview import show_chart
from app.context import require_actor, unit_of_work
from app.forms import Form
from app.household_link import requested_household, select_household
from app.household_referrals import show_referrals
from app.huishouden_loop import show_stability
from app.lawful_section import show_basis, show_consent
from app.non_take_up_section import show_non_take_up
from app.paging import page_control, page_number
from app.plan_section import show_plan
from app.schuldhulp_section import show_schuldhulp
from coordination.frontdoor import my_households
from coordination.picture import household_picture
from coordination.signals import WGS_STEPS, household_follow_ups, record_wgs_step
from households.frontdoors import front_door_label

actor = require_actor()
st.title("Huishouden")
wanted = (requested_household(), st.session_state.get("vd_household"))  # kept on any page
with unit_of_work() as session:  # one page: regie, agenda, recent openings first
    mine = my_households(session, actor, pagina=page_number("hh_pagina"),
                         include=tuple(h for h in wanted if h is not None))  # fmt: skip
choices = mine.labels
if not choices:
    st.info(
        "U heeft nog geen huishoudens: open er een via de Voordeur (met een doel), "
        "neem regie, of zet het op de agenda van uw casustafel."
    )
    st.stop()
c1, c2 = st.columns([2, 1])
# From a list (?huishouden=<id>, kept on reload), else the household just opened at the Voordeur.
household_id = select_household(
    list(choices), choices.get, key="hh_keuze", fallback=st.session_state.get("vd_household"),
    where=c1,
)  # fmt: skip
datum = c2.date_input("Peildatum", value=dt.date.today(), key="hh_datum", format="DD-MM-YYYY")
page_control(c1, "hh_pagina", mine.pagina, mine.n_paginas, mine.melding)

with unit_of_work() as session:
    picture = household_picture(session, actor, household_id, datum)
stacking = picture.stacking


def _yes_no(value) -> str:
    return "—" if value is None else ("ja" if value else "nee")


st.header(f"{picture.huishouden_id} · wijk {picture.wijk}")
badges = st.columns(4)
badges[0].metric("Voorzieningen", stacking.n_provisions)
badges[1].metric("Domeinen", " + ".join(stacking.domains) or "geen")
badges[2].metric("Openstaande schuld", nl.euro(stacking.debt_outstanding))
badges[3].metric("Hulpvragen (12 mnd)", stacking.n_requests)
if stacking.stacked:
    st.badge("Gestapeld", color="orange", icon=":material/layers:")
if stacking.complex:
    st.badge("Complex: regie nodig", color="red", icon=":material/priority_high:")
    st.markdown("\n".join(f"- {reden}" for reden in stacking.reasons))
if not stacking.complex:
    st.badge("Niet complex", color="green")
st.caption(f"Regelset versie {stacking.rule_version}; peildatum {nl.date(datum)}; "
           f"uw reden: {picture.reden}.")  # fmt: skip
show_basis(picture.grondslag, picture.bekend_bij, "hh")  # DESIGN 8.2, 8.3
show_plan(actor, household_id)  # the household plan comes first (DESIGN 4.4)

st.markdown("**Huishoudgraaf**")
nodes = pd.DataFrame(picture.nodes)
edges = pd.DataFrame([dataclasses.asdict(e) for e in picture.edges])
show_chart(graph_chart(nodes, edges), key="hh_graaf", summary=graph_summary(picture.nodes))
with st.expander("Als lijst"):
    st.markdown("\n".join(graph_outline(picture.nodes)))

left, right = st.columns([3, 2])
with left:
    st.markdown("**Voorzieningen in de tijd**")
    if picture.provisions:
        show_chart(
            timeline_chart([dataclasses.asdict(p) for p in picture.provisions]),
            key="hh_tijdlijn",
            summary=timeline_summary(picture.provisions),
            table=timeline_table(picture.provisions),
        )
    else:
        st.write("Geen voorzieningen.")
with right:
    st.markdown("**Betrokken instellingen**")
    st.write(", ".join(picture.institutions) or "Geen.")
    if picture.regie:
        st.markdown("**Regie**")
        for r in picture.regie:
            st.write(f"{r.houder or '—'} sinds {nl.date(r.start)}: {r.doel or '—'}")
            if r.samenhang:
                st.caption(f"Gecoördineerde aanpak, want: {r.samenhang}")
    st.markdown("**Signalen**")
    if not picture.signals:
        st.write("Geen signalen.")
    else:
        signals = pd.DataFrame(
            [(s.soort, s.bron or "—", nl.date(s.gemeld_op), nl.date(s.gesloten_op),
              _yes_no(s.open)) for s in picture.signals],
            columns=["Soort", "Bron", "Gemeld op", "Gesloten op", "Open"],
        )  # fmt: skip
        st.dataframe(signals, hide_index=True, key="hh_signalen")

show_non_take_up(household_id)  # regelingen likely missed (coordination/non_take_up.py)
show_referrals(actor, household_id)
show_consent(actor, household_id)  # consent for sharing with partners (DESIGN 8.3)

messaged = [p for p in picture.provisions if p.zorg]
if messaged:
    st.markdown("**Zorg volgens de iWmo/iJw-berichten** (toegewezen, gestart, gestopt)")
    care = pd.DataFrame(
        [(p.domein, p.voorziening, p.aanbieder or "—", p.zorg) for p in messaged],
        columns=["Domein", "Voorziening", "Aanbieder", "Zorg"],
    )
    st.dataframe(care, hide_index=True, key="hh_zorg")

st.markdown("**Schulden**")
if not picture.debts:
    st.write("Geen schulden bekend.")
else:
    debts = pd.DataFrame(
        [(d.schuldeiser, d.persoon, nl.date(d.sinds), nl.euro(d.hoofdsom), nl.euro(d.openstaand),
          _yes_no(d.open), _yes_no(d.in_regeling)) for d in picture.debts],
        columns=["Schuldeiser", "Persoon", "Sinds", "Hoofdsom", "Openstaand", "Open",
                 "In regeling"],
    )  # fmt: skip
    st.dataframe(debts, hide_index=True, key="hh_schulden")
show_schuldhulp(actor, household_id)  # the Wgs process: steps, norms, debts in the regeling

st.markdown("**Hulpvragen**")
if not picture.requests:
    st.write("Geen hulpvragen.")
else:
    requests = pd.DataFrame(
        [(nl.date(r.ontvangen_op), r.domein, front_door_label(r.voordeur), r.urgentie or "—",
          r.triage or "—") for r in picture.requests],
        columns=["Ontvangen op", "Domein", "Voordeur", "Urgentie", "Triage"],
    )  # fmt: skip
    st.dataframe(requests, hide_index=True, key="hh_hulpvragen")

show_stability(actor, household_id)  # the ervaringswerker's logs (regie holder, table)

st.markdown("**Wgs-opvolging van betalingsachterstanden**")
with unit_of_work() as session:
    follow_ups = household_follow_ups(session, actor, household_id)
if not follow_ups:
    st.write("Geen betalingsachterstanden gemeld.")
else:
    st.dataframe(
        pd.DataFrame(
            [(f.soort.replace("_", " "), f.bron or "—", nl.date(f.gemeld_op),
              " → ".join(f"{label} {nl.date(d)}" for label, d in f.stappen) or "nog niets",
              "ja" if f.volgende == () else "nee") for f in follow_ups],
            columns=["soort", "bron", "gemeld op", "opvolging", "afgerond"],
        ),
        hide_index=True,
        key="hh_wgs",
    )  # fmt: skip
    open_ones = {f.signal_id: f for f in follow_ups if f.volgende}
    if open_ones:
        wgs = Form("wgs", button="wgs_vastleggen", fields={"wgs_stap": None},
                   target=household_id)  # fmt: skip
        c1, c2, c3 = st.columns(3)
        signal_id = c1.selectbox(
            "Signaal", list(open_ones), index=None, placeholder="Kies een signaal",
            format_func=lambda i: f"{open_ones[i].soort.replace('_', ' ')} "
                                  f"van {nl.date(open_ones[i].gemeld_op)}",
            key="wgs_signaal",
        )  # fmt: skip
        steps = open_ones[signal_id].volgende if signal_id in open_ones else ()
        stap = c2.selectbox(
            "Stap", steps, index=None, format_func=lambda s: WGS_STEPS[s][1],
            placeholder="Kies de stap", key="wgs_stap",
        )  # fmt: skip
        wgs_datum = c3.date_input("Datum", value=dt.date.today(), max_value=dt.date.today(),
                                  format="DD-MM-YYYY", key="wgs_datum")  # fmt: skip
        if wgs.button("Stap vastleggen"):
            wgs.submit(
                lambda session: record_wgs_step(session, actor, signal_id, stap, wgs_datum),
                success="Stap vastgelegd.",
            )
