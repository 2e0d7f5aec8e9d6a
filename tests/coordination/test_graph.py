"""The household graph of one hand-built household."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from coordination.access import open_household
from coordination.graph import (
    debt_rows,
    domains_active,
    graph_tables,
    household_graph,
    institutions_involved,
    request_rows,
    resolve_household,
    signal_rows,
    timeline_rows,
)
from households.errors import AccessDenied, NotFound
from households.models import AuditEvent
from tests.builders import make_user
from tests.coordination.test_stacking import (
    DAY,
    D,
    debt,
    hh,
    institution,
    involvement,
    person,
    prov,
    regie,
    request,
    signal,
)


@pytest.fixture
def family(session):
    """One household with two persons, provisions, debts, institutions, requests, signals."""
    h = hh(session, "FAM1", "Oost")
    other = hh(session, "OTHER", "Oost")
    mother = person(session, h, naam="Anna Jansen")
    child = person(session, h, rol="kind", naam="Bo Jansen")
    radar = institution(session, "Radar")
    mee = institution(session, "MEE Zuid-Limburg")
    police = institution(session, "Politie Limburg", "politie")
    prov(session, mother, "WMO", D - 200 * DAY, institution=mee)
    prov(session, mother, "ISD", D - 400 * DAY, D - 30 * DAY, soort="bijstand")  # past
    prov(session, child, "JEUGD", D - 60 * DAY, soort="jeugdbescherming", institution=radar)
    debt(session, mother, 250_00, D - 90 * DAY, schuldeiser="ISD BOL terugvordering")
    debt(session, mother, 80_00, D - 20 * DAY, schuldeiser="Woonpunt")
    debt(session, mother, 0, D - 300 * DAY, schuldeiser="Woonpunt")  # paid off
    involvement(session, h, police, D - 15 * DAY)
    request(session, h, D - 5 * DAY, voordeur="CENTRAAL")
    signal(session, h, "politie", D - 15 * DAY)
    held = regie(session, h, D - 3 * DAY)
    person(session, other)  # another household's person is never in the graph
    gbd = make_user(session, "gbd1", "gbd")
    held.houder_user_id = gbd.user_id  # the regie holder sees every category (DESIGN 8.2)
    open_household(session, gbd, h.id, "casustafel voorbereiden")
    session.flush()
    return h, gbd


def test_graph_contents(session, family):
    h, gbd = family
    g = household_graph(session, gbd, h.id, D)
    kinds = sorted(a["soort"] for _, a in g.nodes(data=True))
    assert kinds == sorted(
        ["huishouden"] + ["persoon"] * 2 + ["voorziening"] * 3 + ["schuldeiser"] * 2
        + ["instelling"] * 3 + ["hulpvraag", "signaal", "regie"]
    )  # fmt: skip
    assert institutions_involved(g) == ["MEE Zuid-Limburg", "Politie Limburg", "Radar"]
    assert domains_active(g) == ["JEUGD", "WMO"]
    assert g.graph["huishouden_id"] == "FAM1"
    root = f"huishouden:{h.id}"
    assert (
        g.degree(root) == 2 + 1 + 1 + 1 + 1
    )  # persons, police involvement, request, signal, regie


def test_timeline_and_debts(session, family):
    h, gbd = family
    g = household_graph(session, gbd, h.id, D)
    rows = timeline_rows(g)
    assert [(r["domein"], r["actief"], r["lopend"]) for r in rows] == [
        ("ISD", False, False), ("JEUGD", True, True), ("WMO", True, True),
    ]  # fmt: skip
    assert rows[1]["tot"] == D and rows[1]["aanbieder"] == "Radar"
    debts = debt_rows(g)
    assert [(d["schuldeiser"], d["openstaand"], d["open"]) for d in debts] == [
        ("Woonpunt", 0.0, False), ("ISD BOL terugvordering", 250.0, True),
        ("Woonpunt", 80.0, True),
    ]  # fmt: skip
    assert debts[1]["persoon"] == "Anna Jansen"
    assert [r["voordeur"] for r in request_rows(g)] == ["CENTRAAL"]
    assert [(s["soort"], s["open"]) for s in signal_rows(g)] == [("politie", True)]


def test_graph_tables_for_drawing(session, family):
    h, gbd = family
    nodes, edges = graph_tables(household_graph(session, gbd, h.id, D), seed=3)
    assert len(nodes) == 14 and len(edges) == 13
    assert set(nodes.columns) == {"id", "soort", "label", "x", "y"}
    assert nodes["x"].between(-1.01, 1.01).all()


def test_graph_read_is_audited(session, family):
    h, gbd = family
    household_graph(session, gbd, h.id, D)
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.actie, last.object_id, last.gebruiker) == ("huishouden_inzien", str(h.id), "gbd1")


def test_kiss_role_is_refused(session, family):
    h, _ = family
    kiss = make_user(session, "kim", "kiss")
    with pytest.raises(AccessDenied):
        household_graph(session, kiss, h.id, D)


def test_gbd_without_need_to_know_is_refused(session, family):
    h, _ = family
    other = make_user(session, "gbd2", "gbd")
    with pytest.raises(AccessDenied):
        household_graph(session, other, h.id, D)


def test_resolve_household(session, family):
    h, _ = family
    assert resolve_household(session, " FAM1 ") == h.id
    with pytest.raises(NotFound):
        resolve_household(session, "NOPE")


def test_graph_on_an_earlier_date(session, family):
    h, gbd = family
    g = household_graph(session, gbd, h.id, D - 100 * DAY)
    assert domains_active(g) == ["ISD", "WMO"]
    assert not any(a["soort"] == "regie" for _, a in g.nodes(data=True))
    assert isinstance(g.graph["reference_date"], dt.date)
