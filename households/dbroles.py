"""Least privilege on PostgreSQL (DESIGN 8.5): the schema owner and the application role.

The schema owner (``KISS_MIGRATION_URL``) runs the migrations and owns every table,
trigger and function. The application role (``KISS_DATABASE_URL``) reads and writes the
data, but on the audit tables it may only read and append:

- ``audit_event``: SELECT and INSERT; UPDATE only of the three seal columns (``keten_nr``,
  ``vorige_hash``, ``hash``), and the append-only trigger allows that once per row;
- ``audit_anker``: SELECT and INSERT;
- ``audit_lock``: SELECT and UPDATE of ``teller``, and a trigger refuses any counter that
  is not the end of the sealed chain (lowering it to hide a cut-off tail fails);
- no DELETE, TRUNCATE or DDL anywhere; only the owner may ``ALTER TABLE ... DISABLE
  TRIGGER`` or drop a trigger, and the application role owns nothing.

:func:`grant_app_role` (``kiss db roles``, run as the owner) sets this up; it is
idempotent, and default privileges give the application role the tables of later
migrations.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Engine

from households.errors import ConfigurationError, InvalidInput

__all__ = ["APP_ROLE", "AUDIT_TABLES", "GUARD_FUNCTION", "grant_app_role", "role_statements"]

APP_ROLE = "kiss_app"
AUDIT_TABLES = ("audit_event", "audit_anker", "audit_lock")
GUARD_FUNCTION = "audit_lock_follows_chain"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

_GUARD = f"""
CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() RETURNS trigger AS $$
BEGIN
    -- the counter is the number of sealed rows: it only ever equals the chain's end
    IF TG_OP <> 'UPDATE' OR NEW.id IS DISTINCT FROM OLD.id
       OR NEW.teller IS DISTINCT FROM
          (SELECT coalesce(max(keten_nr), 0) FROM audit_event) THEN
        RAISE EXCEPTION 'audit_lock volgt de keten: de teller is niet te wijzigen';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""


def role_statements(app_role: str = APP_ROLE) -> list[str]:
    """The SQL the owner runs for ``app_role`` (also shown in the README).

    >>> role_statements()[0]
    'GRANT USAGE ON SCHEMA public TO kiss_app'
    """
    if not _NAME.fullmatch(app_role):
        raise InvalidInput("Een rolnaam bestaat uit kleine letters, cijfers en _.")
    r = app_role
    audit = ", ".join(AUDIT_TABLES)
    return [
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {r}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {r}",
        f"GRANT UPDATE (keten_nr, vorige_hash, hash) ON audit_event TO {r}",
        f"GRANT UPDATE (teller) ON audit_lock TO {r}",
        _GUARD.strip(),
        "DROP TRIGGER IF EXISTS audit_lock_guard ON audit_lock",
        "CREATE TRIGGER audit_lock_guard BEFORE UPDATE OR DELETE ON audit_lock "
        f"FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()",
        "DROP TRIGGER IF EXISTS audit_lock_no_truncate ON audit_lock",
        "CREATE TRIGGER audit_lock_no_truncate BEFORE TRUNCATE ON audit_lock "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {GUARD_FUNCTION}()",
    ]


def grant_app_role(engine: Engine, app_role: str = APP_ROLE, password: str | None = None) -> bool:
    """Set up ``app_role`` with the rights above, as the schema owner; True if it was created.

    Creating the role needs CREATEROLE; without it, a DBA creates the role first
    (``CREATE ROLE kiss_app LOGIN PASSWORD '...'``) and this only grants.
    """
    if engine.dialect.name != "postgresql":
        raise InvalidInput("Rollen bestaan alleen op PostgreSQL; SQLite kent geen gebruikers.")
    statements = role_statements(app_role)
    with engine.begin() as conn:
        owner = conn.scalar(
            text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_event'")
        )
        me = conn.scalar(text("SELECT current_user"))
        if owner is None:
            raise ConfigurationError("Het schema ontbreekt: voer eerst 'kiss init' uit.")
        if owner != me:
            raise ConfigurationError(
                f"Voer dit uit als de eigenaar van het schema ({owner}), via KISS_MIGRATION_URL."
            )
        if app_role == me:
            raise InvalidInput("De applicatierol moet een andere rol zijn dan de eigenaar.")
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": app_role})
        created = not exists
        if created:
            conn.execute(text(f"CREATE ROLE {app_role} LOGIN"))
        conn.execute(text(f"ALTER ROLE {app_role} NOSUPERUSER NOCREATEDB NOCREATEROLE"))
        if password:
            quoted = conn.scalar(text("SELECT quote_literal(:p)"), {"p": password})
            conn.execute(text(f"ALTER ROLE {app_role} PASSWORD {quoted}"))
        database = conn.scalar(text("SELECT current_database()"))
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {app_role}'))
        for statement in statements:
            conn.execute(text(statement))
    return created
