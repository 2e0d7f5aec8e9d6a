"""The data version: every write to a data table raises it, reads and audit rows do not."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import inspect, text

from households import audit
from households.actor import SYSTEM
from households.dataversion import (
    DATA_TABLES,
    NOT_DATA_TABLES,
    SHARDS,
    data_version,
    trigger_name,
    wrote_data,
)
from households.db import Base, alembic_config, import_all_models, session_scope
from households.frontdoors import FRONT_DOORS
from tests.coordination.test_stacking import hh, person, prov


def test_every_table_is_classified_once(engine):
    import_all_models()
    tables = set(Base.metadata.tables) | set(inspect(engine).get_table_names())
    assert not set(DATA_TABLES) & set(NOT_DATA_TABLES)
    unclassified = tables - set(DATA_TABLES) - set(NOT_DATA_TABLES)
    assert not unclassified, (
        f"classify {sorted(unclassified)} in households/dataversion.py (a data table also "
        "gets its trigger in a migration: create_triggers)"
    )


def test_every_data_table_has_its_trigger(engine):
    if engine.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    with engine.connect() as conn:
        names = {r[0] for r in conn.execute(text(sql))}
    missing = [t for t in DATA_TABLES if not any(n.startswith(trigger_name(t)) for n in names)]
    assert missing == []


def _version(engine, tables=DATA_TABLES) -> int:
    with session_scope(engine) as session:
        return data_version(session, tables)


def test_orm_insert_update_and_delete_each_raise_the_version(engine):
    v0 = _version(engine)
    with session_scope(engine) as session:
        p = person(session, hh(session, "A1"))
        v = prov(session, p, "WMO", dt.date(2025, 1, 1))
        vid = v.id
    v1 = _version(engine)
    assert v1 > v0
    with session_scope(engine) as session:
        session.execute(text("UPDATE provision SET einde = :d WHERE id = :i"),
                        {"d": dt.date(2025, 2, 1), "i": vid})  # fmt: skip
    v2 = _version(engine)
    assert v2 > v1
    with session_scope(engine) as session:
        session.execute(text("DELETE FROM provision WHERE id = :i"), {"i": vid})
    assert _version(engine) > v2


def test_raw_driver_writes_raise_the_version(engine):
    # the importer and `kiss demo` write through the DBAPI connection, past SQLAlchemy
    with session_scope(engine) as session:
        hid = hh(session, "R1").id
    before = _version(engine, ["household"])
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        mark = "?" if engine.dialect.name == "sqlite" else "%s"
        cur.executemany(f"UPDATE household SET wijk = {mark} WHERE id = {mark}",
                        [("Zuid", hid), ("Oost", hid)])  # fmt: skip
        raw.commit()
    finally:
        raw.close()
    assert _version(engine, ["household"]) > before


def test_reads_and_audit_rows_leave_the_version_alone(engine):
    v0 = _version(engine)
    with session_scope(engine) as session:
        session.execute(text("SELECT count(*) FROM provision")).scalar()
        audit.record(session, SYSTEM, audit.Event.STUURINFORMATIE_INZIEN, "overview", "x")
        assert not wrote_data(session)
    assert _version(engine) == v0


def test_a_rolled_back_write_leaves_the_version_alone(engine):
    v0 = _version(engine)
    try:
        with session_scope(engine) as session:
            hh(session, "X1")
            assert wrote_data(session)
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert _version(engine) == v0


def test_the_version_counts_only_the_tables_asked_for(engine):
    before = _version(engine, ["provision", "debt"])
    with session_scope(engine) as session:
        hh(session, "T1")
    assert _version(engine, ["provision", "debt"]) == before
    assert _version(engine, ["household"]) > 0


def _counter_rows(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT tabel, count(*) FROM data_version GROUP BY tabel"))
        return dict(rows.all())


def test_each_data_table_has_its_counter_rows(engine):
    # PostgreSQL: SHARDS rows per table (migration 0020); SQLite serialises writers: one
    expected = SHARDS if engine.dialect.name == "postgresql" else 1
    rows = _counter_rows(engine)
    assert {t: rows.get(t) for t in DATA_TABLES} == dict.fromkeys(DATA_TABLES, expected)
    assert rows["_instantie"] == 1


def test_two_writers_of_one_table_do_not_wait_for_each_other(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time by design")
    with session_scope(engine) as session:
        hid = hh(session, "W1").id
    v0 = _version(engine, ["help_request"])
    first = engine.connect()
    others = []
    try:
        pid = first.execute(text("SELECT pg_backend_pid()")).scalar_one()
        first.execute(text("INSERT INTO help_request (household_id, domein, voordeur, "
                           "ontvangen_op, omschrijving, urgentie) VALUES "
                           "(:h, 'WMO', :v, DATE '2026-01-05', 'eerste', 'normaal')"),
                      {"h": hid, "v": FRONT_DOORS[0]})  # fmt: skip
        # the first transaction stays open and holds its counter row
        while True:  # a connection whose counter row differs from the first one's
            second = engine.connect()
            others.append(second)
            if second.execute(text("SELECT pg_backend_pid()")).scalar_one() % SHARDS \
                    != pid % SHARDS:  # fmt: skip
                break
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        second.execute(text("INSERT INTO help_request (household_id, domein, voordeur, "
                            "ontvangen_op, omschrijving, urgentie) VALUES "
                            "(:h, 'WMO', :v, DATE '2026-01-06', 'tweede', 'normaal')"),
                       {"h": hid, "v": FRONT_DOORS[0]})  # fmt: skip
        # (with one counter row per table this insert waited: lock timeout)
        second.commit()
        assert _version(engine, ["help_request"]) == v0 + 1  # only the committed one counts
        first.commit()
        assert _version(engine, ["help_request"]) == v0 + 2
    finally:
        for conn in (first, *others):
            conn.close()


def test_migration_0020_down_and_up_keeps_every_count(engine):
    with session_scope(engine) as session:
        hh(session, "M1")
    before = {t: _version(engine, [t]) for t in DATA_TABLES}
    command.downgrade(alembic_config(engine), "0019_naam_volgorde")
    assert set(_counter_rows(engine).values()) == {1}  # one row per table again
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT tabel, versie FROM data_version")).all())
    assert {t: rows[t] for t in DATA_TABLES} == before  # no version went down
    command.upgrade(alembic_config(engine), "head")
    assert {t: _version(engine, [t]) for t in DATA_TABLES} == before
    test_each_data_table_has_its_counter_rows(engine)
    with session_scope(engine) as session:
        hh(session, "M2")
    assert _version(engine, ["household"]) > before["household"]
