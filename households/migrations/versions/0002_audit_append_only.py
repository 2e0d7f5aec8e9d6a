"""Audit trail is append-only: the database refuses UPDATE and DELETE.

Revision ID: 0002_audit_append_only
Revises: 0001_initial
"""

from alembic import op

revision = "0002_audit_append_only"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.execute("INSERT INTO audit_lock (id, teller) VALUES (1, 0)")
    if bind.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"""
                CREATE TRIGGER audit_event_no_{verb.lower()}
                BEFORE {verb} ON audit_event
                BEGIN
                    SELECT RAISE(ABORT, 'audit_event is append-only');
                END
                """
            )
    else:
        op.execute(
            """
            CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit_event is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            """
            CREATE TRIGGER audit_event_no_change
            BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
            """
        )
        op.execute(
            """
            CREATE TRIGGER audit_event_no_truncate
            BEFORE TRUNCATE ON audit_event
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
            """
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    op.execute("DELETE FROM audit_lock")
