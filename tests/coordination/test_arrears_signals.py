"""A partner reports arrears by address: the hub finds the household that lived there on the
date, the partner learns nothing (the same confirmation whether or not one was found)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from coordination.arrears_signals import CONFIRMATION, register_arrears_signal
from households.actor import Actor
from households.errors import AccessDenied, InvalidInput
from households.models import AuditEvent, Institution, Residence, Signal, User
from tests import builders as b

DAY = dt.date(2026, 3, 2)


def _partner(session, naam: str, type_: str) -> Actor:
    inst = Institution(instelling_id=f"I-{naam}", naam=f"{naam} BV", type=type_)
    session.add(inst)
    session.flush()
    user = User(naam=naam, rol="partner", wachtwoord_hash="x", institution_id=inst.id)
    session.add(user)
    session.commit()
    return Actor(user.id, naam, "partner")


@pytest.fixture
def corporation(session) -> Actor:
    return _partner(session, "weller", "Woningcorporatie")


def _signals(session) -> list[Signal]:
    return list(session.scalars(select(Signal).order_by(Signal.id)))


def _report(session, actor, postcode="6441 ab", huisnummer="12", soort="huurachterstand",
            day=DAY, toelichting="twee maanden"):  # fmt: skip
    out = register_arrears_signal(session, actor, postcode, huisnummer, soort, day, toelichting)
    session.commit()
    return out


def test_found_household_gets_the_signal_with_the_institution_as_source(session, corporation):
    hh = b.make_household(
        session, postcode="6441AB", huisnummer="12", persons=[(None, "A", "hoofdbewoner")]
    )
    session.commit()
    assert _report(session, corporation) == CONFIRMATION
    (s,) = _signals(session)
    assert (s.household_id, s.soort, s.gemeld_op, s.bron) == (
        hh.id,
        "huurachterstand",
        DAY,
        "weller BV",
    )
    assert s.toelichting == "twee maanden" and s.created_by == corporation.user_id


def test_unknown_address_gives_the_same_answer_and_keeps_nothing(session, corporation):
    b.make_household(
        session, postcode="6441AB", huisnummer="12", persons=[(None, "A", "hoofdbewoner")]
    )
    session.commit()
    assert _report(session, corporation, huisnummer="14") == CONFIRMATION
    assert _signals(session) == []
    row = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (row.actie, row.resultaat, row.gebruiker) == ("achterstand_melden", "mislukt", "weller")
    assert "6441" not in (row.nieuw or "") and "14" not in (row.object_id or "")


def test_the_household_that_lived_there_on_the_date(session, corporation):
    old = b.make_household(
        session, postcode="6441AB", huisnummer="12A", persons=[(None, "A", "hoofdbewoner")]
    )
    new = b.make_household(
        session, postcode="6441AB", huisnummer="12a", persons=[(None, "B", "hoofdbewoner")]
    )
    pa = b.first_person(session, old)
    pb = b.first_person(session, new)
    move = dt.date(2026, 1, 1)  # A left on the move, B came
    session.add_all([
        Residence(sleutel="a", person_id=pa.id, household_id=old.id, vanaf=dt.date(2020, 1, 1),
                  tot=move),
        Residence(sleutel="b", person_id=pb.id, household_id=new.id, vanaf=move),
    ])  # fmt: skip
    session.commit()
    _report(session, corporation, huisnummer="12 a", day=dt.date(2025, 12, 1))
    _report(session, corporation, huisnummer="12-A", day=DAY)
    assert [(s.household_id, s.gemeld_op) for s in _signals(session)] == [
        (old.id, dt.date(2025, 12, 1)), (new.id, DAY),
    ]  # fmt: skip


def test_two_households_at_one_address_is_not_guessed(session, corporation):
    for naam in ("A", "B"):
        b.make_household(
            session, postcode="6441AB", huisnummer="12", persons=[(None, naam, "hoofdbewoner")]
        )
    session.commit()
    assert _report(session, corporation) == CONFIRMATION
    assert _signals(session) == []


def test_the_same_report_twice_is_one_signal(session, corporation):
    b.make_household(
        session, postcode="6441AB", huisnummer="12", persons=[(None, "A", "hoofdbewoner")]
    )
    session.commit()
    _report(session, corporation)
    _report(session, corporation)
    assert len(_signals(session)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"soort": "energieachterstand"}, "Uw organisatie meldt alleen een huurachterstand."),
        ({"postcode": "644AB"}, "Geef een geldige postcode (bijv. 6441AB)."),
        ({"huisnummer": "twaalf"}, "Geef een geldig huisnummer (bijv. 12 of 12A)."),
        ({"day": None}, "Geef de datum van de achterstand."),
        (
            {"day": dt.date.today() + dt.timedelta(days=1)},
            "De datum van de achterstand ligt in de toekomst.",
        ),
        ({"day": dt.date(2020, 12, 31)}, "De datum van de achterstand ligt voor 01-01-2021."),
        ({"toelichting": "bsn 123456782"}, None),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_written(session, corporation, kwargs, message):
    b.make_household(
        session, postcode="6441AB", huisnummer="12", persons=[(None, "A", "hoofdbewoner")]
    )
    session.commit()
    with pytest.raises(InvalidInput) as info:
        _report(session, corporation, **kwargs)
    if message:
        assert str(info.value) == message
    session.rollback()
    assert _signals(session) == []


@pytest.mark.parametrize(("type_", "soort"), [
    ("energieleverancier", "energieachterstand"), ("Waterbedrijf", "waterachterstand"),
    ("zorgverzekeraar", "zorgverzekeringsachterstand"),
])  # fmt: skip
def test_each_kind_of_wgs_partner_reports_its_own_arrears(session, type_, soort):
    partner = _partner(session, "p1", type_)
    b.make_household(
        session, postcode="6441AB", huisnummer="12", persons=[(None, "A", "hoofdbewoner")]
    )
    session.commit()
    _report(session, partner, soort=soort)
    assert [s.soort for s in _signals(session)] == [soort]


def test_other_partners_and_other_roles_are_refused(session, account):
    ggz = _partner(session, "ggz", "ggz")
    with pytest.raises(AccessDenied):
        _report(session, ggz)
    with pytest.raises(AccessDenied):
        _report(session, account("balie", "voordeur"))
    refused = session.scalar(
        select(func.count()).where(AuditEvent.actie == "achterstand_melden",
                                   AuditEvent.resultaat == "geweigerd")
    )  # fmt: skip
    assert refused == 2
