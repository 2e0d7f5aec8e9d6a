"""Enrolment: the outreach list an experiment proposes, and confirming a household.

Households join through the front door (``voordeur``) or through proactive
outreach (``outreach``). For "Bestaanszekerheid en preventie" the outreach
criteria are (reference date D):

- the household has an open arrears signal (``ARREARS_SIGNAL_KINDS``, reported on
  or before D and not closed by D) or an open debt on D, **and**
- it is not known at any front door (no help request in the 12 months up to D)
  **or** it has no active regie on D, **and**
- it lives in one of the experiment's wijken and is not already enrolled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.models import Regie
from experiments.access import require_member
from experiments.criteria import EXTRA_CRITERIA
from experiments.models import ROUTES, Enrolment, Experiment, StabilityLog
from experiments.registry import get_experiment
from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.formatting import date as dutch_date
from households.formatting import euro_cents
from households.models import ARREARS_SIGNAL_KINDS, Debt, HelpRequest, Household, Person, Signal
from households.periods import (
    debt_open_sql,
    debt_outstanding_sql,
    household_of_person_sql,
    in_window_sql,
    regie_active_sql,
    signal_open_sql,
)

__all__ = [
    "OutreachCandidate",
    "EnrolledHousehold",
    "CRITERIA",
    "outreach_list",
    "enrol",
    "enrolled_households",
    "households_in_wijken",
]


@dataclass(frozen=True)
class OutreachCandidate:
    """A household the hub proposes for outreach, with the reasons why."""

    household_id: int
    huishouden_id: str
    wijk: str
    buurt: str | None
    redenen: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EnrolledHousehold:
    """An enrolled household as its experiment's members see it."""

    household_id: int
    huishouden_id: str
    wijk: str
    buurt: str | None
    datum: dt.date
    route: str
    n_logs: int
    laatste_log: dt.date | None


def households_in_wijken(session: Session, wijken: list[str]) -> dict[int, Household]:
    """Households whose wijk is one of ``wijken`` (case-insensitive), by id."""
    lowered = [w.lower() for w in wijken]
    rows = session.scalars(select(Household).where(func.lower(Household.wijk).in_(lowered)))
    return {h.id: h for h in rows}


def _open_arrears(session: Session, date: dt.date) -> dict[int, list[str]]:
    rows = session.execute(
        select(Signal.household_id, Signal.soort).where(
            Signal.soort.in_(ARREARS_SIGNAL_KINDS),
            signal_open_sql(Signal, date),
        )
    ).all()
    out: dict[int, list[str]] = {}
    for hh, soort in rows:
        out.setdefault(hh, [])
        if soort not in out[hh]:
            out[hh].append(soort)
    return out


def _open_debt(session: Session, date: dt.date) -> dict[int, int]:
    # Per person first, then grouped: the membership rule is a correlated expression, which
    # PostgreSQL cannot group by directly.
    per_debt = (
        select(household_of_person_sql(date).label("hh"),
               debt_outstanding_sql(Debt, date).label("cent"))
        .join(Person, Person.id == Debt.person_id)
        .where(debt_open_sql(Debt, date))
        .subquery()
    )  # fmt: skip
    rows = session.execute(
        select(per_debt.c.hh, func.sum(per_debt.c.cent))
        .where(per_debt.c.hh.is_not(None))
        .group_by(per_debt.c.hh)
    ).all()
    return {hh: int(total) for hh, total in rows}


def _known_at_front_door(session: Session, date: dt.date) -> set[int]:
    return set(
        session.scalars(
            select(HelpRequest.household_id)
            .where(in_window_sql(HelpRequest.ontvangen_op, date))
            .distinct()
        )
    )


def _with_regie(session: Session, date: dt.date) -> set[int]:
    return set(
        session.scalars(select(Regie.household_id).where(regie_active_sql(Regie, date)).distinct())
    )


def _bestaanszekerheid(session: Session, candidates: set[int], date: dt.date) -> dict[int, list]:
    arrears = _open_arrears(session, date)
    debts = _open_debt(session, date)
    known = _known_at_front_door(session, date)
    regie = _with_regie(session, date)
    out: dict[int, list[str]] = {}
    for hh in candidates:
        if hh not in arrears and hh not in debts:
            continue
        if hh in known and hh in regie:
            continue
        redenen = list(arrears.get(hh, []))
        if hh in debts:
            redenen.append(f"open schuld {euro_cents(debts[hh], 0)}")
        redenen.append("niet bekend bij een voordeur" if hh not in known else "bekend bij voordeur")
        redenen.append("geen regie" if hh not in regie else "regie actief")
        out[hh] = redenen
    return out


# criteria key (Experiment.criteria) -> (session, candidate ids, date) -> {household_id: reasons}
CRITERIA: dict[str, Callable[[Session, set[int], dt.date], dict[int, list[str]]]] = {
    "bestaanszekerheid": _bestaanszekerheid,
    **EXTRA_CRITERIA,  # experiments/criteria.py: named in CRITERIA_LABELS, chosen by beheer
}


def _enrolled_ids(session: Session, experiment_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Enrolment.household_id).where(Enrolment.experiment_id == experiment_id)
        )
    )


