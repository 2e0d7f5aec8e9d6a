"""The Start page's counts: kept in the figure cache, never stale after a write."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from households import figurecache
from households.services import population_counts
from tests import builders as b


@pytest.fixture(autouse=True)
def _empty_cache():
    figurecache.clear()
    yield
    figurecache.clear()


def _counts(session):
    c = population_counts(session)
    return c.households, c.persons, c.provisions


def test_counts_follow_every_write_of_the_three_tables(session):
    before = _counts(session)
    h, person = b.household_with_persons(session, n_persons=2)
    assert _counts(session) == (before[0] + 1, before[1] + 2, before[2])
    b.add_provision(session, person, "WMO")
    assert _counts(session) == (before[0] + 1, before[1] + 2, before[2] + 1)
    session.commit()
    assert _counts(session) == (before[0] + 1, before[1] + 2, before[2] + 1)


def test_a_second_page_run_does_not_count_again(session, engine):
    b.household_with_persons(session)
    session.commit()
    assert _counts(session)[0] >= 1
    counted: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "count(" in statement.lower() and "household" in statement.lower():
            counted.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        _counts(session)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert counted == []
