"""Drawing the household graph so that it stays readable: columns, grouped rows, status.

A spring layout puts a household of 12 persons and 30 provisions in a knot of
overlapping labels. :func:`layered_positions` places every kind of node in its
own column (what surrounds the household | the household | persons | their
provisions and creditors | the institutions that deliver) and every node on its
own row within the column, grouped by person, so no two labels share a place and
edges mostly run left to right. :func:`node_active` says whether a node is
current on the graph's reference date (an ended provision, a paid-off creditor,
a closed signal are not), so the drawing can show ended things differently.
Pure functions over a networkx graph; no randomness.
"""

from __future__ import annotations

import networkx as nx

__all__ = ["COLUMNS", "layered_positions", "node_active", "column_sizes"]

#: Column (x position) of each node kind, left to right.
COLUMNS = {
    "hulpvraag": 0, "signaal": 0, "regie": 0, "huishouden": 1, "persoon": 2,
    "voorziening": 3, "schuldeiser": 3, "instelling": 4,
}  # fmt: skip


def node_active(g: nx.Graph, node: str) -> bool:
    """Whether ``node`` is current on the graph's reference date.

    A provision is active when the graph says so; a creditor when something is
    still open; a signal while it is open; an institution while it delivers an
    active provision or is involved now. Everything else (household, persons,
    help requests, regie) counts as current.

    >>> g = nx.Graph()
    >>> g.add_node("voorziening:1", soort="voorziening", actief=False)
    >>> g.add_node("voorziening:2", soort="voorziening", actief=True)
    >>> g.add_node("instelling:1", soort="instelling")
    >>> g.add_edge("voorziening:1", "instelling:1")
    >>> node_active(g, "voorziening:1"), node_active(g, "instelling:1")
    (False, False)
    >>> g.add_edge("voorziening:2", "instelling:1")
    >>> node_active(g, "instelling:1")
    True
    """
    a = g.nodes[node]
    soort = a.get("soort")
    if soort == "voorziening":
        return bool(a.get("actief"))
    if soort == "schuldeiser":
        return a.get("openstaand_cent", 0) > 0
    if soort == "signaal":
        return bool(a.get("open"))
    if soort == "instelling":
        delivers = any(
            g.nodes[n].get("soort") == "voorziening" and g.nodes[n].get("actief")
            for n in g.neighbors(node)
        )
        return delivers or bool(a.get("betrokken_actief"))
    return True


def _column_order(g: nx.Graph) -> dict[int, list[str]]:
    kinds = nx.get_node_attributes(g, "soort")
    persons = sorted((n for n, k in kinds.items() if k == "persoon"),
                     key=lambda n: (str(g.nodes[n].get("label")), n))  # fmt: skip
    columns: dict[int, list[str]] = {c: [] for c in sorted(set(COLUMNS.values()))}
    columns[1] = [n for n, k in kinds.items() if k == "huishouden"]
    columns[2] = persons
    placed: set[str] = set()
    for p in persons:  # a person's provisions (active first), then its creditors
        mine = [n for n in g.neighbors(p) if kinds.get(n) in ("voorziening", "schuldeiser")]
        mine.sort(key=lambda n: (kinds[n] != "voorziening", not node_active(g, n),
                                 str(g.nodes[n].get("label")), n))  # fmt: skip
        for n in mine:
            if n not in placed:
                columns[3].append(n)
                placed.add(n)
    columns[3] += sorted(n for n, k in kinds.items()
                         if k in ("voorziening", "schuldeiser") and n not in placed)  # fmt: skip
    row = {n: i for i, n in enumerate(columns[3])}

    def institution_key(n: str) -> tuple[float, str]:
        rows = [row[m] for m in g.neighbors(n) if m in row]
        return (sum(rows) / len(rows) if rows else float(len(row)), n)

    columns[4] = sorted((n for n, k in kinds.items() if k == "instelling"), key=institution_key)
    columns[0] = sorted((n for n, k in kinds.items() if k in ("regie", "signaal", "hulpvraag")),
                        key=lambda n: (n.split(":")[0], n))  # fmt: skip
    return columns


def column_sizes(g: nx.Graph) -> dict[int, int]:
    """How many nodes each column holds (the drawing's height follows the largest).

    >>> g = nx.Graph()
    >>> g.add_node("huishouden:1", soort="huishouden")
    >>> g.add_node("persoon:1", soort="persoon"); g.add_node("persoon:2", soort="persoon")
    >>> column_sizes(g)
    {0: 0, 1: 1, 2: 2, 3: 0, 4: 0}
    """
    return {c: len(nodes) for c, nodes in _column_order(g).items()}


def layered_positions(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions in columns: ``x`` is the column, ``y`` the row (0 at the top, negative down).

    Every column is spread over the height of the fullest one, so the rows of a
    small column sit between those of a large one and no two nodes coincide.

    >>> g = nx.Graph()
    >>> g.add_node("huishouden:1", soort="huishouden", label="H1")
    >>> for i in (1, 2):
    ...     g.add_node(f"persoon:{i}", soort="persoon", label=f"P{i}")
    ...     g.add_edge("huishouden:1", f"persoon:{i}")
    >>> g.add_node("voorziening:1", soort="voorziening", label="WMO: hulp", actief=True)
    >>> g.add_edge("persoon:2", "voorziening:1")
    >>> pos = layered_positions(g)
    >>> pos["huishouden:1"], pos["persoon:1"], pos["persoon:2"], pos["voorziening:1"]
    ((1.0, -0.5), (2.0, 0.0), (2.0, -1.0), (3.0, -0.5))
    """
    columns = _column_order(g)
    height = max([len(nodes) for nodes in columns.values()] + [1]) - 1
    pos: dict[str, tuple[float, float]] = {}
    for x, nodes in columns.items():
        n = len(nodes)
        for i, node in enumerate(nodes):
            y = -(height / 2) if n == 1 else -(height * i / (n - 1))
            pos[node] = (float(x), round(y, 4) + 0.0)  # never -0.0
    return pos