def outreach_list(
    session: Session, actor: Actor, experiment_id: int, date: dt.date
) -> list[OutreachCandidate]:
    """Households the experiment proposes for outreach on ``date`` (coordinators only).

    Each proposed household is an identity shown to the coordinator, so each is audited.
    """
    authorize(session, actor, "outreach_lijst")
    require_member(session, actor, experiment_id, "coordinator", event=audit.Event.OUTREACH_LIJST)
    exp = get_experiment(session, experiment_id)
    rule = CRITERIA.get(exp.criteria or "")
    if rule is None:
        raise InvalidInput(f"Voor '{exp.naam}' zijn nog geen outreach-criteria vastgelegd.")
    in_wijk = households_in_wijken(session, list(exp.wijken))
    candidates = set(in_wijk) - _enrolled_ids(session, experiment_id)
    matches = rule(session, candidates, date)
    out = []
    for hh_id in sorted(matches, key=lambda i: (in_wijk[i].wijk, in_wijk[i].huishouden_id)):
        hh = in_wijk[hh_id]
        out.append(OutreachCandidate(hh.id, hh.huishouden_id, hh.wijk, hh.buurt, matches[hh_id]))
    audit.record_list(session, actor, audit.Event.OUTREACH_VOORSTEL, "household",
                      ((c.household_id, f"outreach {exp.code} peildatum {date.isoformat()}")
                       for c in out))  # fmt: skip
    return out


def enrol(
    session: Session, actor: Actor, experiment_id: int, household_id: int, route: str,
    consent: bool, date: dt.date,
) -> Enrolment:  # fmt: skip
    """Enrol a household in an experiment (coordinators of the experiment, or the system).

    Consent is required; a household is enrolled at most once per experiment.
    """
    authorize(session, actor, "experiment_inschrijven")
    require_member(
        session, actor, experiment_id, "coordinator", event=audit.Event.EXPERIMENT_INSCHRIJVEN
    )
    exp = get_experiment(session, experiment_id)
    if exp.status != "actief":
        raise InvalidInput(f"'{exp.naam}' is niet actief (status: {exp.status}); "
                           "inschrijven kan alleen bij een lopend experiment.")  # fmt: skip
    if route not in ROUTES:
        raise InvalidInput("Route moet 'outreach' of 'voordeur' zijn.")
    if consent is not True:
        raise InvalidInput(
            "Inschrijven kan alleen met toestemming van het huishouden. "
            "Vraag eerst of het huishouden wil meedoen."
        )
    if not isinstance(date, dt.date) or date > dt.date.today():
        raise InvalidInput("De inschrijfdatum kan niet in de toekomst liggen.")
    if exp.start is not None and date < exp.start:
        raise InvalidInput(f"De inschrijfdatum ligt vóór de start van het experiment "
                           f"({dutch_date(exp.start)}).")  # fmt: skip
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound("Dit huishouden bestaat niet.")
    if household.wijk.lower() not in {w.lower() for w in exp.wijken}:
        raise InvalidInput(
            f"Dit huishouden woont niet in de wijk(en) van dit experiment "
            f"({', '.join(exp.wijken)})."
        )
    if household_id in _enrolled_ids(session, experiment_id):
        raise Conflict("Dit huishouden doet al mee aan dit experiment.")
    row = Enrolment(
        experiment_id=experiment_id, household_id=household_id, datum=date, route=route,
        toestemming=True, actief=True, ingeschreven_door=actor.user_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(
        session, actor, audit.Event.EXPERIMENT_INSCHRIJVEN, "household", household_id,
        nieuw={"experiment": exp.code, "route": route, "datum": date.isoformat()},
    )  # fmt: skip
    return row


def enrolled_households(
    session: Session, actor: Actor, experiment_id: int
) -> list[EnrolledHousehold]:
    """The households enrolled in an experiment (its members only; each row audited)."""
    authorize(session, actor, "deelnemers_inzien")
    require_member(session, actor, experiment_id, event=audit.Event.DEELNEMERS_INZIEN)
    exp = session.get(Experiment, experiment_id)
    doel = None if exp is None else f"proeftuin {exp.naam}"
    logs = (
        select(
            StabilityLog.household_id.label("hh"),
            func.count().label("n"),
            func.max(StabilityLog.datum).label("laatste"),
        )
        .where(StabilityLog.experiment_id == experiment_id)
        .group_by(StabilityLog.household_id)
        .subquery()
    )
    rows = session.execute(
        select(Enrolment, Household, logs.c.n, logs.c.laatste)
        .join(Household, Household.id == Enrolment.household_id)
        .outerjoin(logs, logs.c.hh == Enrolment.household_id)
        .where(Enrolment.experiment_id == experiment_id, Enrolment.actief.is_(True))
        .order_by(Household.wijk, Household.huishouden_id)
    ).all()
    out = []
    seen: list[tuple] = []
    for enr, hh, n, laatste in rows:
        out.append(
            EnrolledHousehold(
                hh.id,
                hh.huishouden_id,
                hh.wijk,
                hh.buurt,
                enr.datum,
                enr.route,
                int(n or 0),
                laatste,
            )  # fmt: skip
        )
        seen.append((hh.id, doel))
    audit.record_list(session, actor, audit.Event.DEELNEMER_INZIEN, "household", seen)
    return out
