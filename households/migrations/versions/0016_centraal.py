"""The one front door's code becomes ``CENTRAAL`` (DESIGN 7): "KISS" is the steering team.

Existing help requests with ``voordeur = 'KISS'`` are converted, and the CHECK on
``help_request.voordeur`` lists ``CENTRAAL`` instead of ``KISS``. PostgreSQL alters the
constraint in place. SQLite cannot alter a CHECK, so there ``help_request`` is rebuilt
(batch mode), twice: without the check (the rows are converted in between), then with the
new one. A rebuild drops the old table, which SQLite (``foreign_keys=ON``) refuses while
agenda items point at its rows, and drops its data-version triggers: the agenda items'
references are set aside and restored (the ids are copied unchanged), and the triggers
are created again with their counters kept.

Revision ID: 0016_centraal
Revises: 0015_shv
"""

from alembic import op

from households.dataversion import restore_triggers

revision = "0016_centraal"
down_revision = "0015_shv"
branch_labels = None
depends_on = None

CHECK_OLD = "voordeur IN ('WMO','JEUGD','ISD','KISS')"
CHECK_NEW = "voordeur IN ('WMO','JEUGD','ISD','CENTRAAL')"  # households.models.FRONT_DOORS
KEEP = "_centraal_agenda_verwijzing"  # agenda item -> help request, during the rebuild


def _swap(old: str, new: str, check: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        with op.batch_alter_table("help_request") as batch_op:
            batch_op.drop_constraint(op.f("ck_help_request_voordeur"), type_="check")
        op.execute(f"UPDATE help_request SET voordeur = '{new}' WHERE voordeur = '{old}'")
        with op.batch_alter_table("help_request") as batch_op:
            batch_op.create_check_constraint(op.f("ck_help_request_voordeur"), check)
        return
    op.execute(f"CREATE TEMP TABLE {KEEP} AS SELECT id, help_request_id FROM agenda_item "
               "WHERE help_request_id IS NOT NULL")  # fmt: skip
    op.execute("UPDATE agenda_item SET help_request_id = NULL WHERE help_request_id IS NOT NULL")
    with op.batch_alter_table("help_request", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_help_request_voordeur"), type_="check")
    restore_triggers(op.execute, "sqlite", ["help_request"])  # the update counts as a write
    op.execute(f"UPDATE help_request SET voordeur = '{new}' WHERE voordeur = '{old}'")
    with op.batch_alter_table("help_request", recreate="always") as batch_op:
        batch_op.create_check_constraint(op.f("ck_help_request_voordeur"), check)
    restore_triggers(op.execute, "sqlite", ["help_request"])
    op.execute(f"UPDATE agenda_item SET help_request_id = (SELECT k.help_request_id FROM {KEEP} k "
               f"WHERE k.id = agenda_item.id) WHERE id IN (SELECT id FROM {KEEP})")  # fmt: skip
    op.execute(f"DROP TABLE {KEEP}")


def upgrade() -> None:
    _swap("KISS", "CENTRAAL", CHECK_NEW)


def downgrade() -> None:
    _swap("CENTRAAL", "KISS", CHECK_OLD)
