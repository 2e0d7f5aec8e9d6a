"""Finding a household at the front door: BSN, address, name; roles; audit."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent
from households.search import PAGE_SIZE, SearchHit, find_households
from tests.builders import make_household, make_user, valid_bsn

BSN_A, BSN_B, BSN_C = valid_bsn(1), valid_bsn(2), valid_bsn(3)


@pytest.fixture
def data(session):
    actor = make_user(session, "anna", "voordeur")
    h1 = make_household(
        session,
        wijk="Noord",
        postcode="6443AB",
        huisnummer="12",
        straat="Kennedylaan",
        persons=[
            (BSN_A, "Jan Pieter de Vries", "hoofdbewoner"),
            (BSN_B, "Els de Vries", "partner"),
        ],
    )
    h2 = make_household(
        session,
        wijk="Oost",
        postcode="6444CD",
        huisnummer="3A",
        straat="Vijverweg",
        persons=[(BSN_C, "Fatima Amrani", "hoofdbewoner")],
    )
    session.commit()
    return actor, h1, h2


def test_search_by_bsn_finds_household_and_shows_only_what_is_needed(session, data):
    actor, h1, _ = data
    result = find_households(session, actor, bsn=f" {BSN_B[:3]}.{BSN_B[3:]} ")
    (hit,) = result.hits
    assert hit == SearchHit(
        hit.person_id, h1.id, "E. de Vries", 1980, "Kennedylaan 12, 6443 AB", "Noord", 2
    )
    assert (result.totaal, result.pagina, result.melding) == (1, 1, "1 persoon gevonden")


def test_invalid_bsn_gives_clear_message(session, data):
    actor, _, _ = data
    with pytest.raises(InvalidInput, match="geen geldig BSN"):
        find_households(session, actor, bsn="123456789")


def test_unknown_valid_bsn_finds_nothing(session, data):
    actor, _, _ = data
    result = find_households(session, actor, bsn=valid_bsn(40))
    assert (result.hits, result.totaal, result.n_paginas) == ((), 0, 1)


@pytest.mark.parametrize(
    ("postcode", "huisnummer"), [("6444cd", "3a"), (" 6444 CD ", " 3A"), ("6444CD", None)]
)
def test_search_by_address_is_normalised(session, data, postcode, huisnummer):
    actor, _, h2 = data
    hits = find_households(session, actor, postcode=postcode, huisnummer=huisnummer)
    assert [(h.household_id, h.naam, h.n_personen) for h in hits] == [(h2.id, "F. Amrani", 1)]


def test_bad_postcode_is_refused(session, data):
    with pytest.raises(InvalidInput, match="postcode"):
        find_households(session, data[0], postcode="ABCD12")


@pytest.mark.parametrize(
    ("term", "expected"),
    [("de vries", [0]), ("AMR", [1]), ("vri", [0]), ("els de vries", [0]), ("els", [])],
)
def test_search_by_surname_prefix_with_other_words(session, data, term, expected):
    # The surname (its last word) is matched by prefix through an index; the other
    # words narrow the hits. A first name alone is not a search (too many hits).
    actor, h1, h2 = data
    hits = find_households(session, actor, naam=term)
    assert sorted({h.household_id for h in hits}) == [(h1.id, h2.id)[i] for i in expected]


@pytest.fixture
def stassen(session, data):
    """30 persons called Stassen, each in a household of their own, born 1950..1979."""
    households = [
        make_household(
            session,
            wijk="Zuid",
            postcode="6441AB",
            huisnummer=str(i + 1),
            straat="Markt",
            persons=[
                (valid_bsn(100 + i), f"Piet {chr(65 + i)}. Stassen", "hoofdbewoner", 1950 + i)
            ],
        )
        for i in range(30)
    ]
    session.commit()
    return data[0], [h.id for h in households]


def _audited(session) -> list[str]:
    """The households seen in searches: one structured row per search, the hits in ``ids``."""
    rows = session.scalars(select(AuditEvent).where(AuditEvent.actie == "zoeken")).all()
    return [str(i) for r in rows for i in json.loads(r.nieuw)["ids"]]


def test_name_search_counts_all_and_pages_through_them(session, stassen):
    actor, ids = stassen
    first = find_households(session, actor, naam="stassen")
    assert (first.totaal, first.meer_dan_cap, first.n_paginas) == (30, False, 2)
    assert len(first.hits) == PAGE_SIZE == 25 and (first.vorige, first.volgende) == (False, True)
    assert first.melding == "30 personen gevonden — verfijn met voornaam of geboortejaar"
    second = find_households(session, actor, naam="stassen", pagina=2)
    assert len(second.hits) == 5 and (second.vorige, second.volgende) == (True, False)
    # every match exactly once, in name order, over the two pages
    assert sorted(h.household_id for h in (*first, *second)) == ids
    past_the_end = find_households(session, actor, naam="stassen", pagina=9)
    assert past_the_end.pagina == 2 and len(past_the_end) == 5


def test_hits_carry_birth_year_and_address(session, stassen):
    actor, ids = stassen
    hit = find_households(session, actor, naam="piet c. stassen").hits[0]
    assert (hit.household_id, hit.naam, hit.geboortejaar) == (ids[2], "P.C. Stassen", 1952)
    assert (hit.adres, hit.wijk, hit.n_personen) == ("Markt 3, 6441 AB", "Zuid", 1)
    assert hit.label == "P.C. Stassen (1952) — Markt 3, 6441 AB — wijk Zuid — 1 pers."


def test_birth_year_narrows_the_search(session, stassen):
    actor, ids = stassen
    result = find_households(session, actor, naam="stassen", geboortejaar=1960)
    assert [h.household_id for h in result] == [ids[10]] and result.melding == (
        "1 persoon gevonden"
    )
    with pytest.raises(InvalidInput, match="geboortejaar"):
        find_households(session, actor, naam="stassen", geboortejaar=1800)


def test_only_the_hits_shown_are_audited(session, stassen):
    actor, _ = stassen
    first = find_households(session, actor, naam="stassen")
    session.commit()
    assert _audited(session) == [str(h.household_id) for h in first]
    second = find_households(session, actor, naam="stassen", pagina=2)
    session.commit()
    assert _audited(session)[25:] == [str(h.household_id) for h in second]
    assert len(_audited(session)) == 30
    searches = session.scalars(select(AuditEvent.nieuw).where(AuditEvent.actie == "zoeken"))
    assert [json.loads(n)["zoekwijze"] for n in searches] == ["naam", "naam"]  # a row a search


def test_the_count_is_capped(session, stassen, monkeypatch):
    import households.search as search

    monkeypatch.setattr(search, "COUNT_CAP", 20)
    result = find_households(session, stassen[0], naam="stassen")
    assert (result.totaal, result.meer_dan_cap) == (20, True)
    assert result.melding.startswith("meer dan 20 personen gevonden — verfijn")


def test_no_search_term_is_refused(session, data):
    with pytest.raises(InvalidInput, match="Zoek op BSN"):
        find_households(session, data[0])


@pytest.mark.parametrize("rol", ["kiss", "ervaringswerker", "beheer"])
def test_other_roles_may_not_search(session, data, rol):
    other = make_user(session, f"x_{rol}", rol)
    with pytest.raises(AccessDenied):
        find_households(session, other, naam="vries")
    refused = session.scalars(select(AuditEvent).where(AuditEvent.resultaat == "geweigerd")).one()
    assert (refused.actie, refused.gebruiker) == ("zoeken", f"x_{rol}")


def test_every_hit_is_audited_without_the_bsn(session, data):
    actor, h1, _ = data
    find_households(session, actor, bsn=BSN_A)
    rows = session.scalars(select(AuditEvent).where(AuditEvent.actie == "zoeken")).all()
    assert [(r.object_type, r.object_id, r.gebruiker) for r in rows] == [
        ("household", None, "anna")
    ]
    assert json.loads(rows[0].nieuw)["ids"] == [h1.id]
    for r in session.scalars(select(AuditEvent)):
        assert BSN_A not in " ".join(str(v) for v in (r.doel, r.oud, r.nieuw, r.object_id))
