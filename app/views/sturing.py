"""Doelen en middelen: KISS-doelen met voortgang uit de data, kosten en budgetgebruik."""

import datetime as dt

import pandas as pd
import streamlit as st

from app import format as nl
from app.chartview import show_chart
from app.context import require_actor, unit_of_work
from app.forms import Form
from app.steering_charts import (
    amounts_chart,
    amounts_summary,
    budget_chart,
    goal_chart,
    goal_summary,
)
from coordination.overview import may_see_overview, month_ends
from coordination.steering import create_goal, parse_milestones, update_goal
from coordination.steering_screen import indicator_choices, steering_screen

actor = require_actor()
st.title("Doelen en middelen")
with unit_of_work() as session:  # refused roles stop here, before any widget
    may_see_overview(session, actor)
st.caption(
    "Doelen met een streefwaarde, een deadline en tussendoelen; de voortgang rekent de hub "
    "uit de gegevens uit. Bedragen alleen voor groepen van 5 of meer huishoudens."
)
datum = st.selectbox("Peildatum (einde van een maand)", month_ends(dt.date.today()),
                     format_func=nl.date, key="sturing_datum")  # fmt: skip
with unit_of_work() as session:
    screen = steering_screen(session, actor, datum)
if screen.synthetisch:
    st.warning("Demogegevens — synthetisch. Deze cijfers komen uit de demogenerator; ingebouwde "
               "effecten zijn gesimuleerd en geen bewijs.")  # fmt: skip
INDICATORS = indicator_choices()
KINDS = {"relatief": "Verandering t.o.v. de start (%)", "absoluut": "Absolute waarde"}


def _value(v, unit: str) -> str:
    if v is None:
        return "—"
    return f"{nl.number(v, 1)}%" if unit == "%" else nl.number(v, 0 if v == int(v) else 1)


st.header("Doelen")
if not screen.voortgang:
    st.info("Nog geen doelen. Leg hieronder een doel vast.")
for i, p in enumerate(screen.voortgang):
    with st.container(border=True):
        st.subheader(p.goal.titel)
        st.caption(f"{p.indicator}: {p.uitleg}" + (f" {p.goal.toelichting}"
                                                   if p.goal.toelichting else ""))  # fmt: skip
        m = st.columns(4)
        m[0].metric(f"Start ({nl.date(p.basisdatum)})", _value(p.basiswaarde, p.eenheid))
        m[1].metric(f"Nu ({nl.date(p.peildatum)})",
                    p.stand_tekst if p.stand is None else _value(p.stand, p.eenheid))  # fmt: skip
        m[2].metric(f"Doel ({nl.date(p.goal.deadline)})", _value(p.streefwaarde, p.eenheid))
        way = (
            ""
            if p.voortgang is None
            else "  \nverder van het doel dan bij de start"
            if p.voortgang < 0
            else f"  \n{nl.percentage(min(p.voortgang, 1))} van de weg"
        )
        m[3].markdown(f"Status  \n**{p.status}**{way}")  # fmt: skip
        table = pd.DataFrame(
            [{"Tussendoel": nl.date(t.datum), "Streefwaarde": _value(t.doel, p.eenheid),
              "Stand": _value(t.stand, p.eenheid), "Beoordeling": t.status}
             for t in p.tussendoelen])  # fmt: skip
        show_chart(goal_chart(p), key=f"sturing_doel_{i}", summary=goal_summary(p), table=table)

st.header("Kosten van voorzieningen per maand")
kosten = screen.kosten
st.metric(f"Totaal op {nl.date(datum)}", nl.euro(kosten["totaal"], 0)
          if kosten["totaal"] is not None else "niet getoond")  # fmt: skip
st.caption("Som van de kosten per maand van de voorzieningen die op de peildatum lopen. "
           "Een bedrag alleen voor een groep van 5 of meer huishoudens, en geen bedrag dat uit "
           "het totaal terug te rekenen is voor een kleinere groep.")  # fmt: skip
tabs = st.tabs(["Per domein", "Per combinatie van domeinen", "Per wijk"])
parts = (("per_domein", "Domein", "per domein"),
         ("per_combinatie", "Combinatie", "per combinatie van domeinen (alle voorzieningen)"),
         ("per_wijk", "Wijk", "per wijk"))  # fmt: skip
for tab, (key, title, what) in zip(tabs, parts, strict=True):
    with tab:
        if kosten[key]:
            show_chart(amounts_chart(kosten[key], title), key=f"sturing_kosten_{key}",
                       summary=amounts_summary(kosten[key], what))  # fmt: skip
        else:
            st.write("Niet te tonen zonder dat een klein aantal terug te rekenen is.")

