"""The population network of institutions: which institutions are essential?

Households and institutions form a bipartite network (an institution serves a
household through an active provision or an active :class:`Involvement`). Its
projection onto institutions links two institutions by the number of households
they share. Both are computed with SQL aggregation (a self-join of the
household–institution pairs on household); only the small institution graph is
built in networkx. Aggregates only: household counts of 1–4 are ``"<5"``.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pandas as pd
from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from coordination.suppression import primary
from households import audit
from households.access import authorize
from households.actor import Actor
from households.figurecache import cached_figures
from households.models import Institution, Involvement, Person, Provision
from households.periods import household_of_person_sql, provision_active_sql

__all__ = ["institution_network", "institution_ranking", "institution_edges", "rank_institutions"]

RANKING_COLUMNS = ["instelling_id", "naam", "type", "essentieel", "huishoudens",
                   "co_instellingen", "gedeelde_huishoudens", "centraliteit"]  # fmt: skip


def _pairs(date: dt.date):
    """Distinct (household, institution) pairs active on ``date`` as a CTE."""
    via_provision = (
        select(household_of_person_sql(date).label("hh"), Provision.institution_id.label("inst"))
        .join(Person, Person.id == Provision.person_id)
        .where(Provision.institution_id.is_not(None), provision_active_sql(Provision, date))
    )  # fmt: skip
    via_involvement = select(
        Involvement.household_id.label("hh"), Involvement.institution_id.label("inst")
    ).where(Involvement.institution_id.is_not(None), provision_active_sql(Involvement, date))
    return union(via_provision, via_involvement).cte("pairs")


def _raw(session: Session, date: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    pairs = _pairs(date)
    reach = session.execute(
        select(Institution.id, Institution.instelling_id, Institution.naam, Institution.type,
               Institution.essentieel, func.count(pairs.c.hh))
        .outerjoin(pairs, pairs.c.inst == Institution.id)
        .group_by(Institution.id, Institution.instelling_id, Institution.naam, Institution.type,
                  Institution.essentieel)
    ).all()  # fmt: skip
    a, b = pairs.alias("a"), pairs.alias("b")
    edges = session.execute(
        select(a.c.inst, b.c.inst, func.count())
        .join(b, (a.c.hh == b.c.hh) & (a.c.inst < b.c.inst))
        .group_by(a.c.inst, b.c.inst)
    ).all()  # fmt: skip
    nodes = pd.DataFrame.from_records(
        reach, columns=["id", "instelling_id", "naam", "type", "essentieel", "huishoudens"]
    )
    return nodes, pd.DataFrame.from_records(edges, columns=["bron", "doel", "gewicht"])


def institution_network(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """The projection onto institutions (edge ``weight`` = shared households).

    >>> n = pd.DataFrame({"id": [1, 2, 3], "naam": ["A", "B", "C"], "huishoudens": [9, 7, 1]})
    >>> e = pd.DataFrame({"bron": [1], "doel": [2], "gewicht": [6]})
    >>> g = institution_network(n, e)
    >>> g.number_of_nodes(), g[1][2]["weight"]
    (3, 6)
    """
    g = nx.Graph()
    for r in nodes.itertuples(index=False):
        g.add_node(int(r.id), naam=r.naam, huishoudens=int(r.huishoudens))
    for r in edges.itertuples(index=False):
        g.add_edge(int(r.bron), int(r.doel), weight=int(r.gewicht))
    return g


def rank_institutions(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Rank institutions by households reached, then weighted co-serving (unsuppressed).

    >>> n = pd.DataFrame({"id": [1, 2, 3], "naam": ["A", "B", "C"], "huishoudens": [9, 7, 8]})
    >>> e = pd.DataFrame({"bron": [1, 2], "doel": [2, 3], "gewicht": [6, 5]})
    >>> r = rank_institutions(n, e)
    >>> r["naam"].tolist(), r["co_instellingen"].tolist(), r["gedeelde_huishoudens"].tolist()
    (['A', 'C', 'B'], [1, 1, 2], [6, 5, 11])
    """
    g = institution_network(nodes, edges)
    try:
        centrality = nx.eigenvector_centrality(g, weight="weight", max_iter=1000)
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        centrality = nx.degree_centrality(g)
    out = nodes.copy()
    ids = out["id"].astype(int)
    out["co_instellingen"] = [g.degree(i) for i in ids]
    out["gedeelde_huishoudens"] = [int(g.degree(i, weight="weight")) for i in ids]
    out["centraliteit"] = [round(float(centrality.get(i, 0.0)), 3) for i in ids]
    keys = ["huishoudens", "gedeelde_huishoudens", "naam"]
    out = out.sort_values(keys, ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True)


#: The data tables the network is computed from (households/dataversion.py).
NETWORK_TABLES = ("bewoning", "household", "institution", "involvement", "person", "provision")


def _protected_network(session: Session, date: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ranking and the shared-household pairs on ``date``, both already suppressed."""
    nodes, edges = _raw(session, date)
    ranked = rank_institutions(nodes, edges)
    for col in ("huishoudens", "gedeelde_huishoudens"):
        ranked[col] = pd.Series([primary(int(v)) for v in ranked[col]], dtype=object)
    names = dict(zip(nodes["id"].astype(int), nodes["naam"], strict=True))
    pairs = pd.DataFrame({
        "instelling_a": [names[int(i)] for i in edges["bron"]],
        "instelling_b": [names[int(i)] for i in edges["doel"]],
        "gedeelde_huishoudens": pd.Series([primary(int(v)) for v in edges["gewicht"]],
                                          dtype=object),
        "_w": edges["gewicht"],
    })  # fmt: skip
    pairs = pairs.sort_values(["_w", "instelling_a"], ascending=[False, True], kind="stable")
    return ranked[RANKING_COLUMNS], pairs.drop(columns="_w").reset_index(drop=True)


def _network(session: Session, actor: Actor, date: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    authorize(session, actor, "netwerk_inzien")
    out = cached_figures(session, "netwerk", date.isoformat(),
                         lambda s: _protected_network(s, date), NETWORK_TABLES)  # fmt: skip
    audit.record(session, actor, audit.Event.NETWERK_INZIEN, "network", date.isoformat())
    return out


def institution_ranking(session: Session, actor: Actor, date: dt.date) -> pd.DataFrame:
    """Institutions ranked by reach and co-serving on ``date`` (``kiss``/``gbd``; suppressed).

    Columns: instelling_id, naam, type, essentieel, huishoudens, co_instellingen,
    gedeelde_huishoudens, centraliteit. Household counts of 1–4 are ``"<5"``.
    """
    return _network(session, actor, date)[0]


def institution_edges(session: Session, actor: Actor, date: dt.date) -> pd.DataFrame:
    """Pairs of institutions that share households (names; shared count suppressed)."""
    return _network(session, actor, date)[1]
