"""Migrations build the whole schema on SQLite and PostgreSQL and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from households.db import Base, import_all_models


def test_upgrade_creates_every_table(engine):
    import_all_models()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == "0020_versie_delen"


def test_models_and_migrations_do_not_drift(engine):
    import_all_models()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_audit_table_refuses_update_and_delete(engine):
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_event (tijdstip, actie, resultaat, vorige_hash, hash) "
                "VALUES (CURRENT_TIMESTAMP, 'test', 'ok', 'a', 'b')"
            )
        )
    for stmt in ("UPDATE audit_event SET actie = 'x'", "DELETE FROM audit_event"):
        try:
            with engine.begin() as conn:
                conn.execute(text(stmt))
        except (DBAPIError, IntegrityError) as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError(f"{stmt} was allowed")
