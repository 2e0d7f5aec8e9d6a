"""The data version: every write to a data table raises it, reads and audit rows do not."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, text

from households import audit
from households.actor import SYSTEM
from households.dataversion import (
    DATA_TABLES,
    NOT_DATA_TABLES,
    data_version,
    trigger_name,
    wrote_data,
)
from households.db import Base, import_all_models, session_scope
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
