"""The steering overview on a small hand-built population (exact values, suppression)."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from coordination.overview import (
    COMBINATIONS,
    COUNT_KEYS,
    TREND_KEYS,
    overview_csv,
    steering_overview,
)
from coordination.stacking import stacking_table
from households.actor import SYSTEM, Actor
from households.errors import AccessDenied
from households.models import AuditEvent, Provision
from tests.coordination.test_disclosure_attack import assert_protected
from tests.coordination.test_stacking import DAY, D, debt, hh, person, prov, regie, request

START = D - 100 * DAY  # 2025-03-22: two quarter ends (Q1, Q2 = D) in the history


_counter = {"n": 0}


@pytest.fixture
def kiss(account):
    return account("kim", "kiss")


def make(session, n: int, wijk: str, domains=(), isd_debt=False, with_regie=False, doors=()):
    """``n`` households in ``wijk``, each with one provision per domain in ``domains``."""
    for _ in range(n):
        _counter["n"] += 1
        h = hh(session, f"HH{_counter['n']:04d}", wijk)
        p = person(session, h)
        for d in domains:
            prov(session, p, d, START, soort="bijstand" if d == "ISD" else "begeleiding")
        if isd_debt:
            debt(session, p, 100_00, D - 50 * DAY, schuldeiser="ISD BOL terugvordering")
        if with_regie:
            regie(session, h, D - 10 * DAY)
        for k, door in enumerate(doors):
            request(session, h, D - (k + 1) * 30 * DAY, voordeur=door)


@pytest.fixture
def population(session):
    """Population A: every count is 0 or at least 5."""
    make(session, 5, "Noord", ["WMO"])
    make(session, 5, "Noord", ["ISD", "WMO"], isd_debt=True)
    make(session, 5, "Noord", [], doors=["WMO", "ISD"])
    make(session, 6, "Oost", ["JEUGD"])
    make(session, 5, "Oost", ["JEUGD", "ISD", "WMO"], with_regie=True)
    session.flush()
    return session


def test_overview_exact_values(population, kiss):
    ov = steering_overview(population, kiss, D)
    assert ov["reference_date"] == "2025-06-30"
    assert {k: ov[k] for k in COUNT_KEYS} == {
        "households_total": 26, "households_with_provision": 21, "stacked": 10,
        "stacked_cbs": 10, "complex": 10,
        "regie_gaps": 5, "isd_debtors": 5, "isd_debtors_known_elsewhere": 5,
    }  # fmt: skip
    assert ov["isd_debt_outstanding"] == 500.0
    assert ov["combinations"] == {"ISD": 0, "JEUGD": 6, "WMO": 5, "ISD+JEUGD": 0,
                                  "ISD+WMO": 5, "JEUGD+WMO": 0, "ISD+JEUGD+WMO": 5}  # fmt: skip
    assert ov["provisions_per_household"] == {"1": 11, "2": 5, "3": 5, "4": 0, "5": 0, "6+": 0}
    noord, oost = ov["by_wijk"]["Noord"], ov["by_wijk"]["Oost"]
    assert (noord["households_total"], noord["stacked"], noord["regie_gaps"]) == (15, 5, 5)
    assert (oost["households_with_provision"], oost["complex"], oost["regie_gaps"]) == (11, 5, 0)
    assert oost["combinations"]["ISD+JEUGD+WMO"] == 5 and oost["isd_debt_outstanding"] is None
    assert ov["fragmentation"] == {
        "households_with_request": 5, "front_doors": {"1": 0, "2": 5, "3+": 0},
        "multiple_front_doors": 5,
        "institutions_per_stacked_household": {"0": 10, "1": 0, "2": 0, "3": 0, "4": 0, "5+": 0},
    }  # fmt: skip


def test_overview_trend_per_quarter(population, kiss):
    trend = steering_overview(population, kiss, D)["trend"]
    assert trend == [
        {"kwartaal": "2025-K1", "datum": "2025-03-31", "households_with_provision": 21,
         "stacked": 10, "stacked_cbs": 10, "complex": 5, "regie_gaps": 5, "isd_debtors": 0},
        {"kwartaal": "2025-K2", "datum": "2025-06-30", "households_with_provision": 21,
         "stacked": 10, "stacked_cbs": 10, "complex": 10, "regie_gaps": 5, "isd_debtors": 5},
    ]  # fmt: skip


def test_trend_quarter_on_the_reference_date_is_published_as_the_totals(population, kiss):
    # the trend goes through the same suppression as the totals it repeats on D
    ov = steering_overview(population, kiss, D)
    last = ov["trend"][-1]
    assert last["datum"] == D.isoformat()
    assert {k: last[k] for k in TREND_KEYS} == {k: ov[k] for k in TREND_KEYS}


def test_overview_matches_stacking_table(population):
    ov = steering_overview(population, SYSTEM, D)
    t = stacking_table(population, D)
    assert ov["households_total"] == len(t)
    assert ov["households_with_provision"] == int((t["n_provisions"] > 0).sum())
    assert ov["stacked"] == int(t["stacked"].sum()) and ov["complex"] == int(t["complex"].sum())
    for combo in COMBINATIONS:
        assert ov["combinations"][combo] == int((t["domains"] == combo).sum())
    for wijk, block in ov["by_wijk"].items():
        part = t[t["wijk"] == wijk]
        assert block["stacked"] == int(part["stacked"].sum())
        assert block["households_with_provision"] == int((part["n_provisions"] > 0).sum())


def _hidden_once(values: list) -> bool:
    return sum(v in ("<5", "x") for v in values) == 1


def test_small_cells_are_suppressed_and_not_derivable(population, kiss):
    make(population, 1, "Oost", ["WMO"])  # one household: Oost WMO-only = 1
    make(population, 3, "Zuid", ["ISD"], isd_debt=True)
    ov = steering_overview(population, kiss, D)
    assert ov["by_wijk"]["Oost"]["combinations"]["WMO"] == "<5"
    assert ov["by_wijk"]["Zuid"]["households_total"] == "<5"
    assert ov["by_wijk"]["Zuid"]["isd_debt_outstanding"] is None
    # three small wijken: protecting Zuid (1-4 households) needs two more degrees of
    # freedom, so other wijk cells go as "x" (never as a false "<5")
    assert ov["withheld"] is None
    assert ov["by_wijk"]["Noord"]["households_total"] == "x"
    assert_protected(ov)  # the interval attack of test_disclosure_attack
    blocks = [ov, *ov["by_wijk"].values()]
    for block in blocks:
        for key in COUNT_KEYS:
            assert block[key] in ("<5", "x") or block[key] == 0 or block[key] >= 5
        assert not _hidden_once([block["households_with_provision"],
                                 *block["combinations"].values()])  # fmt: skip
        assert not _hidden_once([block["households_with_provision"],
                                 *block["provisions_per_household"].values()])  # fmt: skip
    for key in COUNT_KEYS:
        assert not _hidden_once([b[key] for b in blocks]), key
    for combo in COMBINATIONS:
        assert not _hidden_once([b["combinations"][combo] for b in blocks]), combo


def test_overview_csv_long_format(population):
    rows = list(csv.reader(io.StringIO(overview_csv(population, SYSTEM, D))))
    assert rows[0] == ["section", "wijk", "key", "value"]
    assert ["meta", "", "reference_date", "2025-06-30"] in rows
    assert ["totaal", "", "households_total", "26"] in rows
    assert ["wijk", "Noord", "regie_gaps", "5"] in rows
    assert ["combinatie", "Oost", "ISD+JEUGD+WMO", "5"] in rows
    assert ["trend", "", "2025-K1:regie_gaps", "5"] in rows


@pytest.mark.parametrize("rol", ["voordeur", "ervaringswerker", "gbd", "beheer"])
def test_only_kiss_may_see_the_overview(population, rol):
    with pytest.raises(AccessDenied):
        steering_overview(population, Actor(3, "iemand", rol), D)


def test_overview_read_is_audited(population, kiss):
    steering_overview(population, kiss, D)
    actions = population.scalars(select(AuditEvent.actie)).all()
    assert actions[-1] == "stuurinformatie_inzien"


def test_empty_database(session, kiss):
    ov = steering_overview(session, kiss, D)
    assert ov["households_total"] == 0 and ov["by_wijk"] == {} and ov["trend"] == []


def test_monthly_costs_per_wijk_only_for_groups_of_five(population, kiss):
    for v in population.scalars(select(Provision)):
        v.kosten_per_maand_cent = 100_00
    population.flush()
    ov = steering_overview(population, kiss, D)
    assert ov["by_wijk"]["Noord"]["kosten_per_maand"] == 1500.0  # 5 + 2 x 5 provisions
    assert ov["by_wijk"]["Oost"]["kosten_per_maand"] == 2100.0  # 6 + 3 x 5 provisions
    assert ov["kosten_per_maand"] == 3600.0
    make(population, 3, "Zuid", ["WMO"])  # a group of 3: its costs stay hidden, and the total
    ov = steering_overview(population, kiss, D)
    assert ov["by_wijk"]["Zuid"]["kosten_per_maand"] is None
    assert ov["kosten_per_maand"] is None or ov["by_wijk"]["Noord"]["kosten_per_maand"] is None
    assert_protected(ov)
