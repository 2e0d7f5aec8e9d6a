"""Triageregels: de complexiteitsregels bekijken en als nieuwe versie opslaan (beheer)."""

import pandas as pd
import streamlit as st

from app.context import require_actor, unit_of_work
from app.forms import Form
from coordination.rules import RULE_LABELS, active_rules, rule_history, save_rules
from households.models import PROVISION_KINDS_BY_DOMAIN, SIGNAL_KINDS


def _start_from_saved() -> None:
    """Forget the rule widgets' values: the form is drawn again from the saved version."""
    for key in [k for k in st.session_state if str(k).startswith("r_")]:
        del st.session_state[key]


actor = require_actor()
st.title("Triageregels")
st.caption(
    "Een huishouden is complex als één van de actieve regels geldt. Elke wijziging "
    "wordt een nieuwe versie; rapportages noemen de versie."
)

with unit_of_work() as session:
    current, history = active_rules(session), rule_history(session)
r = current.regels
# Written once, on top of the version on screen: when another version was saved since this
# form was drawn, the save is refused (nothing written) and the form shows the newer rules.
form = Form("regels", button="r_opslaan", fields={"r_toelichting": ""}, target=current.versie)
st.header(f"Actieve regels: versie {current.versie}")

with st.form(key="regels_form"):
    st.markdown(f"**{RULE_LABELS['stapeling']}**")
    s_on = st.checkbox("Actief", value=r["stapeling"]["actief"], key="r_stapeling_actief")
    s_dom = st.number_input(
        "Minimaal aantal domeinen", 1, 3, r["stapeling"]["min_domeinen"], key="r_stapeling_domeinen"
    )
    s_debt = st.number_input(
        "Minimaal aantal domeinen naast een schuld",
        0,
        3,
        r["stapeling"]["min_domeinen_met_schuld"],
        key="r_stapeling_schuld",
    )
    st.markdown(f"**{RULE_LABELS['veiligheidssignaal']}**")
    v_on = st.checkbox("Actief", value=r["veiligheidssignaal"]["actief"], key="r_veilig_actief")
    v_kinds = st.multiselect(
        "Soorten signalen",
        list(SIGNAL_KINDS),
        default=r["veiligheidssignaal"]["soorten"],
        placeholder="Kies soorten signalen",
        key="r_veilig_soorten",
    )
    st.markdown(f"**{RULE_LABELS['herhaalde_hulpvragen']}**")
    h_on = st.checkbox("Actief", value=r["herhaalde_hulpvragen"]["actief"], key="r_herhaald_actief")
    h_min = st.number_input(
        "Minimaal aantal hulpvragen",
        1,
        100,
        r["herhaalde_hulpvragen"]["min_aantal"],
        key="r_herhaald_aantal",
    )
    h_days = st.number_input(
        "Periode (dagen, t/m de peildatum)",
        1,
        3660,
        r["herhaalde_hulpvragen"]["periode_dagen"],
        key="r_herhaald_dagen",
    )
    st.markdown(f"**{RULE_LABELS['jeugdbescherming']}**")
    j_on = st.checkbox("Actief", value=r["jeugdbescherming"]["actief"], key="r_jb_actief")
    jeugd_kinds = list(PROVISION_KINDS_BY_DOMAIN["JEUGD"])
    j_kind = st.selectbox(
        "Soort voorziening (Jeugd)",
        jeugd_kinds,
        index=jeugd_kinds.index(r["jeugdbescherming"]["soort"]),
        key="r_jb_soort",
    )
    toelichting = st.text_area("Toelichting bij de wijziging", key="r_toelichting")
    submitted = form.submit_button("Opslaan als nieuwe versie")

if submitted:
    regels = {
        "stapeling": {
            "actief": s_on,
            "min_domeinen": int(s_dom),
            "min_domeinen_met_schuld": int(s_debt),
        },
        "veiligheidssignaal": {"actief": v_on, "soorten": list(v_kinds)},
        "herhaalde_hulpvragen": {
            "actief": h_on,
            "min_aantal": int(h_min),
            "periode_dagen": int(h_days),
        },
        "jeugdbescherming": {"actief": j_on, "soort": j_kind},
    }
    # A refused version leaves the form and the history on screen, with the message;
    # a saved one reruns the page so the header, the form and the history show it.
    form.submit(
        lambda session: save_rules(session, actor, regels, toelichting).versie,
        success=lambda versie: f"Opgeslagen als versie {versie}; die versie is nu actief.",
        then=lambda _: _start_from_saved(),
    )


st.header("Versies")
st.dataframe(
    pd.DataFrame(
        [
            {
                "versie": v.versie,
                "actief": "ja" if v.actief else "nee",
                "toelichting": v.toelichting or "",
                "door": v.aangemaakt_door or "",
            }
            for v in history
        ]
    ),
    hide_index=True,
    key="r_versies",
)
