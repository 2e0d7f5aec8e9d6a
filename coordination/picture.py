"""The whole picture of one household on one date: the one guarded read of the Huishouden page.

:func:`household_picture` checks need-to-know, audits the read, and returns
everything the page shows as frozen dataclasses — members, provisions (with the
counts), debts, signals, help requests, regie, stacking and complexity with their
Dutch reasons, and the graph ready for drawing. The page renders these plain
values after the unit of work is closed; it touches no session and no graph.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import networkx as nx

from coordination.disclosure import audit_view, disclosure, filter_graph, stacking_for
from coordination.graph import (
    build_graph,
    debt_rows,
    institutions_involved,
    request_rows,
    signal_rows,
    timeline_rows,
)
from coordination.graph_layout import layered_positions, node_active
from coordination.grondslag import Basis, basis_label, household_bases
from coordination.stacking import HouseholdStacking, household_stacking
from households.access import require_household_access
from households.actor import Actor
from households.db import Session
from households.models import Household

__all__ = [
    "DebtLine", "GraphEdge", "GraphNode", "HouseholdPicture", "Member", "ProvisionLine",
    "RegieLine", "RequestLine", "SignalLine", "household_picture",
]  # fmt: skip


@dataclass(frozen=True)
class Member:
    """A person in the household (name, or role and year of birth; never a BSN)."""

    label: str
    rol: str
    geboortejaar: int | None


@dataclass(frozen=True)
class ProvisionLine:
    """One provision on the timeline; an open end runs to the reference date."""

    domein: str
    voorziening: str
    van: dt.date
    tot: dt.date
    lopend: bool
    actief: bool
    aanbieder: str
    zorg: str = ""  # allocated / started / stopped per iWmo/iJw messages (care_status)


@dataclass(frozen=True)
class DebtLine:
    """One debt, amounts in euros."""

    schuldeiser: str
    persoon: str
    sinds: dt.date
    hoofdsom: Decimal
    openstaand: Decimal
    open: bool
    in_regeling: bool | None


@dataclass(frozen=True)
class SignalLine:
    """One signal (newest first in the picture)."""

    soort: str
    bron: str | None
    gemeld_op: dt.date
    gesloten_op: dt.date | None
    open: bool


@dataclass(frozen=True)
class RequestLine:
    """One help request (newest first in the picture)."""

    ontvangen_op: dt.date
    domein: str
    voordeur: str
    urgentie: str | None
    triage: str | None


@dataclass(frozen=True)
class RegieLine:
    """The active regie on the reference date."""

    houder: str | None
    doel: str | None
    start: dt.date
    samenhang: str | None = None  # the decision for a gecoördineerde aanpak (DESIGN 8.3)


@dataclass(frozen=True)
class GraphNode:
    """A node of the household graph with its drawing position (columns, see graph_layout).

    ``actief`` is False for what has ended on the reference date (a provision, a
    paid-off creditor, a closed signal); ``ouder`` is the node it hangs from in the
    household's outline (a provision's person; ``None`` for the household).
    """

    id: str
    soort: str
    label: str
    x: float
    y: float
    actief: bool = True
    ouder: str | None = None


@dataclass(frozen=True)
class GraphEdge:
    """An edge of the household graph with the positions of both ends and its status."""

    x: float
    y: float
    x2: float
    y2: float
    relatie: str
    actief: bool = True
    van: str = ""
    naar: str = ""


@dataclass(frozen=True)
class HouseholdPicture:
    """Everything the Huishouden page shows for one household on one date."""

    household_id: int
    huishouden_id: str
    wijk: str
    date: dt.date
    stacking: HouseholdStacking
    members: tuple[Member, ...]
    provisions: tuple[ProvisionLine, ...]
    debts: tuple[DebtLine, ...]
    signals: tuple[SignalLine, ...]
    requests: tuple[RequestLine, ...]
    institutions: tuple[str, ...]
    regie: tuple[RegieLine, ...]
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    # DESIGN 8.2/8.3: what is known elsewhere without content, and the recorded basis
    bekend_bij: tuple[str, ...] = ()
    grondslag: tuple[Basis, ...] = ()
    reden: str = ""

    @property
    def n_provisions_active(self) -> int:
        """Provisions active on the reference date (the stacking's ``n_provisions``)."""
        return self.stacking.n_provisions

    @property
    def provisions_by_domain(self) -> dict[str, int]:
        """Provisions on the timeline (active or not) per domain."""
        out: dict[str, int] = {}
        for p in self.provisions:
            out[p.domein] = out.get(p.domein, 0) + 1
        return out


def _parent(g: nx.Graph, node: str, pos: dict[str, tuple[float, float]]) -> str | None:
    # What surrounds the household hangs from it; the rest from its neighbour one column
    # to the left (the topmost); the household itself from nothing.
    soort = g.nodes[node].get("soort")
    if soort == "huishouden":
        return None
    if soort in ("hulpvraag", "signaal", "regie"):
        return f"huishouden:{g.graph['household_id']}"
    left = [m for m in g.neighbors(node) if pos[m][0] == pos[node][0] - 1]
    return max(left, key=lambda m: pos[m][1]) if left else None


def _drawing(g: nx.Graph) -> tuple[tuple[GraphNode, ...], tuple[GraphEdge, ...]]:
    pos = layered_positions(g)
    active = {n: node_active(g, n) for n in g}
    nodes = tuple(
        GraphNode(n, a.get("soort", ""), str(a.get("label", n)), *pos[n], active[n],
                  _parent(g, n, pos))
        for n, a in sorted(g.nodes(data=True), key=lambda na: (pos[na[0]][0], -pos[na[0]][1]))
    )  # fmt: skip
    edges = []
    for u, v, a in g.edges(data=True):
        if pos[u][0] > pos[v][0]:
            u, v = v, u
        edges.append(GraphEdge(*pos[u], *pos[v], a.get("relatie", ""),
                               active[u] and active[v], u, v))  # fmt: skip
    return nodes, tuple(edges)


def _members(g: nx.Graph) -> tuple[Member, ...]:
    return tuple(
        Member(a["label"], a.get("rol", ""), a.get("geboortejaar"))
        for _, a in g.nodes(data=True)
        if a.get("soort") == "persoon"
    )


def _regie(g: nx.Graph) -> tuple[RegieLine, ...]:
    return tuple(
        RegieLine(a.get("label"), a.get("doel"), a["start"], a.get("samenhang"))
        for _, a in g.nodes(data=True)
        if a.get("soort") == "regie"
    )


def household_picture(
    session: Session, actor: Actor, household_id: int, date: dt.date
) -> HouseholdPicture:
    """The whole household on ``date`` for ``actor``: need-to-know checked, read audited.

    Only the categories the actor has a reason for are shown with content; the others
    present come back as "bekend bij" lines (:mod:`coordination.disclosure`). Raises
    :class:`~households.errors.AccessDenied` (the refusal audited) when the actor has no
    need-to-know, :class:`~households.errors.NotFound` when there is no such household.
    """
    reason = require_household_access(session, actor, household_id)
    # one read of the household for the graph and the stacking (the session's identity map
    # keeps an object only while something refers to it)
    household = session.get(Household, household_id)
    g = build_graph(session, household_id, date)
    seen = disclosure(session, actor, household_id, reason)
    present = filter_graph(g, seen)
    bases = household_bases(session, household_id, seen.shows)
    debts = debt_rows(g)
    shown_debt = sum((Decimal(str(r["openstaand"])) for r in debts if r["open"]), Decimal(0))
    mine = household_stacking(session, household_id, date, household=household)
    stacking = stacking_for(seen, mine, shown_debt)
    nodes, edges = _drawing(g)
    audit_view(session, actor, household_id, seen, present, basis_label(bases))
    return HouseholdPicture(
        household_id=household_id,
        huishouden_id=stacking.huishouden_id,
        wijk=stacking.wijk,
        date=date,
        stacking=stacking,
        members=_members(g),
        provisions=tuple(
            ProvisionLine(
                r["domein"],
                r["voorziening"],
                r["van"],
                r["tot"],
                r["lopend"],
                r["actief"],
                r["aanbieder"],
                r["zorg"],
            )
            for r in timeline_rows(g)
        ),  # fmt: skip
        debts=tuple(
            DebtLine(
                r["schuldeiser"],
                r["persoon"],
                r["sinds"],
                Decimal(str(r["hoofdsom"])),
                Decimal(str(r["openstaand"])),
                r["open"],
                r["in_regeling"],
            )
            for r in debts
        ),  # fmt: skip
        signals=tuple(SignalLine(**r) for r in signal_rows(g)),
        requests=tuple(RequestLine(**r) for r in request_rows(g)),
        institutions=tuple(institutions_involved(g)),
        regie=_regie(g),
        nodes=nodes,
        edges=edges,
        bekend_bij=seen.known(present),
        grondslag=bases,
        reden=reason,
    )
