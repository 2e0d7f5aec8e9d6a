"""Sign-in that survives a reload: server-side login sessions and the OIDC claim per user.

Adds ``app_user.oidc_id`` (the identity provider's stable claim, unique when set)
and the ``login_sessie`` table (hashed cookie token, hashed one-time ticket,
idle and absolute expiry, revocation). Written by hand: no table is rebuilt.

Revision ID: 0003_login_sessions
Revises: 0002_audit_append_only
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_login_sessions"
down_revision = "0002_audit_append_only"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("app_user", sa.Column("oidc_id", sa.String(length=255), nullable=True))
    op.create_index("ix_app_user_oidc_id", "app_user", ["oidc_id"], unique=True)
    op.create_table(
        "login_sessie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("methode", sa.String(length=20), nullable=False),
        sa.Column("rol", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("ticket_hash", sa.String(length=64), nullable=True),
        sa.Column("ticket_geldig_tot", sa.DateTime(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(), nullable=False),
        sa.Column("laatst_gebruikt_op", sa.DateTime(), nullable=False),
        sa.Column("verloopt_op", sa.DateTime(), nullable=False),
        sa.Column("beeindigd_op", sa.DateTime(), nullable=True),
        sa.Column("reden_einde", sa.String(length=40), nullable=True),
        sa.CheckConstraint(
            "methode IN ('wachtwoord','oidc')", name=op.f("ck_login_sessie_methode")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_login_sessie_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_sessie")),
        sa.UniqueConstraint("ticket_hash", name=op.f("uq_login_sessie_ticket_hash")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_sessie_token_hash")),
    )
    op.create_index("ix_login_sessie_user_id", "login_sessie", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_login_sessie_user_id", table_name="login_sessie")
    op.drop_table("login_sessie")
    op.drop_index("ix_app_user_oidc_id", table_name="app_user")
    op.drop_column("app_user", "oidc_id")
