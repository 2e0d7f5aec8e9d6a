"""Audit without a global lock: rows are sealed into the chain afterwards; anchors.

``audit_event`` gets ``keten_nr`` (the position the sealer gives a row; unique) and
``rij_mac`` (the HMAC of the row's own content, written with it), and a partial index
on the rows not yet sealed. The append-only triggers now allow exactly one update
per row: the seal (``keten_nr``, ``vorige_hash``, ``hash`` on a row without
``keten_nr``; every other column unchanged). Existing rows, already chained in id
order, get their position in that order. ``audit_anker`` holds the anchors
(append-only too). Written by hand.

Revision ID: 0012_audit_seal
Revises: 0011_analytics
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_audit_seal"
down_revision = "0011_analytics"
branch_labels = None
depends_on = None

CONTENT = (
    "id", "tijdstip", "gebruiker", "rol", "actie", "object_type", "object_id",
    "resultaat", "doel", "oud", "nieuw", "rij_mac",
)  # fmt: skip

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    -- the one update allowed: the sealer puts a committed row into the chain, once
    IF TG_OP = 'UPDATE' AND OLD.keten_nr IS NULL AND NEW.keten_nr IS NOT NULL
       AND ({", ".join("NEW." + c for c in CONTENT)})
           IS NOT DISTINCT FROM ({", ".join("OLD." + c for c in CONTENT)}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql
"""

PG_FUNCTION_OLD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql
"""

SQLITE_UPDATE_TRIGGER = f"""
CREATE TRIGGER audit_event_no_update
BEFORE UPDATE ON audit_event
WHEN OLD.keten_nr IS NOT NULL OR NEW.keten_nr IS NULL
     OR {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)}
BEGIN
    SELECT RAISE(ABORT, 'audit_event is append-only');
END
"""


def _append_only_anchors(sqlite: bool) -> None:
    if sqlite:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_anker_no_{verb.lower()} BEFORE {verb} ON audit_anker "
                "BEGIN SELECT RAISE(ABORT, 'audit_anker is append-only'); END"
            )
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_anker_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_anker is append-only'; END; $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER audit_anker_no_change BEFORE UPDATE OR DELETE ON audit_anker "
        "FOR EACH ROW EXECUTE FUNCTION audit_anker_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_anker_no_truncate BEFORE TRUNCATE ON audit_anker "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_anker_append_only()"
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("audit_event", sa.Column("keten_nr", sa.BigInteger(), nullable=True))
    op.add_column("audit_event", sa.Column("rij_mac", sa.String(length=64), nullable=True))
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute(SQLITE_UPDATE_TRIGGER)
    else:
        op.execute(PG_FUNCTION)
    # the rows so far were chained in id order under the old lock: that order is their position
    op.execute(
        "UPDATE audit_event SET keten_nr = r.n FROM "
        "(SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_event) AS r "
        "WHERE audit_event.id = r.id"
    )
    op.create_index("ix_audit_event_keten_nr", "audit_event", ["keten_nr"], unique=True)
    op.create_index(
        "ix_audit_event_open",
        "audit_event",
        ["id"],
        sqlite_where=sa.text("keten_nr IS NULL"),
        postgresql_where=sa.text("keten_nr IS NULL"),
    )
    op.create_table(
        "audit_anker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(), nullable=False),
        sa.Column("keten_nr", sa.BigInteger(), nullable=False),
        sa.Column("laatste_id", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("handtekening", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anker")),
    )
    _append_only_anchors(sqlite)


def downgrade() -> None:
    """Back to the locked writer. Rows sealed by the sealer keep their hashes, but the old
    verify does not know their formula: downgrade only a database written before 0011."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_table("audit_anker")
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS audit_anker_append_only()")
    op.drop_index("ix_audit_event_open", table_name="audit_event")
    op.drop_index("ix_audit_event_keten_nr", table_name="audit_event")
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("ALTER TABLE audit_event DROP COLUMN rij_mac")
        op.execute("ALTER TABLE audit_event DROP COLUMN keten_nr")
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
        )
    else:
        op.execute(PG_FUNCTION_OLD)
        op.drop_column("audit_event", "rij_mac")
        op.drop_column("audit_event", "keten_nr")
