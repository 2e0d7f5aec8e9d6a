"""The household graph: one household's whole picture as a networkx graph.

:func:`household_graph` reads ONE household with indexed queries (never the
population) after the need-to-know check, and audits the read. Everything else
here is a pure function that takes the graph first and returns data.

Node ids are ``"<soort>:<key>"``; every node has ``soort`` (huishouden, persoon,
voorziening, schuldeiser, instelling, hulpvraag, signaal, regie) and ``label``.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.disclosure import audit_view, disclosure, filter_graph
from coordination.grondslag import basis_label, household_bases
from coordination.models import Regie
from households.access import require_household_access
from households.actor import Actor
from households.errors import NotFound
from households.models import (
    Debt,
    HelpRequest,
    Household,
    Institution,
    Involvement,
    Person,
    Provision,
    Signal,
    User,
)
from households.periods import (
    debt_open,
    member_of_household_sql,
    provision_active,
    regie_active_sql,
    signal_open,
)

__all__ = [
    "NODE_KINDS", "household_graph", "build_graph", "resolve_household", "institutions_involved",
    "domains_active", "timeline_rows", "debt_rows", "signal_rows", "request_rows",
    "layout_positions", "graph_tables",
]  # fmt: skip

NODE_KINDS = ("huishouden", "persoon", "voorziening", "schuldeiser", "instelling",
              "hulpvraag", "signaal", "regie")  # fmt: skip


def resolve_household(session: Session, huishouden_id: str) -> int:
    """The internal id of the household with source key ``huishouden_id``."""
    key = (huishouden_id or "").strip()
    hid = session.scalar(select(Household.id).where(Household.huishouden_id == key))
    if hid is None:
        raise NotFound(f"Huishouden '{key}' niet gevonden.")
    return hid


def household_graph(session: Session, actor: Actor, household_id: int, date: dt.date) -> nx.Graph:
    """The graph of one household on ``date`` (need-to-know checked, filtered, audited).

    Nodes of a category the actor has no reason for are left out (DESIGN 8.2).
    """
    reason = require_household_access(session, actor, household_id)
    g = build_graph(session, household_id, date)
    seen = disclosure(session, actor, household_id, reason)
    present = filter_graph(g, seen)
    bases = household_bases(session, household_id, seen.shows)
    audit_view(session, actor, household_id, seen, present, basis_label(bases))
    return g


def build_graph(session: Session, household_id: int, date: dt.date) -> nx.Graph:
    """The graph of one household on ``date``; the caller has checked access and audits."""
    h = session.get(Household, household_id)
    if h is None:
        raise NotFound("Dit huishouden bestaat niet.")
    g = nx.Graph(household_id=h.id, huishouden_id=h.huishouden_id, reference_date=date)
    root = f"huishouden:{h.id}"
    address = " ".join(filter(None, [h.straat, h.huisnummer, h.postcode]))
    g.add_node(root, soort="huishouden", label=h.huishouden_id, wijk=h.wijk, adres=address)
    in_household = member_of_household_sql(h.id, date)
    persons = session.scalars(select(Person).where(in_household)).all()
    for p in persons:
        label = p.naam or f"{p.rol} ({p.geboortejaar})"
        g.add_node(f"persoon:{p.id}", soort="persoon", label=label, rol=p.rol,
                   geboortejaar=p.geboortejaar)  # fmt: skip
        g.add_edge(root, f"persoon:{p.id}", relatie="lid")

    def institution_node(inst_id: int, naam: str, type_: str | None, relatie: str, src: str):
        node = f"instelling:{inst_id}"
        if node not in g:
            g.add_node(node, soort="instelling", label=naam, type=type_)
        g.add_edge(src, node, relatie=relatie)

    rows = session.execute(
        select(Provision, Institution.naam, Institution.type)
        .join(Person, Person.id == Provision.person_id)
        .outerjoin(Institution, Institution.id == Provision.institution_id)
        .where(in_household)
    ).all()
    for v, inst_naam, inst_type in rows:
        node = f"voorziening:{v.id}"
        g.add_node(node, soort="voorziening", label=f"{v.domein}: {v.soort}", domein=v.domein,
                   voorziening=v.soort, start=v.start, einde=v.einde,
                   actief=bool(provision_active(v.start, v.einde, date)),
                   aanbieder=inst_naam or v.aanbieder, maatwerk=v.maatwerk,
                   persoon=f"persoon:{v.person_id}", zorg=care_status(
                       v.toegewezen_op, v.zorg_gestart_op, v.zorg_gestopt_op))  # fmt: skip
        g.add_edge(f"persoon:{v.person_id}", node, relatie="ontvangt")
        if v.institution_id is not None:
            institution_node(v.institution_id, inst_naam, inst_type, "levert", node)
    debts = session.scalars(select(Debt).join(Person, Person.id == Debt.person_id)
                            .where(in_household).order_by(Debt.sinds)).all()  # fmt: skip
    for b in debts:
        node = f"schuldeiser:{b.schuldeiser.strip().lower()}"
        if node not in g:
            g.add_node(node, soort="schuldeiser", label=b.schuldeiser, schulden=[],
                       openstaand_cent=0)  # fmt: skip
        is_open = bool(debt_open(b.sinds, b.openstaand_cent, date))
        g.nodes[node]["schulden"].append({
            "schuldeiser": b.schuldeiser, "persoon": f"persoon:{b.person_id}", "sinds": b.sinds,
            "hoofdsom_cent": b.hoofdsom_cent, "openstaand_cent": b.openstaand_cent,
            "open": is_open, "in_regeling": b.in_regeling,
        })  # fmt: skip
        g.nodes[node]["openstaand_cent"] += b.openstaand_cent if is_open else 0
        g.add_edge(f"persoon:{b.person_id}", node, relatie="schuld")
    involved = session.execute(
        select(Involvement, Institution.naam, Institution.type)
        .outerjoin(Institution, Institution.id == Involvement.institution_id)
        .where(Involvement.household_id == h.id)
    ).all()
    for inv, inst_naam, inst_type in involved:
        if inv.institution_id is not None:
            institution_node(inv.institution_id, inst_naam, inst_type, inv.soort, root)
            g.nodes[f"instelling:{inv.institution_id}"]["betrokken_actief"] = bool(
                provision_active(inv.start, inv.einde, date)
            )
    for r in session.scalars(select(HelpRequest).where(HelpRequest.household_id == h.id)):
        g.add_node(f"hulpvraag:{r.id}", soort="hulpvraag", label=f"hulpvraag {r.domein}",
                   domein=r.domein, voordeur=r.voordeur, ontvangen_op=r.ontvangen_op,
                   urgentie=r.urgentie, triage=r.triage or r.triage_advies)  # fmt: skip
        g.add_edge(root, f"hulpvraag:{r.id}", relatie="hulpvraag")
    for s in session.scalars(select(Signal).where(Signal.household_id == h.id)):
        is_open = bool(signal_open(s.gemeld_op, s.gesloten_op, date))
        g.add_node(f"signaal:{s.id}", soort="signaal", label=s.soort, bron=s.bron,
                   gemeld_op=s.gemeld_op, gesloten_op=s.gesloten_op, open=is_open)  # fmt: skip
        g.add_edge(root, f"signaal:{s.id}", relatie="signaal")
    regies = session.execute(
        select(Regie, User.weergavenaam, User.naam)
        .outerjoin(User, User.id == Regie.houder_user_id)
        .where(Regie.household_id == h.id, regie_active_sql(Regie, date))
    ).all()  # fmt: skip
    for rg, weergave, naam in regies:
        g.add_node(f"regie:{rg.id}", soort="regie", label=weergave or naam or rg.houder_contact,
                   doel=rg.doel, start=rg.start, samenhang=rg.samenhang)  # fmt: skip
        g.add_edge(root, f"regie:{rg.id}", relatie="regie")
    return g


def _nodes(g: nx.Graph, soort: str):
    return [(n, a) for n, a in g.nodes(data=True) if a.get("soort") == soort]


def institutions_involved(g: nx.Graph) -> list[str]:
    """Names of the institutions in the graph, sorted.

    >>> g = nx.Graph()
    >>> g.add_edge("voorziening:1", "instelling:2")
    >>> g.add_node("instelling:2", soort="instelling", label="Radar")
    >>> g.add_node("instelling:3", soort="instelling", label="MEE")
    >>> institutions_involved(g)
    ['MEE', 'Radar']
    """
    return sorted(a["label"] for _, a in _nodes(g, "instelling"))


def domains_active(g: nx.Graph) -> list[str]:
    """Sorted domains with an active provision in the graph.

    >>> g = nx.Graph()
    >>> g.add_node("voorziening:1", soort="voorziening", domein="WMO", actief=True)
    >>> g.add_node("voorziening:2", soort="voorziening", domein="ISD", actief=True)
    >>> g.add_node("voorziening:3", soort="voorziening", domein="JEUGD", actief=False)
    >>> domains_active(g)
    ['ISD', 'WMO']
    """
    return sorted({a["domein"] for _, a in _nodes(g, "voorziening") if a.get("actief")})


def care_status(allocated: dt.date | None, started: dt.date | None, stopped: dt.date | None) -> str:
    """Whether allocated care (iWmo/iJw 301) started (305) and stopped (307), in Dutch.

    Empty for a provision that came without messages. A toewijzing without a start message is
    help that never started (K2: "beperkt zicht op of hulp wordt ingezet").

    >>> care_status(dt.date(2026, 3, 1), None, None)
    'toegewezen 01-03-2026 · zorg nog niet gestart'
    >>> care_status(dt.date(2026, 3, 1), dt.date(2026, 3, 4), dt.date(2026, 6, 30))
    'toegewezen 01-03-2026 · gestart 04-03-2026 · gestopt 30-06-2026'
    >>> care_status(None, None, None)
    ''
    """
    if allocated is None and started is None and stopped is None:
        return ""
    parts = [] if allocated is None else [f"toegewezen {allocated:%d-%m-%Y}"]
    parts.append("zorg nog niet gestart" if started is None else f"gestart {started:%d-%m-%Y}")
    if stopped is not None:
        parts.append(f"gestopt {stopped:%d-%m-%Y}")
    return " · ".join(parts)


def timeline_rows(g: nx.Graph) -> list[dict]:
    """One row per provision for a Gantt chart; an open end is shown until the reference date.

    >>> g = nx.Graph(reference_date=dt.date(2025, 1, 31))
    >>> g.add_node("voorziening:1", soort="voorziening", domein="WMO", voorziening="hulp",
    ...            start=dt.date(2024, 1, 1), einde=None, actief=True, aanbieder=None)
    >>> r = timeline_rows(g)[0]
    >>> r["domein"], r["tot"], r["lopend"]
    ('WMO', datetime.date(2025, 1, 31), True)
    """
    ref = g.graph.get("reference_date")
    rows = []
    for node, a in _nodes(g, "voorziening"):
        end = a.get("einde")
        rows.append({
            "id": node, "domein": a["domein"], "voorziening": a.get("voorziening"),
            "van": a["start"], "tot": end or max(ref or a["start"], a["start"]),
            "lopend": end is None, "actief": bool(a.get("actief")),
            "aanbieder": a.get("aanbieder") or "", "zorg": a.get("zorg") or "",
        })  # fmt: skip
    return sorted(rows, key=lambda r: (r["domein"], r["van"], r["id"]))


def debt_rows(g: nx.Graph) -> list[dict]:
    """One row per debt (amounts in euros), oldest first.

    >>> g = nx.Graph()
    >>> g.add_node("schuldeiser:isd", soort="schuldeiser", label="ISD", schulden=[
    ...     {"schuldeiser": "ISD", "persoon": "persoon:1", "sinds": dt.date(2024, 5, 1),
    ...      "hoofdsom_cent": 50000, "openstaand_cent": 12345, "open": True,
    ...      "in_regeling": None}])
    >>> debt_rows(g)[0]["openstaand"]
    123.45
    """
    rows = []
    for _, a in _nodes(g, "schuldeiser"):
        for b in a.get("schulden", []):
            rows.append({
                "schuldeiser": b["schuldeiser"], "sinds": b["sinds"],
                "hoofdsom": b["hoofdsom_cent"] / 100, "openstaand": b["openstaand_cent"] / 100,
                "open": b["open"], "in_regeling": b["in_regeling"],
                "persoon": g.nodes[b["persoon"]]["label"] if b["persoon"] in g else "",
            })  # fmt: skip
    return sorted(rows, key=lambda r: (r["sinds"], r["schuldeiser"]))


def layout_positions(g: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions for drawing (spring layout with an explicit seed).

    >>> g = nx.path_graph(["huishouden:1", "persoon:1", "voorziening:1"])
    >>> layout_positions(g, seed=1) == layout_positions(g, seed=1)
    True
    """
    if g.number_of_nodes() == 0:
        return {}
    pos = nx.spring_layout(g, seed=seed)
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in pos.items()}


