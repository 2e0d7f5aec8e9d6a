"""Casustafel (gbd): partners "met mandaat" and ervaringswerkers at the table, and which
institution is party to which agenda item. One call line on the Casustafel page.
"""

from __future__ import annotations

import streamlit as st

from app.context import require_actor, unit_of_work
from app.forms import Form
from coordination import casetables as ct
from coordination.table_parties import add_party, member_candidates

__all__ = ["show_partner_members"]


def show_partner_members(table_id: int, agenda_rows, institutions) -> None:
    """Forms: seat a colleague, ervaringswerker or partner; make an institution a party."""
    actor = require_actor()
    with unit_of_work() as session:
        candidates = member_candidates(session, actor, table_id)
    st.header("Aan tafel met mandaat")
    st.caption(
        "Een partner aan tafel ziet alleen de agendapunten waarbij de eigen instelling partij is. "
        "Een opdracht aan een instelling maakt die instelling vanzelf partij."
    )
    c1, c2 = st.columns(2)
    with c1:
        seat = Form("tafel_lid", button="tafel_lid_knop", fields={"tafel_lid_keuze": None},
                    target=table_id)  # fmt: skip
        who = st.selectbox("Nieuw lid", list(candidates), index=None, format_func=candidates.get,
                           placeholder="Kies een persoon", key="tafel_lid_keuze")  # fmt: skip
        if seat.button("Lid maken"):
            seat.submit(
                lambda s: ct.add_member(s, actor, table_id, who if who is not None else -1),
                success="Lid toegevoegd aan de tafel.",
            )
    with c2:
        items = {r.agenda_item_id: f"punt {r.agenda_item_id}: {r.vraag[:50]}" for r in agenda_rows}
        names = dict(institutions)
        party = Form("tafel_partij", button="tafel_partij_knop",
                     fields={"tafel_partij_punt": None, "tafel_partij_instelling": None},
                     target=table_id)  # fmt: skip
        item = st.selectbox("Agendapunt", list(items), index=None, format_func=items.get,
                            placeholder="Kies een agendapunt", key="tafel_partij_punt")  # fmt: skip
        inst = st.selectbox(
            "Instelling", list(names), index=None, format_func=names.get,
            placeholder="Kies een instelling", key="tafel_partij_instelling",
        )  # fmt: skip
        if party.button("Partij maken"):
            party.submit(
                lambda s: add_party(s, actor, item if item is not None else -1,
                                    inst if inst is not None else -1),
                success="De instelling is partij bij dit agendapunt.",
            )  # fmt: skip
