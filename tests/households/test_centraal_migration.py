"""0016_centraal: the one front door's stored code becomes CENTRAAL; existing rows move with it.

Runs on the backend under test (SQLite rebuilds help_request for the CHECK, PostgreSQL
alters it): store requests (one of them on a case table's agenda), downgrade to the revision
before 0016 (they are ``KISS`` then, the old code), upgrade again, and find them as
``CENTRAAL`` with the agenda item still pointing at its request; the database refuses
``KISS`` afterwards.
"""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coordination.models import AgendaItem, CaseTable
from households.db import alembic_config
from households.models import FRONT_DOORS, ONE_FRONT_DOOR, HelpRequest
from tests.builders import add_request, make_household, valid_bsn

D = dt.date(2026, 3, 2)


def _voordeuren(engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return conn.execute(text("SELECT id, voordeur FROM help_request ORDER BY id")).all()


def _counter(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT sum(versie) FROM data_version WHERE tabel = 'help_request'")
        ).scalar_one()


def test_upgrade_converts_kiss_rows_and_keeps_references(engine):
    # rows are made with today's models, then the database goes back to the revision before
    # 0016 (the rows become KISS, the old code) and forward again
    with Session(engine) as s:
        h = make_household(s, persons=[(valid_bsn(1), "Jan Smeets", "hoofdbewoner")])
        wmo = add_request(s, h, D, "WMO")
        one = add_request(s, h, D, ONE_FRONT_DOOR)
        two = add_request(s, h, D + dt.timedelta(days=1), ONE_FRONT_DOOR)
        table = CaseTable(naam="Tafel Noord en Oost", actief=True)
        s.add(table)
        s.flush()
        s.add(AgendaItem(case_table_id=table.id, household_id=h.id, help_request_id=one.id,
                         vraag="Wie pakt de regie?", toegevoegd_op=D))  # fmt: skip
        s.commit()
        ids = (wmo.id, one.id, two.id)
    command.downgrade(alembic_config(engine), "0015_shv")
    assert _voordeuren(engine) == [(ids[0], "WMO"), (ids[1], "KISS"), (ids[2], "KISS")]
    before = _counter(engine)
    command.upgrade(alembic_config(engine), "head")
    assert _voordeuren(engine) == [(ids[0], "WMO"), (ids[1], "CENTRAAL"), (ids[2], "CENTRAAL")]
    with Session(engine) as s:
        assert s.scalar(select(AgendaItem.help_request_id)) == ids[1]
        assert s.get(HelpRequest, ids[1]).voordeur == ONE_FRONT_DOOR
        s.add(HelpRequest(household_id=s.get(HelpRequest, ids[0]).household_id, domein="WMO",
                          voordeur="KISS", ontvangen_op=D))  # fmt: skip
        with pytest.raises(IntegrityError):  # the CHECK now lists CENTRAAL, not KISS
            s.flush()
    # the data-version trigger survived the rebuild: the counter kept growing, and still grows
    after = _counter(engine)
    assert after > before
    with Session(engine) as s:
        s.add(HelpRequest(household_id=s.get(HelpRequest, ids[0]).household_id, domein="WMO",
                          voordeur=ONE_FRONT_DOOR, ontvangen_op=D))  # fmt: skip
        s.commit()
    assert _counter(engine) > after


def test_downgrade_restores_the_old_code(engine):
    with Session(engine) as s:
        h = make_household(s, persons=[(valid_bsn(2), "Els Bos", "hoofdbewoner")])
        rid = add_request(s, h, D, ONE_FRONT_DOOR).id
        s.commit()
    command.downgrade(alembic_config(engine), "0014_scale")
    assert _voordeuren(engine) == [(rid, "KISS")]
    command.upgrade(alembic_config(engine), "head")
    assert _voordeuren(engine) == [(rid, "CENTRAAL")]


def test_one_constant_for_the_one_front_door():
    assert ONE_FRONT_DOOR == "CENTRAAL" and ONE_FRONT_DOOR in FRONT_DOORS
    assert "KISS" not in FRONT_DOORS  # KISS is the steering team (DESIGN 7)
