"""Costs per domain, combination and wijk, and the budget's use per month: amounts protected."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordination import casetables as ct
from coordination import decisions
from coordination.budget import budget_use, set_budget, spend
from coordination.costs import cost_breakdown, steering_costs
from coordination.overview_amounts import protected_breakdown
from households.errors import AccessDenied, InvalidInput
from tests.builders import make_household, make_user, opened, valid_bsn
from tests.coordination.test_stacking import DAY, D, hh, person, prov

START = D - 100 * DAY
_seq = iter(range(10_000))


def _household(session, wijk: str, costs: dict[str, int]) -> None:
    p = person(session, hh(session, f"K{next(_seq)}", wijk))
    for domein, euros in costs.items():
        v = prov(session, p, domein, START, soort="bijstand" if domein == "ISD" else "begeleiding")
        v.kosten_per_maand_cent = euros * 100
    session.flush()


@pytest.fixture
def priced(session):
    """6 WMO households (100), 5 JEUGD+WMO (200 + 100), 3 ISD only (50): 14 households."""
    for i in range(6):
        _household(session, "Noord" if i % 2 else "Oost", {"WMO": 100})
    for i in range(5):
        _household(session, "Noord" if i % 2 else "Oost", {"JEUGD": 200, "WMO": 100})
    for _ in range(3):
        _household(session, "Noord", {"ISD": 50})
    return session


def test_costs_per_domain_and_combination_hide_small_groups_and_their_complement(priced):
    out = cost_breakdown(priced, D)
    # ISD: 3 households, hidden; the reader knows the total, so JEUGD (5, the smallest
    # published group) goes too: together 8 households, no amount of 1-4 derivable
    assert out["per_domein"] == {"ISD": None, "JEUGD": None, "WMO": 1100.0}
    assert out["per_combinatie"] == {"ISD": None, "JEUGD": 0.0, "ISD+JEUGD": 0.0, "WMO": 600.0,
                                     "ISD+WMO": 0.0, "JEUGD+WMO": None,
                                     "ISD+JEUGD+WMO": 0.0}  # fmt: skip


def test_costs_without_small_groups_are_all_published(priced):
    for _ in range(2):
        _household(priced, "Noord", {"ISD": 50})  # ISD now 5 households
    out = cost_breakdown(priced, D)
    assert out["per_domein"] == {"ISD": 250.0, "JEUGD": 1000.0, "WMO": 1100.0}
    assert out["per_combinatie"]["ISD"] == 250.0 and out["per_combinatie"]["JEUGD+WMO"] == 1500.0


def test_overlapping_groups_are_counted_once_for_the_complement():
    # WMO and JEUGD hidden, but the same 3 households: a third group must go as well
    counts, cents = {"A": 3, "B": 3, "C": 9, "D": 12}, {"A": 1, "B": 2, "C": 3, "D": 4}
    same = protected_breakdown(counts, cents, union=lambda names: 3 if set(names) <= {"A", "B"}
                               else sum(counts[n] for n in names))  # fmt: skip
    assert same == {"A": None, "B": None, "C": None, "D": 0.04}
    assert protected_breakdown(counts, cents) == {"A": None, "B": None, "C": 0.03, "D": 0.04}


def test_steering_costs_for_kiss_only_and_at_month_ends(priced, account):
    kiss = account("kim", "kiss")
    out = steering_costs(priced, kiss, D)
    assert set(out["per_wijk"]) <= {"Noord", "Oost"}
    assert out["totaal"] in (None, 2250.0)
    with pytest.raises(InvalidInput, match="einde van een maand"):
        steering_costs(priced, kiss, D - DAY)
    with pytest.raises(AccessDenied):
        steering_costs(priced, account("gerda", "gbd"), D)


@pytest.fixture
def spends(session):
    """Budget 2026 with spends for 3 households in March and 3 more in April."""
    gerda, karel = make_user(session, "gerda", "gbd"), make_user(session, "karel", "gbd")
    table = ct.ensure_tables(session)[0]
    ct.add_member(session, gerda, table.id, gerda.user_id)
    ct.add_member(session, gerda, table.id, karel.user_id)
    set_budget(session, gerda, 2026, "10.000,00")
    for i in range(6):
        h = opened(session, gerda, make_household(
            session, persons=[(valid_bsn(100 + i), f"Jan {i}", "hoofdbewoner")]))  # fmt: skip
        item = ct.add_agenda_item(session, gerda, table.id, h.id, "Huur na brand",
                                  date=dt.date(2026, 3, 1))  # fmt: skip
        d = decisions.decide(session, gerda, item.id, "Huur betalen", "maatwerk",
                             dt.date(2026, 3, 1))  # fmt: skip
        decisions.review(session, karel, d.id, True, date=dt.date(2026, 3, 2))
        when = dt.date(2026, 3, 10) if i < 3 else dt.date(2026, 4, 10)
        spend(session, gerda, d.id, 100 * (i + 1), "Huur betaald na brand", when)
    return session


def test_budget_use_per_month_only_for_five_households_or_more(spends, account):
    kiss = account("kim", "kiss")
    budget, months = budget_use(spends, kiss, 2026, dt.date(2026, 5, 31))
    assert budget == Decimal("10000")
    assert [(m.maand.month, m.besteed, m.cumulatief) for m in months] == [
        (1, Decimal(0), Decimal(0)), (2, Decimal(0), Decimal(0)),
        (3, None, None),  # 3 households: carried into April
        (4, Decimal("2100"), Decimal("2100")),  # March and April: 6 households
        (5, Decimal(0), Decimal("2100")),  # nothing spent, nothing carried
    ]  # fmt: skip
    with pytest.raises(AccessDenied):
        budget_use(spends, account("vera", "voordeur"), 2026, dt.date(2026, 5, 31))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from("ABCDEFG"), st.integers(0, 30), min_size=1))
def test_no_amount_of_1_to_4_households_is_published_or_derivable(counts):
    cents = {g: 100 * (n + 1) for g, n in counts.items()}
    out = protected_breakdown(counts, cents)
    hidden = [g for g in counts if out[g] is None]
    assert all(out[g] is None for g, n in counts.items() if 0 < n < 5)  # primary
    together = sum(counts[g] for g in hidden)
    # what the total minus the published amounts gives covers 0 or 5+ households,
    # unless nothing is left to hide (then every positive group is hidden already)
    assert together == 0 or together >= 5 or all(out[g] is None for g in counts if counts[g])
