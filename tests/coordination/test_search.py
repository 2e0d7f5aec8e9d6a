"""Finding a household at the front door: BSN, address, name; roles; audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent
from households.search import MAX_HITS, HouseholdHit, find_households
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
    hits = find_households(session, actor, bsn=f" {BSN_B[:3]}.{BSN_B[3:]} ")
    assert hits == [HouseholdHit(h1.id, "Kennedylaan 12, 6443 AB", "Noord", 2, "J.P. de Vries")]


def test_invalid_bsn_gives_clear_message(session, data):
    actor, _, _ = data
    with pytest.raises(InvalidInput, match="geen geldig BSN"):
        find_households(session, actor, bsn="123456789")


def test_unknown_valid_bsn_finds_nothing(session, data):
    actor, _, _ = data
    assert find_households(session, actor, bsn=valid_bsn(40)) == []


@pytest.mark.parametrize(
    ("postcode", "huisnummer"), [("6444cd", "3a"), (" 6444 CD ", " 3A"), ("6444CD", None)]
)
def test_search_by_address_is_normalised(session, data, postcode, huisnummer):
    actor, _, h2 = data
    hits = find_households(session, actor, postcode=postcode, huisnummer=huisnummer)
    assert [(h.household_id, h.hoofdbewoner, h.n_personen) for h in hits] == [
        (h2.id, "F. Amrani", 1)
    ]


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
    assert [h.household_id for h in hits] == [(h1.id, h2.id)[i] for i in expected]


def test_name_search_is_limited_to_25(session, data):
    actor = data[0]
    for i in range(30):
        make_household(
            session, persons=[(valid_bsn(100 + i), f"Piet {chr(65 + i)}. Jansen", "hoofdbewoner")]
        )
    session.commit()
    assert len(find_households(session, actor, naam="jansen")) == MAX_HITS == 25


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
        ("household", str(h1.id), "anna")
    ]
    for r in session.scalars(select(AuditEvent)):
        assert BSN_A not in " ".join(str(v) for v in (r.doel, r.oud, r.nieuw, r.object_id))