def graph_tables(g: nx.Graph, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge tables (with positions) ready for an Altair drawing.

    >>> g = nx.Graph()
    >>> g.add_node("huishouden:1", soort="huishouden", label="H1")
    >>> g.add_node("persoon:1", soort="persoon", label="Anna")
    >>> g.add_edge("huishouden:1", "persoon:1", relatie="lid")
    >>> nodes, edges = graph_tables(g)
    >>> sorted(nodes["soort"]), len(edges), list(edges.columns)[:2]
    (['huishouden', 'persoon'], 1, ['x', 'y'])
    """
    pos = layout_positions(g, seed)
    nodes = pd.DataFrame(
        [{"id": n, "soort": a.get("soort", ""), "label": str(a.get("label", n)),
          "x": pos[n][0], "y": pos[n][1]} for n, a in g.nodes(data=True)],
        columns=["id", "soort", "label", "x", "y"],
    )  # fmt: skip
    edges = pd.DataFrame(
        [{"x": pos[u][0], "y": pos[u][1], "x2": pos[v][0], "y2": pos[v][1],
          "relatie": a.get("relatie", "")} for u, v, a in g.edges(data=True)],
        columns=["x", "y", "x2", "y2", "relatie"],
    )  # fmt: skip
    return nodes, edges


def signal_rows(g: nx.Graph) -> list[dict]:
    """One row per signal, newest first.

    >>> g = nx.Graph()
    >>> g.add_node("signaal:1", soort="signaal", label="politie", bron="politie",
    ...            gemeld_op=dt.date(2025, 1, 2), gesloten_op=None, open=True)
    >>> [(r["soort"], r["open"]) for r in signal_rows(g)]
    [('politie', True)]
    """
    rows = [{"soort": a["label"], "bron": a.get("bron"), "gemeld_op": a["gemeld_op"],
             "gesloten_op": a.get("gesloten_op"), "open": a.get("open")}
            for _, a in _nodes(g, "signaal")]  # fmt: skip
    return sorted(rows, key=lambda r: r["gemeld_op"], reverse=True)


def request_rows(g: nx.Graph) -> list[dict]:
    """One row per help request, newest first.

    >>> g = nx.Graph()
    >>> g.add_node("hulpvraag:1", soort="hulpvraag", domein="WMO", voordeur="CENTRAAL",
    ...            ontvangen_op=dt.date(2025, 1, 2), urgentie="normaal", triage=None)
    >>> request_rows(g)[0]["voordeur"]
    'CENTRAAL'
    """
    rows = [{"ontvangen_op": a["ontvangen_op"], "domein": a["domein"],
             "voordeur": a["voordeur"], "urgentie": a.get("urgentie"),
             "triage": a.get("triage")} for _, a in _nodes(g, "hulpvraag")]  # fmt: skip
    return sorted(rows, key=lambda r: r["ontvangen_op"], reverse=True)
