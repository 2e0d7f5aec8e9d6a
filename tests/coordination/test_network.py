"""The institution network: reach, co-serving (SQL self-join) and suppression."""

from __future__ import annotations

import pytest

from coordination.network import institution_edges, institution_ranking
from households.actor import SYSTEM, Actor
from households.errors import AccessDenied
from tests.coordination.test_stacking import DAY, D, hh, institution, involvement, person, prov


@pytest.fixture
def network(session):
    """Radar serves 8 households, MEE 6 (5 shared with Radar), police 2 (shared with both)."""
    radar, mee = institution(session, "Radar"), institution(session, "MEE")
    police = institution(session, "Politie", "politie")
    idle = institution(session, "Stil")
    for i in range(8):
        h = hh(session, f"N{i}")
        p = person(session, h)
        prov(session, p, "JEUGD", D - 10 * DAY, institution=radar)
        prov(session, p, "JEUGD", D - 10 * DAY, institution=radar)  # same pair counts once
        if i < 5:
            prov(session, p, "WMO", D - 10 * DAY, institution=mee)
        if i < 2:
            involvement(session, h, police, D - 5 * DAY)
    extra = person(session, hh(session, "N9"))
    prov(session, extra, "WMO", D - 10 * DAY, institution=mee)
    prov(session, extra, "WMO", D - 10 * DAY, D - DAY, institution=idle)  # ended: not counted
    session.flush()
    return session


def test_ranking(network):
    r = institution_ranking(network, SYSTEM, D)
    assert r["naam"].tolist() == ["Radar", "MEE", "Politie", "Stil"]
    assert r["huishoudens"].tolist() == [8, 6, "<5", 0]
    assert r["co_instellingen"].tolist() == [2, 2, 2, 0]
    assert r["gedeelde_huishoudens"].tolist() == [7, 7, "<5", 0]
    assert r["centraliteit"].iloc[0] == r["centraliteit"].max()


def test_edges(network, account):
    e = institution_edges(network, account("kim", "kiss"), D)
    assert e.values.tolist() == [
        ["Radar", "MEE", 5], ["MEE", "Politie", "<5"], ["Radar", "Politie", "<5"],
    ]  # fmt: skip


@pytest.mark.parametrize("rol", ["voordeur", "ervaringswerker", "beheer"])
def test_network_is_for_kiss_and_gbd(network, rol):
    with pytest.raises(AccessDenied):
        institution_ranking(network, Actor(5, "x", rol), D)
