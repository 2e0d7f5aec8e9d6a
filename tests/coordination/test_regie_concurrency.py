"""Two coordinators assign regie to the same household at the same moment (PostgreSQL).

Real concurrent transactions: two threads, two sessions, a barrier so both
insert before either commits. The database's partial unique index decides:
exactly one succeeds, the other gets a Conflict naming the holder.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.access import open_household
from coordination.models import Regie
from coordination.regie import assign_regie
from households.errors import Conflict
from tests.builders import make_household, make_user, valid_bsn

pytestmark = pytest.mark.postgres_only


def test_concurrent_assign_exactly_one_wins(pg_engine):
    with Session(pg_engine, expire_on_commit=False) as s:
        a = make_user(s, "gerda", "gbd")
        b = make_user(s, "karel", "gbd")
        h = make_household(s, persons=[(valid_bsn(1), "Jan Jansen", "hoofdbewoner")])
        open_household(s, a, h.id, "Regie regelen")
        open_household(s, b, h.id, "Regie regelen")
        s.commit()
    barrier = threading.Barrier(2, timeout=20)
    results: dict[str, object] = {}

    def worker(actor):
        with Session(pg_engine, expire_on_commit=False) as s:
            try:
                # both sessions hold an open transaction before either inserts
                s.execute(select(func.count()).select_from(Regie))
                barrier.wait()
                assign_regie(
                    s,
                    actor,
                    h.id,
                    houder_user_id=actor.user_id,
                    doel="Stabiel wonen",
                    samenhang="Schulden, wonen en zorg hangen samen",
                    start=dt.date(2026, 6, 1),
                )
                s.commit()
                results[actor.naam] = "ok"
            except Conflict as exc:
                s.rollback()
                results[actor.naam] = exc

    threads = [threading.Thread(target=worker, args=(x,)) for x in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(type(v).__name__ for v in results.values()) == ["Conflict", "str"]
    winner = next(k for k, v in results.items() if v == "ok")
    loser_exc = next(v for v in results.values() if isinstance(v, Conflict))
    assert f"regiehouder: {winner.title()}" in str(loser_exc)
    with Session(pg_engine) as s:
        rows = s.scalars(select(Regie).where(Regie.household_id == h.id)).all()
        assert [(r.actief, r.houder_user_id) for r in rows] == [
            (True, a.user_id if winner == "gerda" else b.user_id)
        ]


def test_concurrent_transfer_and_assign(pg_engine):
    """A transfer (end + start) racing an assign: still exactly one active regie."""
    from coordination.regie import transfer_regie

    with Session(pg_engine, expire_on_commit=False) as s:
        a = make_user(s, "gerda", "gbd")
        b = make_user(s, "karel", "gbd")
        h = make_household(s, persons=[(valid_bsn(2), "Els", "hoofdbewoner")])
        open_household(s, a, h.id, "Regie regelen")
        open_household(s, b, h.id, "Regie regelen")
        assign_regie(
            s,
            a,
            h.id,
            houder_user_id=a.user_id,
            doel="Stabiel wonen",
            samenhang="Schulden, wonen en zorg hangen samen",
            start=dt.date(2026, 1, 1),
        )
        s.commit()
    barrier = threading.Barrier(2, timeout=20)
    results = {}

    def do_transfer():
        with Session(pg_engine, expire_on_commit=False) as s:
            barrier.wait()
            transfer_regie(s, a, h.id, houder_user_id=b.user_id, start=dt.date(2026, 6, 1))
            s.commit()
            results["transfer"] = "ok"

    def do_assign():
        with Session(pg_engine, expire_on_commit=False) as s:
            barrier.wait()
            try:
                assign_regie(
                    s,
                    b,
                    h.id,
                    houder_user_id=b.user_id,
                    doel="Ander doel",
                    samenhang="Schulden, wonen en zorg hangen samen",
                    start=dt.date(2026, 6, 1),
                )
                s.commit()
                results["assign"] = "ok"
            except Conflict:
                s.rollback()
                results["assign"] = "conflict"

    threads = [threading.Thread(target=do_transfer), threading.Thread(target=do_assign)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == {"transfer": "ok", "assign": "conflict"}
    with Session(pg_engine) as s:
        active = s.scalars(
            select(Regie).where(Regie.household_id == h.id, Regie.actief.is_(True))
        ).all()
        assert [r.houder_user_id for r in active] == [b.user_id]
