"""Real inflows: a source key (``bron_id``) on signals, involvements and help requests.

The import kinds ``signalen``, ``betrokkenheden`` and ``hulpvragen`` (DESIGN 5.2) upsert on
``bron_id``, so importing a file twice changes nothing. Rows made in the hub itself have none
(NULL; a unique index, so many NULLs are allowed). Written by hand; no table is rebuilt.

Revision ID: 0005_import_keys
Revises: 0004_submissions
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_import_keys"
down_revision = "0004_submissions"
branch_labels = None
depends_on = None

TABLES = ("signal", "involvement", "help_request")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("bron_id", sa.String(length=64), nullable=True))
        op.create_index(f"ix_{table}_bron_id", table, ["bron_id"], unique=True)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_bron_id", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("bron_id")
