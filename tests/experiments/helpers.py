"""Hand-built test data for the experiments tests (models directly, no generator)."""

from __future__ import annotations

import datetime as dt
import itertools

from coordination.models import Regie
from experiments.models import Enrolment, ExperimentMember
from experiments.registry import ensure_experiments, experiment_by_code
from households.actor import Actor
from households.models import Debt, HelpRequest, Household, Person, Provision, Signal, User

_seq = itertools.count(1)
D = dt.date(2026, 6, 1)


def user(session, naam: str, rol: str) -> Actor:
    """An app user and its Actor."""
    u = User(naam=naam, rol=rol, wachtwoord_hash="x", mislukte_pogingen=0, actief=True)
    session.add(u)
    session.flush()
    return Actor(u.id, naam, rol)


def household(session, wijk: str = "Noord", n_persons: int = 1, naam: str | None = None):
    """A household with ``n_persons`` persons; returns (household, first person)."""
    n = next(_seq)
    hh = Household(
        huishouden_id=f"HH{n:05d}",
        wijk=wijk,
        buurt=f"{wijk}-buurt",
        postcode="6443AB",
        huisnummer=str(n),
        straat="Teststraat",
    )
    session.add(hh)
    session.flush()
    persons = []
    for i in range(n_persons):
        p = Person(
            bsn_hash=f"h{n}-{i}",
            household_id=hh.id,
            geboortejaar=1980,
            rol="hoofdbewoner" if i == 0 else "kind",
            naam=naam if i == 0 else None,
        )
        session.add(p)
        persons.append(p)
    session.flush()
    return hh, persons[0]


def debt(session, person, openstaand_eur: float, sinds=dt.date(2025, 1, 1)):
    n = next(_seq)
    cents = int(openstaand_eur * 100)
    session.add(
        Debt(
            bron_id=f"D{n}",
            person_id=person.id,
            schuldeiser="Woonstichting",
            hoofdsom_cent=max(cents, 100),
            openstaand_cent=cents,
            sinds=sinds,
        )
    )
    session.flush()


def signal(session, hh, soort="huurachterstand", gemeld=dt.date(2026, 1, 1), gesloten=None):
    session.add(Signal(household_id=hh.id, soort=soort, gemeld_op=gemeld, gesloten_op=gesloten))
    session.flush()


def help_request(session, hh, when=dt.date(2026, 3, 1)):
    session.add(
        HelpRequest(
            household_id=hh.id, domein="WMO", voordeur="WMO", ontvangen_op=when, urgentie="normaal"
        )
    )
    session.flush()


def regie(session, hh, holder: Actor, start=dt.date(2026, 1, 1), einde=None):
    session.add(
        Regie(
            household_id=hh.id,
            houder_user_id=holder.user_id,
            doel="Stabiliteit",
            start=start,
            einde=einde,
            actief=einde is None,
        )
    )
    session.flush()


def provision(session, person, start, einde=None, domein="ISD", soort="bijzondere bijstand"):
    n = next(_seq)
    session.add(
        Provision(
            bron_id=f"P{n}",
            person_id=person.id,
            domein=domein,
            soort=soort,
            start=start,
            einde=einde,
        )
    )
    session.flush()


def experiment(session, code: str = "bestaanszekerheid"):
    ensure_experiments(session)
    return experiment_by_code(session, code)


def member(session, exp, actor: Actor, rol: str):
    session.add(ExperimentMember(experiment_id=exp.id, user_id=actor.user_id, rol=rol))
    session.flush()


def enrol_direct(session, exp, hh, datum=dt.date(2026, 2, 1)):
    e = Enrolment(
        experiment_id=exp.id,
        household_id=hh.id,
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
    coord = user(session, "coord", "gbd")
    ew = user(session, "ew1", "ervaringswerker")
    member(session, exp, coord, "coordinator")
    member(session, exp, ew, "ervaringswerker")
    return exp, coord, ew
