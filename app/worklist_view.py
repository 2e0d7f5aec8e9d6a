"""Drawing the coordinator's worklist (the Werklijst page, and the gbd's Start page).

Thin: :func:`load` reads one page inside a unit of work (one audit row per view), the
``show_*`` functions draw plain values. Every row's household is a link that opens it
(:mod:`app.household_link`) where the coordinator may see it.
"""

from __future__ import annotations

import streamlit as st

from app import format as nl
from app.context import unit_of_work
from app.household_link import household_link
from coordination.shv_rules import WARN_DAYS_BEFORE
from coordination.worklist import KIND_LABELS, KINDS, LOG_WINDOW_DAYS, WorkItem, Worklist
from experiments.worklist import logs_since, my_worklist
from households.actor import Actor

__all__ = ["load", "show_counts", "show_rows", "explanation"]

URGENCY_COLOURS = {0: "red", 1: "orange", 2: "blue", 3: "gray"}
COLUMNS = [0.9, 1.3, 4.2, 3.8, 1.1]


def load(actor: Actor, page: int = 1, per_page: int = 20) -> Worklist:
    """One page of the actor's worklist (read and audited in its own unit of work)."""
    with unit_of_work() as session:
        return my_worklist(session, actor, page=page, per_page=per_page)


def explanation(wl: Worklist) -> str:
    """What the list holds, in one Dutch line."""
    return (
        "Uw huishoudens met regie, doelen om te evalueren (binnen twee weken), verwijzingen "
        "die niet op tijd zijn geaccepteerd of over hun deadline zijn, stabiliteitslogs met "
        f"veiligheid 1 of 2 van de laatste {LOG_WINDOW_DAYS} dagen (vanaf "
        f"{nl.date(logs_since(wl.today))}), maatwerkbesluiten die op uw vier ogen wachten en "
        f"schuldhulpnormen die binnen {WARN_DAYS_BEFORE} (werk)dagen verstrijken of gemist zijn."
    )


def show_counts(wl: Worklist) -> None:
    """One metric per kind (over all pages)."""
    columns = st.columns(len(KINDS))
    for column, kind in zip(columns, KINDS, strict=True):
        column.metric(KIND_LABELS[kind], nl.number(wl.counts.get(kind, 0)))


def _household(item: WorkItem) -> None:
    if item.huishouden is None:
        st.write(f"{item.huishouden_id} (geen toegang)")
    else:
        household_link(item.household_id, item.huishouden.text,
                       help=f"Open huishouden {item.huishouden_id}")  # fmt: skip


def show_rows(wl: Worklist) -> None:
    """The rows: urgency, kind, household (a link), what is due, date."""
    if not wl.items:
        st.success("Niets op uw werklijst: er is nu niets dat op u wacht.")
        return
    head = st.columns(COLUMNS)
    for column, title in zip(head, ("Urgentie", "Soort", "Huishouden", "Wat", "Datum"),
                             strict=True):  # fmt: skip
        column.markdown(f"**{title}**")
    for item in wl.items:
        row = st.columns(COLUMNS, vertical_alignment="center")
        with row[0]:
            st.badge(item.urgentie_label, color=URGENCY_COLOURS[item.urgentie])
        row[1].write(item.soort_label)
        with row[2]:
            _household(item)
        row[3].write(item.wat)
        row[4].write(nl.date(item.datum))
