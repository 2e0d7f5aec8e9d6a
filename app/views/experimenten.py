"""Experimenten (gbd, ervaringswerker): registry, members, lessons, households, outreach."""

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.auth import live_actor
from app.context import require_actor, unit_of_work
from app.forms import Form
from app.household_link import open_selected_row
from experiments.enrolment import enrol, enrolled_households, outreach_list
from experiments.logbook import narratives, select_narrative
from experiments.registry import add_lesson, lessons, list_experiments, member_role, members
from households.labels import visible_labels

actor = require_actor()


def _who(label) -> str:
    """Name and address where the role may see the household, else a dash."""
    return "—" if label is None else label.who


def _select_story(form: Form, log_id: int, key: str) -> None:
    """Checkbox callback: store the (de)selection once; the page then shows what is stored."""
    keep = bool(st.session_state[key])
    if live_actor() is None:  # the session went idle; the entry script ends it
        return
    form.submit(
        lambda session: select_narrative(session, actor, log_id, keep),
        success="Verhaal geselecteerd voor het rapport."
        if keep
        else "Verhaal niet meer geselecteerd.",
    )


st.title("Experimenten Noord en Oost")

with unit_of_work() as session:
    rows = [
        (e.id, e.naam, e.status, list(e.wijken), e.start, e.einde, list(e.hypotheses or []),
         e.beschrijving)
        for e in list_experiments(session)
    ]  # fmt: skip
if not rows:
    st.info("Er zijn nog geen experimenten vastgelegd.")
    st.stop()

st.dataframe(
    pd.DataFrame(
        [(n, s, ", ".join(w), nl.date(b), nl.date(e))
         for _, n, s, w, b, e, _, _ in rows],
        columns=["Experiment", "Status", "Wijken", "Start", "Einde"],
    ),
    hide_index=True, key="ex_register",
)  # fmt: skip

by_id = {r[0]: r for r in rows}
experiment_id = st.selectbox(
    "Experiment",
    list(by_id),
    index=None,
    format_func=lambda i: by_id[i][1],
    placeholder="Kies een experiment",
    key="ex_experiment",
)
if experiment_id is None:
    st.info("Kies een experiment om het team, de lessen en de huishoudens te zien.")
    st.stop()
_, naam, status, wijken, start, einde, hypotheses, beschrijving = by_id[experiment_id]
st.write(beschrijving or "")
if hypotheses:
    st.markdown("**Hypothesen**\n" + "\n".join(f"- {h}" for h in hypotheses))

with unit_of_work() as session:
    role = member_role(session, actor, experiment_id)
    staff = members(session, experiment_id)
    lesson_rows = [(x.datum, x.les, x.verandering_werkwijze, x.door_naam)
                   for x in lessons(session, experiment_id)]  # fmt: skip

tab_team, tab_lessen, tab_hh, tab_outreach = st.tabs(["Team", "Lessen", "Huishoudens", "Outreach"])
with tab_team:
    if staff:
        st.dataframe(pd.DataFrame([(m.naam, m.rol, m.wijk or "") for m in staff],
                                  columns=["Naam", "Rol", "Wijk"]),
                     hide_index=True, key="ex_team")  # fmt: skip
    else:
        st.info("Nog geen ervaringswerkers of coördinatoren toegewezen.")

with tab_lessen:
    if lesson_rows:
        st.dataframe(nl.table(lesson_rows, columns=["Datum", "Les", "Verandering werkwijze",
                                                    "Door"]),
                     hide_index=True, key="ex_lessen")  # fmt: skip
    else:
        st.info("Nog geen lessen vastgelegd.")
    if role:
        st.markdown(f"**Les toevoegen aan {naam}**")
        les_form = Form(
            "les", button="ex_les_opslaan", fields={"ex_les": "", "ex_verandering": ""},
            target=experiment_id,
        )  # fmt: skip
        les_datum = st.date_input("Datum", value=dt.date.today(), max_value=dt.date.today(),
                                  key="ex_les_datum", format="DD-MM-YYYY")  # fmt: skip
        les = st.text_area("Les", key="ex_les")
        verandering = st.text_area("Wat verandert er in de werkwijze?", key="ex_verandering")
        if les_form.button("Les opslaan"):
            les_form.submit(
                lambda session: add_lesson(
                    session, actor, experiment_id, les_datum, les, verandering
                ),
                success="Les opgeslagen.",
            )

