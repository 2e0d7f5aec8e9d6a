"""The household graph stays readable at 12 persons and 30 provisions: columns, own rows."""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd

from app.charts import graph_chart, graph_height
from coordination.graph_layout import COLUMNS, layered_positions, node_active


def big_household(persons: int = 12, provisions: int = 30, institutions: int = 8) -> nx.Graph:
    g = nx.Graph(household_id=1)
    g.add_node("huishouden:1", soort="huishouden", label="H1")
    for p in range(persons):
        g.add_node(f"persoon:{p}", soort="persoon", label=f"Persoon {p:02d}")
        g.add_edge("huishouden:1", f"persoon:{p}", relatie="lid")
    for i in range(institutions):
        g.add_node(f"instelling:{i}", soort="instelling", label=f"Instelling {i}")
    for v in range(provisions):
        node = f"voorziening:{v}"
        g.add_node(node, soort="voorziening", label=f"WMO: soort {v}", actief=v % 3 != 1)
        g.add_edge(f"persoon:{v % persons}", node, relatie="ontvangt")
        g.add_edge(node, f"instelling:{v % institutions}", relatie="levert")
    g.add_node("schuldeiser:woonpunt", soort="schuldeiser", label="Woonpunt", openstaand_cent=0)
    g.add_edge("persoon:0", "schuldeiser:woonpunt", relatie="schuld")
    g.add_node("signaal:1", soort="signaal", label="politie", open=True)
    g.add_edge("huishouden:1", "signaal:1", relatie="signaal")
    return g


def test_every_node_has_its_own_place_in_its_kinds_column():
    g = big_household()
    pos = layered_positions(g)
    assert len(set(pos.values())) == g.number_of_nodes()
    for node, (x, _) in pos.items():
        assert x == COLUMNS[g.nodes[node]["soort"]]
    # 31 provisions and creditors share column 3: one row apart, so labels never overlap.
    rows = sorted(y for n, (x, y) in pos.items() if x == 3)
    assert len(rows) == 31
    assert min(b - a for a, b in itertools.pairwise(rows)) >= 0.999


def test_a_persons_provisions_sit_together_active_first():
    g = big_household()
    pos = layered_positions(g)
    column = sorted((n for n in pos if pos[n][0] == 3), key=lambda n: -pos[n][1])
    first_person = [n for n in column if g.has_edge("persoon:0", n)]
    assert column[: len(first_person)] == first_person  # grouped under the first person
    states = [node_active(g, n) for n in first_person if n.startswith("voorziening")]
    assert states == sorted(states, reverse=True)  # active before ended


def test_ended_things_are_not_active():
    g = big_household()
    assert node_active(g, "voorziening:0") and not node_active(g, "voorziening:1")
    assert not node_active(g, "schuldeiser:woonpunt")  # paid off
    assert node_active(g, "signaal:1")


def test_the_drawing_grows_with_the_household():
    g = big_household()
    pos = layered_positions(g)
    nodes = pd.DataFrame(
        [{"id": n, "soort": a["soort"], "label": a["label"], "x": pos[n][0], "y": pos[n][1],
          "actief": node_active(g, n)} for n, a in g.nodes(data=True)]
    )  # fmt: skip
    assert graph_height(nodes) >= 26 * 31
    spec = graph_chart(nodes, pd.DataFrame()).to_dict()
    assert spec["height"] == graph_height(nodes)
    labels = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert labels[0]["mark"]["stroke"] == "white"  # a halo: edges never run through a label
