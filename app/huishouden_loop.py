"""What the ervaringswerker saw, on the Huishouden page and at the Casustafel.

The stability logs (trend of the corners, stressors, acute problems, the story) are shown
to the GBD-er with regie and to the members of a table where the household is on the
agenda (:func:`experiments.loop.stability_view`, audited with that reason). Others see
only that a logbook exists and who may read it.
"""

from __future__ import annotations

import streamlit as st

from app import format as nl
from app.chart_text import triangle_summary, triangle_table
from app.chartview import show_chart
from app.context import unit_of_work
from experiments.charts import verloop_chart
from experiments.loop import StabilityView, may_see_stability, stability_view
from experiments.vocabulary import SCORE_LABELS
from households.actor import Actor

__all__ = ["render_stability", "show_stability"]

ONLY_FOR = (
    "Het logboek van de ervaringswerker is alleen te zien voor de regiehouder en voor de "
    "leden van een casustafel waar dit huishouden op de agenda staat."
)
LOG_COLUMNS = {
    "datum": "Datum", "bestaanszekerheid": "Bestaanszekerheid",
    "zorgcontinuiteit": "Zorgcontinuïteit", "meedoen": "Meedoen", "veiligheid": "Veiligheid",
    "stressoren": "Stressoren", "acute_problemen": "Acute problemen",
    "wat_gedaan": "Wat is gedaan", "verhaal": "Verhaal",
}  # fmt: skip


def render_stability(view: StabilityView, key: str) -> None:
    """The logs of one household: the unsafe warning, the trend, the latest story, the table."""
    if not view.logs:
        st.write("Nog geen logregels van de ervaringswerker.")
        return
    last = view.logs[-1]
    unsafe = [g for g in view.logs if g.veiligheid == 1]
    if unsafe:
        st.error(f"Veiligheid 1 (acuut onveilig) gescoord op {nl.date(unsafe[-1].datum)}.",
                 icon=":material/warning:")  # fmt: skip
    trend = view.trend()
    labels = {k: SCORE_LABELS[k] for k in LOG_COLUMNS if k in SCORE_LABELS}
    show_chart(verloop_chart(trend), key=f"{key}_verloop", summary=triangle_summary(trend, labels),
               table=triangle_table(trend, labels))  # fmt: skip
    st.markdown(
        f"**Laatste gesprek ({nl.date(last.datum)})** — stressoren: "
        f"{', '.join(last.stressoren) or 'geen'}; acute problemen: {last.acute_problemen or 'geen'}"
    )
    if last.verhaal:
        st.markdown(f"> {last.verhaal}")
    rows = [{**{k: getattr(g, k) for k in LOG_COLUMNS}, "stressoren": ", ".join(g.stressoren)}
            for g in reversed(view.logs)]  # fmt: skip
    with st.expander(f"Alle logregels ({len(view.logs)})"):
        st.dataframe(nl.table(rows, LOG_COLUMNS), hide_index=True, key=f"{key}_logregels")
    st.caption(f"Inzage vastgelegd met reden: {view.reden}.")


def show_stability(actor: Actor, household_id: int) -> None:
    """The Huishouden page's section on the ervaringswerker's logs (one call line)."""
    with unit_of_work() as session:
        view = (stability_view(session, actor, household_id)
                if may_see_stability(session, actor, household_id) else None)  # fmt: skip
    st.markdown("**Wat de ervaringswerker zag (stabiliteitsdriehoek)**")
    if view is None:
        st.caption(ONLY_FOR)
        return
    render_stability(view, key=f"hh_stab_{household_id}")
