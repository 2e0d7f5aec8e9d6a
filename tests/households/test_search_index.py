"""The name search counts from the covering name index: the same answers, fewer rows read."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from households import search
from households.search import find_households
from tests.builders import make_household, make_user, valid_bsn


@pytest.fixture
def people(session):
    actor = make_user(session, "anna", "voordeur")
    make_household(session, persons=[(valid_bsn(1), "Jan de Vries", "hoofdbewoner", 1980),
                                     (valid_bsn(2), "Els de Vries", "partner", 1982)])  # fmt: skip
    make_household(session, huisnummer="14",
                   persons=[(valid_bsn(3), "Piet Vriesema", "hoofdbewoner", 1980)])  # fmt: skip
    make_household(session, huisnummer="16",
                   persons=[(valid_bsn(4), "Kees de Vries", "hoofdbewoner", 1975),
                            (valid_bsn(5), "Anna Jansen", "partner", 1980)])  # fmt: skip
    make_household(session, huisnummer="18", persons=[])  # no persons: never a name hit
    session.commit()
    return actor


@pytest.mark.parametrize(
    ("term", "jaar", "expected"),
    [("vries", None, 4), ("de vries", None, 3), ("vries", 1980, 2), ("jan de vries", None, 1),
     ("vriesema", None, 1), ("jansen", 1975, 0), ("de", None, 0)],
)  # fmt: skip
def test_name_counts_match_the_hits(session, people, term, jaar, expected):
    result = find_households(session, people, naam=term, geboortejaar=jaar)
    assert result.totaal == expected == len(result.hits)
    assert not result.meer_dan_cap


def test_count_stops_past_the_cap(session, people, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    result = find_households(session, people, naam="vries")
    assert (result.totaal, result.meer_dan_cap) == (2, True)


def test_address_search_still_finds_a_household_without_persons(session, people):
    result = find_households(session, people, postcode="6441AB", huisnummer="18")
    assert result.totaal == 1 and result.hits[0].person_id is None


def test_the_name_index_covers_name_year_and_household(engine):
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("person")}
    assert indexes["ix_person_naam_zoek_jaar"] == ["naam_zoek", "geboortejaar", "household_id"]
    assert "ix_person_naam_zoek" not in indexes  # the wider index replaces it


def test_sqlite_counts_from_the_index_alone(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL reads it as an index-only scan (PERFORMANCE.md)")
    with engine.connect() as conn:
        plan = " ".join(
            str(r[-1]) for r in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM (SELECT person.id FROM person WHERE "
                "naam_zoek >= 'vries' AND naam_zoek < 'vriet' AND geboortejaar = 1980 LIMIT 1001)"
            ))
        )  # fmt: skip
    assert "COVERING INDEX ix_person_naam_zoek_jaar" in plan


def test_a_page_of_name_hits_is_read_in_order_from_an_index(engine):
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("person")}
    assert indexes["ix_person_naam_zoek_id"] == ["naam_zoek", "id"]

