"""Demo seeding of the coordination context: deterministic, idempotent, four-eyes ready."""

from __future__ import annotations

from sqlalchemy import select

from coordination import casetables as ct
from coordination import decisions
from coordination.models import BudgetSpend, Regie, Review
from data.demo_coordination import seed_coordination
from tests.builders import (
    D,
    add_debt,
    add_institution,
    add_provision,
    first_person,
    make_household,
    make_user,
    valid_bsn,
)


def _demo_world(session):
    for n in range(10):
        h = make_household(
            session,
            wijk=("Noord", "Zuid")[n % 2],
            persons=[(valid_bsn(50 + n), f"P{n}", "hoofdbewoner")],
        )
        add_provision(session, first_person(session, h), "WMO")
        add_provision(session, first_person(session, h), "ISD", "bijstand")  # complex: 2 + debt
        add_debt(session, first_person(session, h), 10_000 * (n + 1))
    add_institution(session, "Mondriaan")


def test_demo_seed_is_deterministic_and_complete(session):
    make_user(session, "bram", "gbd")
    make_user(session, "gbd2", "gbd")
    _demo_world(session)
    counts = seed_coordination(session, seed=3, today=D)
    assert counts["agendapunten"] == 10 and counts["besluiten"] == 8
    assert counts["regie"] == 5 and counts["uitgaven"] == 1
    reviews = session.scalars(select(Review)).all()
    assert [r.akkoord for r in reviews].count(False) == 1
    assert session.scalar(select(BudgetSpend.bedrag_cent)) == 185_000
    assert len(session.scalars(select(Regie).where(Regie.actief.is_(True))).all()) == 5
    again = seed_coordination(session, seed=3, today=D)
    assert again["agendapunten"] == 0  # idempotent: tables already have meetings


def test_demo_seed_without_gbd_users_skips(session):
    _demo_world(session)
    assert seed_coordination(session, seed=3, today=D)["agendapunten"] == 0
    assert len(ct.ensure_tables(session)) == 3


def test_demo_seed_with_one_gbd_user_adds_a_colleague_for_review(session):
    bram = make_user(session, "bram", "gbd")
    _demo_world(session)
    counts = seed_coordination(session, seed=3, today=D)
    assert counts["tweede_gbd"] == "gbd.collega"
    waiting = [
        r
        for r in ct.agenda(session, bram, ct.table_by_name(session, ct.BREDE_TAFEL).id)
        if r.status == "wacht op review"
    ] + [
        r
        for r in ct.agenda(session, bram, ct.table_by_name(session, ct.TAFEL_NOORD_OOST).id)
        if r.status == "wacht op review"
    ]
    assert [r.besloten_door for r in waiting] == ["Rachida El Idrissi (GBD)"]
    decisions.review(session, bram, waiting[0].decision_id, True, date=D)
    assert session.scalar(select(Review.id).where(Review.decision_id == waiting[0].decision_id))
