"""Small hand-built test data for the front door, triage, regie and case-table tests."""

from __future__ import annotations

import datetime as dt
import itertools

from coordination.access import open_household
from households.actor import Actor
from households.bsn import hash_bsn
from households.models import (
    Debt,
    HelpRequest,
    Household,
    Institution,
    Person,
    Provision,
    Signal,
    User,
)
from households.names import name_key

D = dt.date(2026, 6, 1)
_seq = itertools.count(1)


def valid_bsn(n: int) -> str:
    """The n-th 9-digit number (from 10000000*) that passes the elfproef."""
    found = 0
    for prefix in itertools.count(10_000_000):
        digits = f"{prefix:08d}"
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check == 10:
            continue
        found += 1
        if found == n:
            return digits + str(check)
    raise AssertionError


def make_user(session, naam: str, rol: str = "gbd") -> Actor:
    user = User(naam=naam, weergavenaam=naam.title(), rol=rol, wachtwoord_hash="x", actief=True)
    session.add(user)
    session.flush()
    return Actor(user.id, user.naam, user.rol)


def make_household(
    session,
    *,
    wijk: str = "Centrum",
    postcode: str = "6441AB",
    huisnummer: str = "12",
    straat: str = "Kerkstraat",
    persons=(),
) -> Household:
    """``persons``: tuples (bsn, naam, rol[, geboortejaar])."""
    h = Household(
        huishouden_id=f"H{next(_seq):05d}",
        wijk=wijk,
        postcode=postcode,
        huisnummer=huisnummer,
        straat=straat,
    )
    session.add(h)
    session.flush()
    for p in persons:
        bsn, naam, rol = p[:3]
        year = p[3] if len(p) > 3 else 1980
        session.add(
            Person(
                bsn_hash=hash_bsn(bsn),
                household_id=h.id,
                geboortejaar=year,
                rol=rol,
                naam=naam,
                naam_zoek=name_key(naam),
            )
        )
    session.flush()
    return h


def first_person(session, household: Household) -> Person:
    from sqlalchemy import select

    return session.scalars(select(Person).where(Person.household_id == household.id)).first()


def add_provision(
    session, person, domein, soort="begeleiding", start=dt.date(2025, 1, 1), einde=None
):
    p = Provision(
        bron_id=f"P{next(_seq)}",
        person_id=person.id,
        domein=domein,
        soort=soort,
        start=start,
        einde=einde,
    )
    session.add(p)
    session.flush()
    return p


def add_debt(
    session,
    person,
    openstaand_cent=50_000,
    schuldeiser="ISD BOL terugvordering",
    sinds=dt.date(2025, 1, 1),
):
    d = Debt(
        bron_id=f"S{next(_seq)}",
        person_id=person.id,
        schuldeiser=schuldeiser,
        hoofdsom_cent=openstaand_cent,
        openstaand_cent=openstaand_cent,
        sinds=sinds,
    )
    session.add(d)
    session.flush()
    return d


def add_signal(
    session, household, soort="politie", gemeld_op=dt.date(2026, 1, 1), gesloten_op=None
):
    s = Signal(household_id=household.id, soort=soort, gemeld_op=gemeld_op, gesloten_op=gesloten_op)
    session.add(s)
    session.flush()
    return s


def add_request(session, household, ontvangen_op, voordeur="WMO", domein="WMO", besluit_op=None):
    r = HelpRequest(
        household_id=household.id,
        domein=domein,
        voordeur=voordeur,
        ontvangen_op=ontvangen_op,
        urgentie="normaal",
        besluit_op=besluit_op,
    )
    session.add(r)
    session.flush()
    return r


def add_institution(session, naam: str) -> Institution:
    inst = Institution(instelling_id=f"I{next(_seq)}", naam=naam, type="zorgaanbieder")
    session.add(inst)
    session.flush()
    return inst


def opened(session, actor: Actor, household: Household) -> Household:
    open_household(session, actor, household.id, "Hulpvraag aan de voordeur")
    session.flush()
    return household
