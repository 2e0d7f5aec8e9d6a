"""Bulk loading of the generated data into the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from data.load import NOT_EMPTY_MESSAGE, load
from households.bsn import hash_bsn
from households.errors import KissError
from households.models import Debt, Household, Person, Provision
from households.names import name_key
from tests.data.conftest import REFERENCE_DATE
from tests.data.db_check import db_stacking
from tests.data.stacking_check import household_stacking

TABLE_FRAMES = {
    "institution": "institutions",
    "household": "households",
    "person": "persons",
    "provision": "provisions",
    "debt": "debts",
    "involvement": "involvements",
    "help_request": "help_requests",
    "signal": "signals",
}


def test_load_puts_exactly_the_generated_rows_in_the_database(engine, small):
    counts = load(engine, small)
    with engine.connect() as conn:
        for table, frame in TABLE_FRAMES.items():
            n = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            assert n == len(getattr(small, frame)) == counts[table], table


def test_no_clear_bsn_in_the_database(engine, small):
    load(engine, small)
    clear = set(small.persons["bsn"])
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM person")).all()
    assert len(rows) == len(clear)
    # no column holds a BSN, not even inside a longer text (the hash is checked below)
    blob = "|".join(str(v) for row in rows for k, v in row._mapping.items() if k != "bsn_hash")
    assert not [b for b in clear if b in blob]
    hashes = {r.bsn_hash for r in rows}
    assert hashes == {hash_bsn(b) for b in clear}


def test_amounts_in_cents_and_search_names(engine, small, session):
    load(engine, small)
    outstanding = session.scalar(select(func.sum(Debt.openstaand_cent)))
    assert outstanding == round(small.debts["openstaand"].sum() * 100)
    cost = session.scalar(select(func.sum(Provision.kosten_per_maand_cent)))
    assert cost == round(small.provisions["kosten_per_maand"].sum() * 100)
    first = small.persons.iloc[0]
    person = session.scalars(select(Person).where(Person.bsn_hash == hash_bsn(first["bsn"]))).one()
    assert person.naam == first["naam"] and person.naam_zoek == name_key(first["naam"])
    assert session.scalar(select(func.count()).where(Provision.institution_id.is_(None))) == 0


def test_stacking_in_the_database_equals_the_generated_frames(engine, small):
    load(engine, small)
    got = db_stacking(engine, REFERENCE_DATE)
    want = household_stacking(small).sort_index()
    assert got["n_provisions"].tolist() == want["n_provisions"].tolist()
    assert got["n_domains"].tolist() == want["n_domains"].tolist()
    assert (
        got["debt_outstanding_cent"].tolist()
        == (want["debt_outstanding"] * 100).round().astype(int).tolist()
    )


def test_refuses_a_database_that_already_holds_households(engine, small):
    load(engine, small)
    with pytest.raises(KissError, match=NOT_EMPTY_MESSAGE):
        load(engine, small)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM household")).scalar_one() == len(
            small.households
        )


def test_new_rows_after_loading_get_fresh_ids(engine, small, session):
    load(engine, small)
    extra = Household(huishouden_id="HH-NIEUW", wijk="Centrum")
    session.add(extra)
    session.commit()
    assert extra.id == len(small.households) + 1


def test_loaded_rows_satisfy_every_foreign_key(engine, small):
    load(engine, small)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        orphans = conn.execute(
            text("SELECT COUNT(*) FROM provision v LEFT JOIN person p ON p.id = v.person_id "
                 "WHERE p.id IS NULL")
        ).scalar_one()  # fmt: skip
        assert orphans == 0
