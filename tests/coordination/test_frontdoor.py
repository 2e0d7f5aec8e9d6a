"""The front door: household view, registering a household, registering a request."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coordination.frontdoor import (
    NewPerson,
    household_view,
    register_household,
    register_request,
)
from households.bsn import hash_bsn
from households.errors import AccessDenied, Conflict, InvalidInput, KissError, NotFound
from households.models import AuditEvent, HelpRequest, Household, Person
from households.periods import requests_in_12_months
from households.search import find_households
from households.validation import normalise_text
from tests.builders import (
    D,
    add_debt,
    add_provision,
    add_request,
    add_signal,
    first_person,
    make_household,
    make_user,
    opened,
    valid_bsn,
)


@pytest.fixture
def actor(session):
    return make_user(session, "anna", "voordeur")


@pytest.fixture
def household(session, actor):
    h = make_household(
        session,
        wijk="Centrum",
        persons=[
            (valid_bsn(1), "Jan Jansen", "hoofdbewoner", 1970),
            (valid_bsn(2), "Kim Jansen", "kind", 2012),
        ],
    )
    return opened(session, actor, h)


def test_view_shows_the_whole_household(session, actor, household):
    jan = first_person(session, household)
    add_provision(session, jan, "WMO", "huishoudelijke hulp")
    add_provision(session, jan, "ISD", "bijstand")
    add_provision(
        session, jan, "JEUGD", "ambulant", start=dt.date(2024, 1, 1), einde=dt.date(2025, 12, 31)
    )
    add_debt(session, jan, 123_456)
    add_signal(session, household, "huurachterstand", dt.date(2026, 5, 1))
    add_signal(session, household, "politie", dt.date(2026, 1, 1), gesloten_op=dt.date(2026, 2, 1))
    add_request(session, household, dt.date(2025, 9, 1))
    add_request(session, household, dt.date(2024, 1, 1))
    view = household_view(session, actor, household.id, D)
    assert [p.naam for p in view.personen] == ["Jan Jansen", "Kim Jansen"]
    assert [(v.domein, v.soort) for v in view.voorzieningen] == [
        ("WMO", "huishoudelijke hulp"),
        ("ISD", "bijstand"),
    ]
    assert [(d.schuldeiser, d.openstaand) for d in view.schulden] == [
        ("ISD BOL terugvordering", 1234.56)
    ]
    assert [s.soort for s in view.signalen] == ["huurachterstand"]
    assert view.regie is None
    assert [r.ontvangen_op for r in view.aanvragen] == [dt.date(2025, 9, 1), dt.date(2024, 1, 1)]
    assert view.aanvragen_12_maanden == 1
    assert view.stapeling.n_domains == 2 and view.stapeling.complex
    assert session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.actie == "huishouden_inzien", AuditEvent.resultaat == "ok"
        )
    )


def test_view_without_opening_is_refused(session, actor):
    h = make_household(session, persons=[(valid_bsn(5), "Piet", "hoofdbewoner")])
    with pytest.raises(AccessDenied):
        household_view(session, actor, h.id, D)


def test_register_request_at_the_one_front_door(session, actor, household):
    out = register_request(
        session, actor, household.id, "ONBEKEND", "Vraag over schulden", "normaal", D
    )
    req = session.get(HelpRequest, out.request_id)
    assert (req.voordeur, req.domein, req.intake_door, req.ontvangen_op) == (
        "CENTRAAL",
        "ONBEKEND",
        "anna",
        D,
    )
    assert out.nummer_in_12_maanden == 1 and not out.herhaalde_aanvraag
    assert out.melding == "Dit is aanvraag 1 in 12 maanden."
    assert out.advies.advies == "standaard"
    assert req.triage_advies == "standaard" and req.regelset_versie == 1
    assert req.triage_redenen == ["geen complexiteit gevonden: standaardproces"]


@pytest.mark.parametrize(
    ("days_before", "counts"), [(364, True), (365, False), (366, False), (1, True), (0, True)]
)
def test_repeat_request_window_is_the_12_months_up_to_the_request(
    session, actor, household, days_before, counts
):
    # the 12 months up to D are D-364 .. D (DESIGN 4.1); an earlier request on D counts too
    add_request(session, household, D - dt.timedelta(days=days_before))
    assert requests_in_12_months(session, household.id, D) == (1 if counts else 0)
    out = register_request(
        session, actor, household.id, "WMO", "Hulp bij het huishouden", "normaal", D
    )
    assert out.herhaalde_aanvraag is counts
    assert out.nummer_in_12_maanden == (2 if counts else 1)


def test_third_request_in_12_months_gives_maatwerk_with_reason(session, actor, household):
    add_request(session, household, D - dt.timedelta(days=300))
    add_request(session, household, D - dt.timedelta(days=30))
    out = register_request(
        session, actor, household.id, "JEUGD", "Zorgen over de zoon", "normaal", D
    )
    assert out.melding == "Dit is aanvraag 3 in 12 maanden."
    assert out.advies.advies == "maatwerk"
    assert out.advies.redenen == ("3e aanvraag in 12 maanden",)


def test_urgent_request_is_maatwerk(session, actor, household):
    out = register_request(session, actor, household.id, "WMO", "Valt steeds thuis", "acuut", D)
    assert (out.advies.advies, out.advies.redenen) == ("maatwerk", ("urgentie: acuut",))


def test_debt_and_youth_care_reason(session, actor, household):
    kim = session.scalars(select(Person).where(Person.naam == "Kim Jansen")).one()
    add_provision(session, kim, "JEUGD", "ambulant")
    add_provision(session, kim, "WMO", "begeleiding")
    add_debt(session, first_person(session, household))
    out = register_request(session, actor, household.id, "ISD", "Bijzondere bijstand", "normaal", D)
    assert out.advies.redenen == ("schuld én jeugdhulp en Wmo-ondersteuning",)


@pytest.mark.parametrize(
    ("domein", "omschrijving", "urgentie", "message"),
    [
        ("XYZ", "Een vraag", "normaal", "domein"),
        ("WMO", "kort", "normaal", "minstens 5"),
        ("WMO", "   ", "normaal", "minstens 5"),
        ("WMO", "x" * 2001, "normaal", "te lang"),
        ("WMO", "Een vraag", "spoed", "urgentie"),
    ],
)
def test_bad_request_input(session, actor, household, domein, omschrijving, urgentie, message):
    with pytest.raises(InvalidInput, match=message):
        register_request(session, actor, household.id, domein, omschrijving, urgentie, D)
    assert session.scalar(select(HelpRequest.id)) is None


def test_request_for_unknown_household(session, actor):
    with pytest.raises(NotFound):
        register_request(session, actor, 999, "WMO", "Een vraag", "normaal", D)


def test_register_household_hashes_bsn_and_opens_it(session, actor):
    bsn = valid_bsn(9)
    h = register_household(
        session,
        actor,
        "Oost",
        "6444 ab",
        "7b",
        "Vijverweg",
        NewPerson(bsn, 1985, "hoofdbewoner", "Sara  Bakker"),
    )
    person = session.scalars(select(Person).where(Person.household_id == h.id)).one()
    assert person.bsn_hash == hash_bsn(bsn) and person.naam_zoek == "bakker sara"
    assert (h.postcode, h.huisnummer, h.wijk) == ("6444AB", "7B", "Oost")
    hits = find_households(session, actor, bsn=bsn)
    assert [x.household_id for x in hits] == [h.id]
    assert household_view(session, actor, h.id, D).personen[0].naam == "Sara Bakker"


@pytest.mark.parametrize(
    ("args", "persons", "message"),
    [
        (
            ("Oost", "6444AB", "7", "Vijverweg"),
            [NewPerson("123456789", 1985, "hoofdbewoner")],
            "BSN",
        ),
        (
            ("Oost", "64AB", "7", "Vijverweg"),
            [NewPerson(valid_bsn(9), 1985, "hoofdbewoner")],
            "postcode",
        ),
        (
            ("Oost", "6444AB", "", "Vijverweg"),
            [NewPerson(valid_bsn(9), 1985, "hoofdbewoner")],
            "huisnummer",
        ),
        (
            ("Oost", "6444AB", "7", "Vijverweg"),
            [NewPerson(valid_bsn(9), 1800, "hoofdbewoner")],
            "geboortejaar",
        ),
        (("Oost", "6444AB", "7", "Vijverweg"), [NewPerson(valid_bsn(9), 1985, "baas")], "Rol"),
        (("Oost", "6444AB", "7", "Vijverweg"), [], "minstens één persoon"),
    ],
)
def test_register_household_bad_input(session, actor, args, persons, message):
    with pytest.raises(InvalidInput, match=message):
        register_household(session, actor, *args, *persons)


@pytest.mark.parametrize(
    ("args", "persons", "message"),
    [
        (
            (None, "6444AB", "7", "Vijverweg"),
            [NewPerson(valid_bsn(9), None, None)],
            "Vul de verplichte velden in: wijk, geboortejaar en rol.",
        ),
        (
            ("Oost", " ", "7", "Vijverweg"),
            [NewPerson(valid_bsn(9), 1985, "kind")],
            "Vul het verplichte veld in: postcode.",
        ),
        (
            ("Oost", "6444AB", "7", "Vijverweg"),
            [NewPerson(valid_bsn(9), 1985, "hoofdbewoner"), NewPerson("", None, "kind")],
            "Vul de verplichte velden in: BSN (persoon 2) en geboortejaar (persoon 2).",
        ),
    ],
)
def test_register_household_names_every_missing_field(session, actor, args, persons, message):
    with pytest.raises(InvalidInput) as refused:
        register_household(session, actor, *args, *persons)
    assert str(refused.value) == message
    assert session.scalar(select(Household.id).where(Household.postcode == "6444AB")) is None


def test_register_known_bsn_is_a_conflict(session, actor, household):
    with pytest.raises(Conflict):
        register_household(
            session,
            actor,
            "Oost",
            "6444AB",
            "7",
            "Vijverweg",
            NewPerson(valid_bsn(1), 1970, "hoofdbewoner"),
        )


class _Undo(Exception):
    pass


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    domein=st.one_of(st.sampled_from(["WMO", "JEUGD", "ISD", "ONBEKEND"]), st.text(max_size=12)),
    omschrijving=st.text(max_size=2100),
    urgentie=st.one_of(st.sampled_from(["laag", "normaal", "hoog", "acuut"]), st.text(max_size=8)),
)
def test_arbitrary_input_gives_request_or_kiss_error(
    session, actor, household, domein, omschrijving, urgentie
):
    try:
        with session.begin_nested():
            out = register_request(session, actor, household.id, domein, omschrijving, urgentie, D)
            assert out.advies.advies in ("standaard", "maatwerk")
            assert session.get(HelpRequest, out.request_id).omschrijving == " ".join(
                normalise_text(omschrijving).split()  # NFKC, like every text field
            )
            raise _Undo
    except (KissError, _Undo):
        pass