st.header(f"Tussen-wal-en-schip-budget {screen.budget_jaar}")
shown = [m for m in screen.budget_maanden if m.cumulatief is not None]
used = shown[-1].cumulatief if shown else None
b1, b2 = st.columns(2)
b1.metric("Budget", nl.euro(screen.budget, 0))
b2.metric(f"Besteed t/m {shown[-1].maand.strftime('%m-%Y') if shown else '—'}",
          nl.euro(used, 0) if used is not None else "—")  # fmt: skip
rows = pd.DataFrame([{"Maand": m.maand.strftime("%m-%Y"),
                      "Besteed": nl.euro(m.besteed, 0) if m.besteed is not None else "niet getoond",
                      "Totaal besteed": nl.euro(m.cumulatief, 0) if m.cumulatief is not None
                      else "niet getoond"} for m in screen.budget_maanden])  # fmt: skip
show_chart(budget_chart(screen.budget, screen.budget_maanden), key="sturing_budget",
           summary=f"Budget {nl.euro(screen.budget, 0)}; besteed "
           f"{nl.euro(used, 0) if used is not None else 'nog niet te tonen'}. Een maand met "
           "uitgaven voor minder dan 5 huishoudens telt mee bij de volgende maand.",
           table=rows)  # fmt: skip

st.header("Nieuw doel")
new = Form("sturing_nieuw", button="doel_opslaan", target=None,
           fields={"doel_titel": "", "doel_indicator": None, "doel_start": None,
                   "doel_deadline": None, "doel_streef": "", "doel_tussen": "",
                   "doel_toelichting": ""})  # fmt: skip
titel = st.text_input("Titel", key="doel_titel", placeholder="Regiegaten −50% eind 2027")
indicator = st.selectbox("Indicator", list(INDICATORS), format_func=INDICATORS.get, index=None,
                         placeholder="Kies een indicator", key="doel_indicator")  # fmt: skip
c1, c2, c3 = st.columns(3)
start = c1.date_input("Startdatum", None, key="doel_start", format="DD-MM-YYYY")
deadline = c2.date_input("Deadline", None, key="doel_deadline", format="DD-MM-YYYY")
soort = c3.radio("Soort doel", list(KINDS), format_func=KINDS.get, key="doel_soort")
HELP = "Bij een verandering bijvoorbeeld -50; bij een aandeel bijvoorbeeld 80."
streef = st.text_input("Streefwaarde", key="doel_streef", help=HELP)
tussen = st.text_area("Tussendoelen (één per regel: dd-mm-jjjj: waarde)", key="doel_tussen",
                      placeholder="31-12-2026: -25")  # fmt: skip
toelichting = st.text_input("Toelichting (optioneel)", key="doel_toelichting")
if new.button("Doel opslaan"):
    new.submit(lambda s: create_goal(s, actor, titel, indicator, start, deadline, soort, streef,
                                     parse_milestones(tussen), toelichting).titel,
               success=lambda t: f"Doel vastgelegd: {t}.")  # fmt: skip

if screen.doelen:
    st.header("Doel wijzigen")
    goals = {g.id: g for g in screen.doelen}
    gid = st.selectbox("Doel", list(goals), index=None, placeholder="Kies een doel",
                       format_func=lambda k: goals[k].titel + ("" if goals[k].actief
                                                               else " (vervallen)"),
                       key="doel_kies")  # fmt: skip
    if gid is not None:
        g = goals[gid]
        edit = Form("sturing_wijzig", button=f"doel_wijzigen_{gid}", target=gid)
        e1, e2 = st.columns(2)
        w_deadline = e1.date_input("Deadline", g.deadline, key=f"wijzig_deadline_{gid}",
                                   format="DD-MM-YYYY")  # fmt: skip
        w_streef = e2.text_input(f"Streefwaarde ({KINDS[g.doelsoort].lower()})",
                                 nl.number(g.streefwaarde, 1),
                                 key=f"wijzig_streef_{gid}")  # fmt: skip
        w_tussen = st.text_area(
            "Tussendoelen (één per regel: dd-mm-jjjj: waarde)",
            "\n".join(f"{nl.date(d)}: {nl.number(v, 1)}" for d, v in g.tussendoelen),
            key=f"wijzig_tussen_{gid}",
        )
        w_actief = st.checkbox("Doel loopt nog", g.actief, key=f"wijzig_actief_{gid}")
        if edit.button("Wijzigingen opslaan"):
            edit.submit(lambda s: update_goal(s, actor, gid, g.titel, g.indicator, g.start,
                                              w_deadline, g.doelsoort, w_streef,
                                              parse_milestones(w_tussen), g.toelichting or "",
                                              w_actief).titel,
                        success=lambda t: f"Doel gewijzigd: {t}.")  # fmt: skip
