"""Schuldhulp of one household (issue 15): the Huishouden page and the Schuldhulp page show it.

:func:`show_schuldhulp` reads the household's trajectories in its own unit of work
(:func:`coordination.schuldhulp.traject_van`: access checked, audited with the reason), then
draws the open trajectory (step, since when, crisis, the next norm deadline, the history, the
debts in the regeling) and its forms — the next step (or the end, with a reason) and the
debts that go into the regeling — or, without an open trajectory, the aanmelding. Earlier
trajectories are listed below. Every write goes through :class:`app.forms.Form`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.context import unit_of_work
from app.forms import Form
from coordination.regie import institutions
from coordination.schuldhulp import aanmelden, schuld_opnemen, stap_zetten, traject_van
from coordination.shv_rules import (
    CRISIS_LABELS,
    END_REASON_LABELS,
    SOURCE_LABELS,
    STEP_LABELS,
)
from coordination.shv_view import Deadline, HouseholdShv, TrajectView
from households.actor import Actor

__all__ = ["show_schuldhulp", "deadline_text"]

NO_CRISIS = "geen"


def deadline_text(deadline: Deadline | None) -> str:
    """The next deadline as one Dutch line ("—" when no norm runs)."""
    return "—" if deadline is None else deadline.text


def _show_deadline(deadline: Deadline | None) -> None:
    if deadline is None:
        st.caption("In deze stap loopt geen norm.")
    elif deadline.status == "te_laat":
        st.error(f"Norm gemist: {deadline.text}.", icon=":material/alarm:")
    elif deadline.status == "waarschuwing":
        st.warning(f"Norm bijna verstreken: {deadline.text}.", icon=":material/schedule:")
    else:
        st.info(f"Volgende norm: {deadline.text}.", icon=":material/event:")


def _history(t: TrajectView) -> pd.DataFrame:
    return pd.DataFrame(
        [(s.label, nl.date(s.datum), s.door or "—", s.toelichting or "") for s in t.stappen],
        columns=["Stap", "Datum", "Vastgelegd door", "Toelichting"],
    )


def _debts(t: TrajectView) -> None:
    if not t.schulden:
        st.write("Nog geen schulden in de regeling.")
        return
    st.dataframe(
        pd.DataFrame(
            [(d.schuldeiser, nl.euro_cents(d.openstaand_cent), nl.date(d.opgenomen_op))
             for d in t.schulden],
            columns=["Schuldeiser", "Openstaand", "Opgenomen op"],
        ),
        hide_index=True, key=f"shv_regeling_{t.traject_id}",
    )  # fmt: skip


def _forms(shv: HouseholdShv) -> dict[str, Form]:
    """Every form of the section, made before any widget and on every run, so the message
    of a save shows even when the save took its form off the screen (an aanmelding, an end)."""
    t = shv.lopend
    target = None if t is None else (t.traject_id, t.versie)
    return {
        "aanmelden": Form("shv_aanmelden", button="shv_aanmelden_opslaan",
                          fields={"shv_bron": None, "shv_toelichting": "", "shv_signaal": None,
                                  "shv_instelling": None, "shv_crisis": NO_CRISIS},
                          target=shv.household_id),
        "stap": Form("shv_stap", button="shv_stap_opslaan",
                     fields={"shv_stap": None, "shv_stap_toelichting": "", "shv_reden": None},
                     target=target),
        "schuld": Form("shv_schuld", button="shv_schuld_opslaan", fields={"shv_schulden": []},
                       target=target),
    }  # fmt: skip


def _step_form(actor: Actor, t: TrajectView, form: Form) -> None:
    st.markdown("**Volgende stap vastleggen**")
    c1, c2 = st.columns(2)
    stap = c1.selectbox("Stap", list(t.volgende), index=None, placeholder="Kies de stap",
                        format_func=STEP_LABELS.get, key="shv_stap")  # fmt: skip
    datum = c2.date_input("Datum van de stap", value=dt.date.today(), max_value=dt.date.today(),
                          format="DD-MM-YYYY", key="shv_stap_datum")  # fmt: skip
    reden = None
    if stap == "beeindigd":
        reden = st.selectbox("Reden van beëindiging", list(END_REASON_LABELS), index=None,
                             placeholder="Kies de reden", format_func=END_REASON_LABELS.get,
                             key="shv_reden")  # fmt: skip
    note = st.text_input("Toelichting (optioneel)", key="shv_stap_toelichting")
    if form.button("Stap vastleggen"):
        form.submit(
            lambda session: stap_zetten(session, actor, t.traject_id, t.versie, stap, datum,
                                        toelichting=note or None, reden_einde=reden),
            success=f"{STEP_LABELS.get(stap, 'Stap')} vastgelegd.",
        )  # fmt: skip


def _debt_form(actor: Actor, t: TrajectView, shv: HouseholdShv, form: Form) -> None:
    st.markdown("**Schulden in de regeling opnemen**")
    if not shv.open_schulden:
        st.write("Geen openstaande schulden van dit huishouden om op te nemen.")
        return
    by_id = {d.debt_id: d for d in shv.open_schulden}
    chosen = st.multiselect("Schulden", list(by_id), format_func=lambda i: by_id[i].label,
                            placeholder="Kies de schulden", key="shv_schulden")  # fmt: skip
    datum = st.date_input("Opgenomen op", value=dt.date.today(), max_value=dt.date.today(),
                          format="DD-MM-YYYY", key="shv_schuld_datum")  # fmt: skip
    if form.button("Opnemen in de regeling"):
        form.submit(
            lambda session: schuld_opnemen(session, actor, t.traject_id, t.versie, chosen, datum),
            success=f"{len(chosen)} schuld(en) opgenomen in de regeling.",
        )


def _register_form(actor: Actor, shv: HouseholdShv, form: Form) -> None:
    st.markdown("**Aanmelden voor schuldhulp**")
    c1, c2, c3 = st.columns(3)
    bron = c1.selectbox("Aangemeld via", list(SOURCE_LABELS), index=None,
                        placeholder="Kies de bron", format_func=SOURCE_LABELS.get,
                        key="shv_bron")  # fmt: skip
    datum = c2.date_input("Datum van aanmelding", value=dt.date.today(),
                          max_value=dt.date.today(), format="DD-MM-YYYY",
                          key="shv_aanmeld_datum")  # fmt: skip
    crisis = c3.selectbox("Crisis", [NO_CRISIS, *CRISIS_LABELS],
                          format_func=lambda c: "Geen crisis" if c == NO_CRISIS
                          else CRISIS_LABELS[c], key="shv_crisis")  # fmt: skip
    signal_id = institution_id = None
    if bron == "signaal":
        signals = dict(shv.signalen)
        signal_id = st.selectbox("Signaal van betalingsachterstand", list(signals), index=None,
                                 placeholder="Kies het signaal", format_func=signals.get,
                                 key="shv_signaal")  # fmt: skip
    if bron == "partner":
        with unit_of_work() as session:
            partners = dict(institutions(session, actor))
        institution_id = st.selectbox("Partner", list(partners), index=None,
                                      placeholder="Kies de partner", format_func=partners.get,
                                      key="shv_instelling")  # fmt: skip
    note = st.text_input("Toelichting (optioneel)", key="shv_toelichting")
    if form.button("Aanmelden"):
        form.submit(
            lambda session: aanmelden(session, actor, shv.household_id, bron, datum,
                                      signal_id=signal_id, institution_id=institution_id,
                                      crisis_soort=None if crisis == NO_CRISIS else crisis,
                                      toelichting=note or None),
            success="Aangemeld voor schuldhulp.",
        )  # fmt: skip


def _show_open(actor: Actor, t: TrajectView, shv: HouseholdShv, forms: dict[str, Form]) -> None:
    line = (f"**{t.stap_label}** sinds {nl.date(t.stap_sinds)} · aangemeld op "
            f"{nl.date(t.aangemeld_op)} ({t.bron_label.lower()}"
            + (f": {t.bron_toelichting}" if t.bron_toelichting else "") + ")")  # fmt: skip
    st.markdown(line)
    if t.crisis_label:
        st.badge(f"Crisis: {t.crisis_label}", color="red", icon=":material/priority_high:")
    _show_deadline(t.deadline)
    st.dataframe(_history(t), hide_index=True, key=f"shv_stappen_{t.traject_id}")
    st.markdown("**Schulden in de regeling**")
    _debts(t)
    with st.container(border=True):
        _step_form(actor, t, forms["stap"])
    if t.schulden_opnemen_mag:
        with st.container(border=True):
            _debt_form(actor, t, shv, forms["schuld"])


def show_schuldhulp(actor: Actor, household_id: int) -> None:
    """The household's schuldhulp with its forms (gbd with access to the household)."""
    st.subheader("Schuldhulp")
    with unit_of_work() as session:
        shv = traject_van(session, actor, household_id)
    current = shv.lopend
    forms = _forms(shv)
    if current is None:
        st.write("Geen lopend schuldhulptraject.")
        with st.container(border=True):
            _register_form(actor, shv, forms["aanmelden"])
    else:
        _show_open(actor, current, shv, forms)
    earlier = [t for t in shv.trajecten if not t.open]
    if earlier:
        with st.expander(f"Eerdere trajecten ({len(earlier)})"):
            for t in earlier:
                st.markdown(f"Aangemeld {nl.date(t.aangemeld_op)} · beëindigd "
                            f"{nl.date(t.beeindigd_op)}: {t.reden_label}")  # fmt: skip
                st.dataframe(_history(t), hide_index=True, key=f"shv_stappen_{t.traject_id}")
