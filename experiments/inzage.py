"""Inzage (AVG art. 15): everything the hub holds about one person, and every access to it.

Given a BSN (hashed at once, never stored or logged in clear) the report lists the person,
their household on today's date and everything linked to it — provisions and debts of the
person; signals, involvements, help requests, regie, agenda items and actions, experiment
enrolments and logbook entries of the household — and every audit row about the household or
those objects: who, when, which action, why. Used by ``kiss inzage --bsn`` and the Inzage page
(``beheer``); the request itself is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.models import Action, AgendaItem, Regie
from experiments.models import Enrolment, StabilityLog
from households import audit
from households.access import authorize
from households.actor import Actor
from households.audit.log import events_about
from households.bsn import hash_bsn, is_valid_bsn, normalise_bsn
from households.errors import InvalidInput, NotFound
from households.frontdoors import front_door_label
from households.models import (
    Debt,
    HelpRequest,
    Household,
    Involvement,
    Person,
    Provision,
    Signal,
)

__all__ = ["Access", "Held", "InzageReport", "subject_access"]


@dataclass(frozen=True)
class Held:
    """One thing held: its category (as in the privacy statement) and a plain description."""

    categorie: str
    omschrijving: str
    sinds: dt.date | None = None
    tot: dt.date | None = None


@dataclass(frozen=True)
class Access:
    """One audit row about the person's household or its objects."""

    tijdstip: dt.datetime
    gebruiker: str
    rol: str
    actie: str
    doel: str
    resultaat: str


@dataclass(frozen=True)
class InzageReport:
    """What is held and who accessed it."""

    huishouden: str
    gegevens: tuple[Held, ...]
    toegang: tuple[Access, ...]


def _held(session: Session, person: Person, household: Household) -> list[Held]:
    hh = household.id
    out = [
        Held("persoon", f"geboortejaar {person.geboortejaar}, rol {person.rol}"
             + (f", naam {person.naam}" if person.naam else "")),
        Held("adres", f"huishouden {household.huishouden_id}, wijk {household.wijk}"
             + (f", {household.straat or ''} {household.huisnummer or ''} {household.postcode}"
                if household.postcode else "")),
    ]  # fmt: skip
    for v in session.scalars(select(Provision).where(Provision.person_id == person.id)):
        out.append(Held("voorziening", f"{v.domein}: {v.soort}", v.start, v.einde))
    for d in session.scalars(select(Debt).where(Debt.person_id == person.id)):
        out.append(Held("schuld", f"{d.schuldeiser}, openstaand € {d.openstaand_cent / 100:.2f}",
                        d.sinds))  # fmt: skip
    for s in session.scalars(select(Signal).where(Signal.household_id == hh)):
        out.append(Held("signaal", f"{s.soort} (bron {s.bron or 'onbekend'})", s.gemeld_op,
                        s.gesloten_op))  # fmt: skip
    for i in session.scalars(select(Involvement).where(Involvement.household_id == hh)):
        out.append(Held("betrokkenheid", i.soort, i.start, i.einde))
    for r in session.scalars(select(HelpRequest).where(HelpRequest.household_id == hh)):
        out.append(
            Held(
                "hulpvraag",
                f"{r.domein} via {front_door_label(r.voordeur)}",
                r.ontvangen_op,
                r.besluit_op,
            )
        )
    for g in session.scalars(select(Regie).where(Regie.household_id == hh)):
        out.append(Held("regie", f"doel: {g.doel}", g.start, g.einde))
    for a in session.scalars(select(AgendaItem).where(AgendaItem.household_id == hh)):
        out.append(Held("casustafel", f"agendapunt: {a.vraag}"))
    n_actions = len(session.scalars(select(Action.id).where(Action.household_id == hh)).all())
    out.extend(Held("casustafel", "opdracht aan een partner") for _ in range(n_actions))
    for e in session.scalars(select(Enrolment).where(Enrolment.household_id == hh)):
        out.append(Held("experiment", "ingeschreven in een experiment", e.datum, e.einde))
    for log in session.scalars(select(StabilityLog).where(StabilityLog.household_id == hh)):
        out.append(Held("logboek", "situatie vastgelegd door een ervaringswerker", log.datum))
    return out


def _accesses(session: Session, household_id: int) -> list[Access]:
    signals = session.scalars(select(Signal.id).where(Signal.household_id == household_id))
    logs = session.scalars(select(StabilityLog.id).where(StabilityLog.household_id == household_id))
    # a search lists the households it showed in one row: events_about finds those too
    rows = {
        r.id: r
        for object_type, ids in (("household", [household_id]), ("signal", list(signals)),
                                 ("stability_log", list(logs)))
        for r in events_about(session, object_type, ids)
    }  # fmt: skip
    return [
        Access(
            r.tijdstip, r.gebruiker or "systeem", r.rol or "—", r.actie, r.doel or "—", r.resultaat
        )  # fmt: skip
        for r in sorted(rows.values(), key=lambda r: (r.tijdstip, r.id))
    ]


def subject_access(session: Session, actor: Actor, bsn: str) -> InzageReport:
    """The inzage report for the person with ``bsn`` (``beheer`` or the system actor)."""
    authorize(session, actor, "inzage")
    if not isinstance(bsn, str) or not is_valid_bsn(normalise_bsn(bsn)):
        raise InvalidInput("Geef een geldig BSN (9 cijfers, elfproef).")
    person = session.scalar(select(Person).where(Person.bsn_hash == hash_bsn(normalise_bsn(bsn))))
    if person is None:
        raise NotFound("Over dit BSN is niets bekend in de KISS hub.")
    household = session.get(Household, person.household_id)
    report = InzageReport(
        household.huishouden_id,
        tuple(_held(session, person, household)),
        tuple(_accesses(session, household.id)),
    )
    counts = {"gegevens": len(report.gegevens), "toegang": len(report.toegang)}
    audit.record(session, actor, audit.Event.INZAGE, "household", household.id,
                 doel="inzageverzoek (AVG art. 15)", nieuw=counts)  # fmt: skip
    return report
