"""Tussen-wal-en-schip-budget: only for reviewed (agreed) maatwerk decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from coordination import casetables as ct
from coordination import decisions
from coordination.budget import remaining, set_budget, spend, to_cents
from coordination.models import BudgetSpend
from households.errors import AccessDenied, InvalidInput, KissError
from tests.builders import D, make_household, make_user, opened, valid_bsn


@pytest.fixture
def world(session):
    gerda = make_user(session, "gerda", "gbd")
    karel = make_user(session, "karel", "gbd")
    table = ct.ensure_tables(session)[0]
    ct.add_member(session, gerda, table.id, gerda.user_id)
    ct.add_member(session, gerda, table.id, karel.user_id)
    h = opened(
        session, gerda, make_household(session, persons=[(valid_bsn(1), "Jan", "hoofdbewoner")])
    )
    item = ct.add_agenda_item(session, gerda, table.id, h.id, "Huur betalen na brand", date=D)
    set_budget(session, gerda, 2026, "10.000,00")
    return gerda, karel, item


def _decision(session, world, soort="maatwerk"):
    gerda, _, item = world
    return decisions.decide(session, gerda, item.id, "Eenmalig huur betalen", soort, D)


def test_spend_after_agreed_review(session, world):
    gerda, karel, _ = world
    d = _decision(session, world)
    decisions.review(session, karel, d.id, True, date=D)
    spend(session, gerda, d.id, "1.250,50", "Twee maanden huur na brand", D)
    status = remaining(session, gerda, 2026)
    assert (status.budget, status.besteed, status.resterend, status.uitgaven) == (
        Decimal("10000"),
        Decimal("1250.5"),
        Decimal("8749.5"),
        1,
    )


def test_spending_without_review_is_refused(session, world):
    d = _decision(session, world)
    with pytest.raises(InvalidInput, match="nog niet gereviewd"):
        spend(session, world[0], d.id, 100, "Twee maanden huur na brand", D)
    assert session.scalar(select(BudgetSpend.id)) is None


def test_spending_after_dissent_is_refused(session, world):
    d = _decision(session, world)
    decisions.review(session, world[1], d.id, False, "Eerst huurtoeslag aanvragen", D)
    with pytest.raises(InvalidInput, match="tegenspraak"):
        spend(session, world[0], d.id, 100, "Twee maanden huur na brand", D)


def test_spending_on_standaard_decision_is_refused(session, world):
    d = _decision(session, world, "standaard")
    with pytest.raises(InvalidInput, match="maatwerkbesluit"):
        spend(session, world[0], d.id, 100, "Twee maanden huur na brand", D)


def test_cannot_overspend_or_spend_without_budget(session, world):
    d = _decision(session, world)
    decisions.review(session, world[1], d.id, True, date=D)
    with pytest.raises(InvalidInput, match="Onvoldoende budget"):
        spend(session, world[0], d.id, "10000,01", "Te veel geld gevraagd hier", D)
    with pytest.raises(InvalidInput, match="geen Tussen-wal-en-schip-budget voor 2027"):
        spend(session, world[0], d.id, 1, "Volgend jaar betalen", dt.date(2027, 1, 2))


@pytest.mark.parametrize("amount", ["abc", "-5", "0", True, "1e99", "NaN"])
def test_bad_amounts(session, world, amount):
    d = _decision(session, world)
    decisions.review(session, world[1], d.id, True, date=D)
    with pytest.raises(KissError):
        spend(session, world[0], d.id, amount, "Twee maanden huur na brand", D)


def test_justification_required(session, world):
    d = _decision(session, world)
    decisions.review(session, world[1], d.id, True, date=D)
    with pytest.raises(InvalidInput, match="verantwoording"):
        spend(session, world[0], d.id, 10, "kort", D)


def test_voordeur_may_not_spend(session, world):
    anna = make_user(session, "anna", "voordeur")
    with pytest.raises(AccessDenied):
        spend(session, anna, 1, 10, "Twee maanden huur na brand", D)


def test_to_cents():
    assert [to_cents(x) for x in ("1.234,56", "1234.56", "1234,56", 7, "€ 3,5")] == [
        123456,
        123456,
        123456,
        700,
        350,
    ]
    # Dutch thousands separators: what a user types as 250.000 is not € 250
    assert [to_cents(x) for x in ("250.000", "1.234.567", "12.50", "1.250")] == [
        25000000,
        123456700,
        1250,
        125000,
    ]
