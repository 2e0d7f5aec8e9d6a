"""The front-door name search pages in name order from an index.

- ``ix_person_naam_zoek_id`` (naam_zoek, id): the page of a name search is ordered by
  (naam_zoek, id); with only ``ix_person_naam_zoek_jaar`` PostgreSQL read every match of a
  common surname, joined each to its household and sorted them for a page of 25 (29 ms for
  4,624 persons named Kusters at 135,000 households). With this index it reads the 25 in
  order and stops (0.4 ms).
"""

from alembic import op

revision = "0019_naam_volgorde"
down_revision = "0018_grondslag"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_person_naam_zoek_id", "person", ["naam_zoek", "id"])


def downgrade() -> None:
    op.drop_index("ix_person_naam_zoek_id", table_name="person")
