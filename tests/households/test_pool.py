"""The connection pool per process: sized from KISS_DB_POOL_*; exhausted -> a Dutch message."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from households.db import MSG_BUSY, make_engine, session_scope
from households.errors import Busy
from households.settings import pool_settings


def test_the_pool_is_sized_from_the_environment(monkeypatch, db_url):
    monkeypatch.setenv("KISS_DB_POOL_SIZE", "3")
    monkeypatch.setenv("KISS_DB_MAX_OVERFLOW", "2")
    monkeypatch.setenv("KISS_DB_POOL_TIMEOUT", "4.5")
    engine = make_engine(db_url)
    try:
        assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._timeout) == (3, 2, 4.5)
        assert engine.pool._pre_ping is (engine.dialect.name == "postgresql")
    finally:
        engine.dispose()


def test_an_exhausted_pool_says_so_in_dutch(monkeypatch, db_url):
    monkeypatch.setenv("KISS_DB_POOL_SIZE", "1")
    monkeypatch.setenv("KISS_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("KISS_DB_POOL_TIMEOUT", "0.2")
    engine = make_engine(db_url)
    try:
        with engine.connect() as held:  # another request holds the only connection
            held.execute(text("SELECT 1"))
            with pytest.raises(Busy) as caught, session_scope(engine) as session:
                session.execute(text("SELECT 1"))
        assert str(caught.value) == MSG_BUSY
        assert "Probeer het over een ogenblik opnieuw" in MSG_BUSY
        with session_scope(engine) as session:  # free again: the next request works
            assert session.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize(("name", "value"), [("KISS_DB_POOL_SIZE", "0"),
                                             ("KISS_DB_MAX_OVERFLOW", "veel")])  # fmt: skip
def test_a_bad_pool_setting_is_named(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        pool_settings()


def test_a_sqlite_write_lock_that_stays_taken_says_so_in_dutch(db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's database-wide write lock")
    engine = make_engine(db_url, connect_args={"timeout": 0.1})
    blocker = make_engine(db_url)
    try:
        with blocker.connect() as held:
            held.exec_driver_sql("BEGIN IMMEDIATE")  # another writer holds the lock
            with pytest.raises(Busy), session_scope(engine) as session:
                session.execute(text("PRAGMA busy_timeout=100"))
                session.execute(text("CREATE TABLE t_lock (x INTEGER)"))
            held.exec_driver_sql("ROLLBACK")
    finally:
        engine.dispose()
        blocker.dispose()
