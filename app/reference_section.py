"""Importeren page section (beheer): the reference data imports depend on.

- the iWmo/iJw productcategorie → soort voorziening mapping (households/productcategories.py);
- the gemeente's norm for the Wgs offer of help after an arrears signal (households/norms.py).

``render(actor)`` draws both; every change goes through :class:`app.forms.Form` and is audited
by the service.
"""

from __future__ import annotations

import streamlit as st

from app.context import unit_of_work
from app.forms import Form
from households.actor import Actor
from households.models import PROVISION_KINDS_BY_DOMAIN
from households.norms import NORMS, WGS_OFFER, list_norms, set_norm, set_norm_target
from households.productcategories import DOMAIN_OF_STANDARD, list_categories, update_category

__all__ = ["render", "render_shv_norms"]

SHV_NORM_SOURCES = {
    "shv_eerste_gesprek": "Kwartaalrapportage ISD: 75% van de aanmeldingen binnen 14 dagen "
    "gesproken; de Wgs (art. 4a lid 1) staat hoogstens vier weken toe.",
    "shv_crisis": "Wgs art. 4a lid 2: bij dreigende ontruiming of afsluiting binnen drie "
    "werkdagen een eerste gesprek.",
    "shv_plan_van_aanpak": "Wgs art. 4a lid 3: het plan van aanpak binnen acht weken na het "
    "eerste gesprek.",
    "shv_herbeoordeling_budgetbeheer": "Beleidsplan (kwartaalrapportage ISD): budgetbeheer "
    "wordt na 18 maanden vanaf de ingangsdatum herbeoordeeld.",
}

STANDARD_NAMES = {"iwmo": "iWmo", "ijw": "iJw"}


def _categories(actor: Actor) -> None:
    with unit_of_work() as session:
        rows = list_categories(session)
    st.subheader("Productcategorieën iWmo/iJw")
    st.caption(
        "Welke soort voorziening een toewijzing (301) wordt, per productcategorie. Standaard "
        "volgens de codelijsten WMO020 en JZ020; een wijziging geldt voor berichten die daarna "
        "worden ingelezen."
    )
    st.dataframe(
        [{"Standaard": STANDARD_NAMES[r.standaard], "Code": r.code,
          "Omschrijving": r.omschrijving, "Domein": r.domein, "Soort voorziening": r.soort}
         for r in rows],
        hide_index=True, key="pc_tabel",
    )  # fmt: skip
    by_key = {f"{r.standaard}:{r.code}": r for r in rows}
    chosen = st.selectbox(
        "Productcategorie", list(by_key), index=None, placeholder="Kies een productcategorie",
        format_func=lambda k: f"{STANDARD_NAMES[by_key[k].standaard]} {by_key[k].code} — "
        f"{by_key[k].omschrijving}",
        key="pc_keuze",
    )  # fmt: skip
    if chosen is None:
        return
    row = by_key[chosen]
    form = Form("productcategorie", button="pc_opslaan", fields={"pc_soort": None}, target=chosen)
    kinds = list(PROVISION_KINDS_BY_DOMAIN[DOMAIN_OF_STANDARD[row.standaard]])
    soort = st.selectbox(
        f"Soort voorziening (nu: {row.soort})", kinds, index=None,
        placeholder="Kies de soort voorziening", key="pc_soort",
    )  # fmt: skip
    if form.button("Koppeling opslaan"):
        form.submit(
            lambda session: update_category(session, actor, row.standaard, row.code, soort),
            success=lambda r: f"Productcategorie {r.code} wordt nu: {r.soort}.",
        )


def _norms(actor: Actor) -> None:
    with unit_of_work() as session:
        norm = next(n for n in list_norms(session) if n.naam == WGS_OFFER)
    st.subheader("Norm hulpaanbod vroegsignalering (Wgs)")
    st.caption(
        "Binnen hoeveel dagen na een betalingsachterstand de gemeente hulp aanbiedt. De wet "
        "noemt geen termijn; de gemeente legt die zelf vast. Het KISS-overzicht telt hoeveel "
        f"signalen binnen deze norm een hulpaanbod kregen. Nu: {norm.dagen} dagen."
    )
    form = Form("norm", button="norm_opslaan", target=norm.dagen)
    dagen = st.number_input(
        norm.label, min_value=1, max_value=365, value=norm.dagen, step=1, key="norm_dagen"
    )
    if form.button("Norm opslaan"):
        form.submit(
            lambda session: set_norm(session, actor, WGS_OFFER, int(dagen)),
            success=lambda d: f"De norm is nu {d} dagen.",
        )


def render(actor: Actor) -> None:
    """The reference-data section of the Importeren page."""
    st.divider()
    st.header("Referentiegegevens")
    _categories(actor)
    _norms(actor)


def _shv_norm(actor: Actor, norm) -> None:
    spec = NORMS[norm.naam]
    unit = "werkdagen" if norm.werkdagen else "dagen"
    target = f"; doel {norm.doel_pct}% op tijd" if norm.doel_pct else ""
    with st.container(border=True):
        st.markdown(f"**{norm.label}** — nu {norm.dagen} {unit}{target}")
        st.caption(SHV_NORM_SOURCES.get(norm.naam, ""))
        form = Form(f"norm_{norm.naam}", button=f"norm_{norm.naam}_opslaan",
                    target=(norm.dagen, norm.doel_pct))  # fmt: skip
        c1, c2 = st.columns(2)
        key = f"norm_{norm.naam}"
        dagen = c1.number_input(f"Termijn in {unit}", min_value=1, max_value=spec.max_dagen,
                                value=norm.dagen, step=1, key=f"{key}_dagen")  # fmt: skip
        pct = c2.number_input("Doel: percentage op tijd (optioneel)", min_value=1, max_value=100,
                              value=norm.doel_pct, step=1, key=f"{key}_doel")  # fmt: skip

        def _save(session):
            set_norm(session, actor, norm.naam, int(dagen))
            if pct is not None and pct != norm.doel_pct:
                set_norm_target(session, actor, norm.naam, int(pct))
            return int(dagen)

        if form.button("Norm opslaan"):
            form.submit(_save, success=lambda d: f"De norm is nu {d} {unit}.")


def render_shv_norms(actor: Actor) -> None:
    """The schuldhulp norms (days, working days, target share) on the Referentielijsten page."""
    with unit_of_work() as session:
        norms = [n for n in list_norms(session) if n.naam.startswith("shv_")]
    st.header("Normen schuldhulpverlening")
    st.caption(
        "De termijnen waartegen de werklijst van de GBD-er waarschuwt en KISS de "
        "schuldhulp meet. Een wijziging geldt meteen voor alle lopende trajecten."
    )
    for norm in norms:
        _shv_norm(actor, norm)
