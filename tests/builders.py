"""One set of small hand-built test data: users/actors, households, their facts, experiments.

Every builder adds rows to the caller's session and flushes (ids are known), never
commits. Defaults are plain and documented; a test that depends on a value passes
it explicitly. The ``make_actor`` fixture in ``tests/conftest.py`` wraps
:func:`make_user` for tests that need "a user of role X".
"""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from coordination.access import open_household
from coordination.models import Regie
from experiments.models import Enrolment, ExperimentMember
from experiments.registry import ensure_experiments, experiment_by_code
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


# --- users and actors ------------------------------------------------------------------------


def make_user(session, naam: str, rol: str = "gbd") -> Actor:
    """An active app user (unusable password) and its Actor."""
    user = User(naam=naam, weergavenaam=naam.title(), rol=rol, wachtwoord_hash="x", actief=True)
    session.add(user)
    session.flush()
    return Actor(user.id, user.naam, user.rol)


# --- households and persons ------------------------------------------------------------------


def make_household(
    session,
    *,
    wijk: str = "Centrum",
    buurt: str | None = None,
    postcode: str = "6441AB",
    huisnummer: str = "12",
    straat: str = "Kerkstraat",
    persons=(),
) -> Household:
    """A household; ``persons``: tuples ``(bsn, naam, rol[, geboortejaar])``.

    A ``bsn`` of None stores a placeholder hash (for tests that never look a person up).
    """
    n = next(_seq)
    h = Household(
        huishouden_id=f"H{n:05d}",
        wijk=wijk,
        buurt=buurt,
        postcode=postcode,
        huisnummer=huisnummer,
        straat=straat,
    )
    session.add(h)
    session.flush()
    for i, p in enumerate(persons):
        bsn, naam, rol = p[:3]
        session.add(
            Person(
                bsn_hash=hash_bsn(bsn) if bsn is not None else f"h{n}-{i}",
                household_id=h.id,
                geboortejaar=p[3] if len(p) > 3 else 1980,
                rol=rol,
                naam=naam,
                naam_zoek=name_key(naam) if naam else None,
            )
        )
    session.flush()
    return h


def household_with_persons(
    session, wijk: str = "Noord", n_persons: int = 1, naam: str | None = None
) -> tuple[Household, Person]:
    """A household in ``wijk`` (buurt ``<wijk>-buurt``) with a hoofdbewoner and children.

    Returns ``(household, hoofdbewoner)``.
    """
    persons = [(None, naam, "hoofdbewoner")] + [(None, None, "kind")] * (n_persons - 1)
    h = make_household(
        session,
        wijk=wijk,
        buurt=f"{wijk}-buurt",
        postcode="6443AB",
        huisnummer=str(next(_seq)),
        straat="Teststraat",
        persons=persons,
    )
    return h, first_person(session, h)


def first_person(session, household: Household) -> Person:
    """The household's first person (lowest id)."""
    return session.scalars(
        select(Person).where(Person.household_id == household.id).order_by(Person.id)
    ).first()


# --- facts about a household -----------------------------------------------------------------


def add_provision(
    session, person, domein, soort="begeleiding", start=dt.date(2025, 1, 1), einde=None
) -> Provision:
    """A provision of ``domein``/``soort`` for ``person`` from ``start`` (open unless ``einde``)."""
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
) -> Debt:
    """A debt of ``openstaand_cent`` (hoofdsom the same, at least 1 euro) since ``sinds``."""
    d = Debt(
        bron_id=f"S{next(_seq)}",
        person_id=person.id,
        schuldeiser=schuldeiser,
        hoofdsom_cent=max(openstaand_cent, 100),
        openstaand_cent=openstaand_cent,
        sinds=sinds,
    )
    session.add(d)
    session.flush()
    return d


def add_signal(
    session, household, soort="politie", gemeld_op=dt.date(2026, 1, 1), gesloten_op=None
) -> Signal:
    """A signal of ``soort`` on the household, open unless ``gesloten_op``."""
    s = Signal(household_id=household.id, soort=soort, gemeld_op=gemeld_op, gesloten_op=gesloten_op)
    session.add(s)
    session.flush()
    return s


def add_request(
    session, household, ontvangen_op, voordeur="WMO", domein="WMO", besluit_op=None
) -> HelpRequest:
    """A help request received at ``voordeur`` on ``ontvangen_op``."""
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
    """An institution (type zorgaanbieder)."""
    inst = Institution(instelling_id=f"I{next(_seq)}", naam=naam, type="zorgaanbieder")
    session.add(inst)
    session.flush()
    return inst


def add_regie(session, household, holder: Actor, start=dt.date(2026, 1, 1), einde=None) -> Regie:
    """A regie row written directly (active unless ``einde``), bypassing the use case."""
    r = Regie(
        household_id=household.id,
        houder_user_id=holder.user_id,
        doel="Stabiliteit",
        start=start,
        einde=einde,
        actief=einde is None,
    )
    session.add(r)
    session.flush()
    return r


def opened(session, actor: Actor, household: Household) -> Household:
    """Open the household for ``actor`` at the front door (so the access rule lets them in)."""
    open_household(session, actor, household.id, "Hulpvraag aan de voordeur")
    session.flush()
    return household


# --- experiments -----------------------------------------------------------------------------


def experiment(session, code: str = "bestaanszekerheid"):
    """The experiment ``code`` (the five are created when missing)."""
    ensure_experiments(session)
    return experiment_by_code(session, code)


def add_member(session, exp, actor: Actor, rol: str) -> None:
    """Make ``actor`` a member of ``exp`` with experiment role ``rol``."""
    session.add(ExperimentMember(experiment_id=exp.id, user_id=actor.user_id, rol=rol))
    session.flush()


def enrol_direct(session, exp, household, datum=dt.date(2026, 2, 1)) -> Enrolment:
    """An active outreach enrolment with consent, written directly."""
    e = Enrolment(
        experiment_id=exp.id,
        household_id=household.id,
        datum=datum,
        route="outreach",
        toestemming=True,
        actief=True,
    )
    session.add(e)
    session.flush()
    return e


def team(session):
    """The active experiment with a coordinator and an ervaringswerker (both members)."""
    exp = experiment(session)
    coord = make_user(session, "coord", "gbd")
    ew = make_user(session, "ew1", "ervaringswerker")
    add_member(session, exp, coord, "coordinator")
    add_member(session, exp, ew, "ervaringswerker")
    return exp, coord, ew