with tab_hh:
    if not role:
        st.info("U bent geen lid van dit experiment.")
    else:
        with unit_of_work() as session:
            enrolled = enrolled_households(session, actor, experiment_id)
            labels = visible_labels(session, actor, [e.household_id for e in enrolled],
                                    f"proeftuin {naam}")  # fmt: skip
        if enrolled:
            picked = st.dataframe(
                nl.table(
                    [(e.huishouden_id, _who(labels.get(e.household_id)), e.wijk, e.buurt,
                      e.datum, e.route, e.n_logs, e.laatste_log) for e in enrolled],
                    columns=["Huishouden", "Naam en adres", "Wijk", "Buurt", "Ingeschreven",
                             "Route", "Logs", "Laatste log"],
                ),
                hide_index=True, key="ex_deelnemers", on_select="rerun",
                selection_mode="single-row",
            )  # fmt: skip
            st.caption("Kies een regel om het huishouden te openen.")
            open_selected_row(picked, [e.household_id for e in enrolled])
        else:
            st.info("Nog geen huishoudens ingeschreven.")

with tab_outreach:
    if role != "coordinator":
        st.info("De outreach-lijst is er voor de coördinatoren (GBD-ers) van dit experiment.")
    elif status != "actief":
        st.info(f"Dit experiment is {status}; inschrijven kan pas als het loopt.")
    else:
        peildatum = st.date_input("Peildatum", value=dt.date.today(), max_value=dt.date.today(),
                                  key="ex_peildatum", format="DD-MM-YYYY")  # fmt: skip
        if st.button("Outreach-lijst maken", key="ex_outreach"):
            with unit_of_work() as session:
                candidates = outreach_list(session, actor, experiment_id, peildatum)
                labels = visible_labels(session, actor, [c.household_id for c in candidates],
                                        f"outreach {naam}")  # fmt: skip
            st.session_state["ex_outreach_lijst"] = [
                (c.household_id, c.huishouden_id, c.wijk, c.buurt or "", "; ".join(c.redenen))
                for c in candidates
            ]
            st.session_state["ex_outreach_namen"] = {h: lb.who for h, lb in labels.items()}
        voorstel = st.session_state.get("ex_outreach_lijst") or []
        namen = st.session_state.get("ex_outreach_namen") or {}
        inschrijven = Form("inschrijving", button="ex_inschrijven",
                           fields={"ex_kandidaat": None, "ex_toestemming": False},
                           target=experiment_id)  # fmt: skip
        if voorstel:
            st.write(f"{len(voorstel)} huishoudens voldoen aan de criteria.")
            rows = [(v[1], namen.get(v[0], "—"), *v[2:]) for v in voorstel]
            columns = ["Huishouden", "Naam en adres", "Wijk", "Buurt", "Redenen"]
            picked = st.dataframe(pd.DataFrame(rows, columns=columns),
                                  hide_index=True, key="ex_voorstel", on_select="rerun",
                                  selection_mode="single-row")  # fmt: skip
            st.caption("Kies een regel om het huishouden te openen (als u er toegang toe heeft).")
            open_selected_row(picked, [v[0] for v in voorstel])
            keuze = {v[0]: f"{v[1]} ({v[3] or v[2]})" for v in voorstel}
            hh = st.selectbox("Huishouden inschrijven", list(keuze), index=None,
                              format_func=keuze.get, placeholder="Kies een huishouden",
                              key="ex_kandidaat")  # fmt: skip
            route = st.radio("Route", ["outreach", "voordeur"], horizontal=True, key="ex_route")
            toestemming = st.checkbox("Het huishouden geeft toestemming om mee te doen",
                                      key="ex_toestemming")  # fmt: skip
            inschrijfdatum = st.date_input("Inschrijfdatum", value=dt.date.today(),
                                           max_value=dt.date.today(), key="ex_inschrijfdatum",
                                           format="DD-MM-YYYY")  # fmt: skip
            if inschrijven.button("Inschrijven bevestigen", type="primary"):
                inschrijven.submit(
                    lambda session: (
                        enrol(
                            session, actor, experiment_id, hh, route, toestemming, inschrijfdatum
                        ).household_id
                    ),
                    success=lambda h: f"Huishouden {keuze[h]} ingeschreven.",
                    then=lambda h: st.session_state.__setitem__(
                        "ex_outreach_lijst", [v for v in voorstel if v[0] != h]
                    ),
                )
        st.markdown("**Verhalen voor het evaluatierapport**")
        with unit_of_work() as session:
            stories = narratives(session, actor, experiment_id)
        for story in stories[:20]:
            key = f"ex_verhaal_{story.log_id}"
            chosen = Form(f"verhaal_{story.log_id}", button=key, target=story.log_id)
            st.session_state[key] = story.geselecteerd  # always what is stored
            st.checkbox(f"{nl.date(story.datum)}: “{story.verhaal}”", key=key,
                        on_change=_select_story, args=(chosen, story.log_id, key))  # fmt: skip
