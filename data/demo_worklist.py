"""Demo data for the coordinator's worklist (seeded by ``kiss demo`` after the other contexts).

Every active demo GBD-er gets a worklist with a row of every kind:

- a **regie** on a household enrolled in the proeftuin (one without regie) when they hold
  none on an enrolled household;
- a **stability log** with veiligheid 2 from this week, written by an ervaringswerker of the
  proeftuin, on one of their regie households, when none with veiligheid ≤ 2 is recent;
- a **maatwerk decision waiting for their four-eyes review**: a colleague puts one of the
  colleague's own regie households on the Tafel Noord en Oost and decides, when nothing waits;
- a **plan goal** due for review and a **referral** not accepted in 5 working days, only
  when none of their regie households has a plan goal or a referral yet (the plan and
  referral demo seeds of the loop come first; these few rows are the fallback).

Deterministic for a reference date; idempotent (a second run adds nothing).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination import casetables as ct
from coordination import decisions
from coordination.loopmodels import HouseholdPlan, PlanGoal, Referral
from coordination.models import Regie
from coordination.plan_rules import corner_of
from coordination.worklist import SOURCES, my_regie_households
from experiments.logbook import log_situation
from experiments.models import Enrolment, ExperimentMember, StabilityLog
from experiments.worklist import VEILIGHEID_MAX, logs_since
from households.actor import SYSTEM, Actor
from households.models import Institution, User
from households.workdays import add_working_days

__all__ = ["seed_worklist"]

TABLE = "Tafel Noord en Oost"
REGIE_DOEL = "Stabiliteit: eerst veiligheid en bestaanszekerheid, dan zorg en meedoen"


def _gbd_users(session: Session) -> list[Actor]:
    users = session.scalars(
        select(User).where(User.rol == "gbd", User.actief.is_(True)).order_by(User.id)
    ).all()
    return [Actor(u.id, u.naam, u.rol) for u in users]


def _regie_households(session: Session, actor: Actor, today: dt.date) -> list[int]:
    return list(session.scalars(my_regie_households(actor, today).order_by(Regie.household_id)))


def _enrolled(session: Session) -> dict[int, int]:
    """Actively enrolled household -> its experiment."""
    rows = session.execute(
        select(Enrolment.household_id, Enrolment.experiment_id)
        .where(Enrolment.actief.is_(True))
        .order_by(Enrolment.household_id)
    )
    return dict(rows.all())


def _worker(session: Session, experiment_id: int) -> Actor | None:
    user = session.scalar(
        select(User)
        .join(ExperimentMember, ExperimentMember.user_id == User.id)
        .where(ExperimentMember.experiment_id == experiment_id, User.rol == "ervaringswerker")
        .order_by(User.id)
        .limit(1)
    )
    return None if user is None else Actor(user.id, user.naam, user.rol)


def _enrolled_regie(session, actor, today, enrolled) -> int | None:
    """One of the actor's regie households in the proeftuin; a free one is given when none."""
    mine = [h for h in _regie_households(session, actor, today) if h in enrolled]
    if mine:
        return mine[0]
    taken = set(session.scalars(select(Regie.household_id).where(Regie.actief.is_(True))))
    free = next((h for h in enrolled if h not in taken), None)
    if free is None:
        return None
    session.add(Regie(household_id=free, houder_user_id=actor.user_id, doel=REGIE_DOEL,
                      start=today - dt.timedelta(days=30), actief=True,
                      aangemaakt_door=actor.user_id))  # fmt: skip
    session.flush()
    return free


def _low_log(session, household_id, experiment_id, today, k) -> int:
    recent = session.scalar(
        select(StabilityLog.id).where(
            StabilityLog.household_id == household_id,
            StabilityLog.veiligheid <= VEILIGHEID_MAX,
            StabilityLog.datum >= logs_since(today),
        )
    )
    worker = _worker(session, experiment_id)
    if recent is not None or worker is None:
        return 0
    log_situation(
        session, worker, household_id, today - dt.timedelta(days=1 + k % 5),
        bestaanszekerheid=2, zorgcontinuiteit=3, meedoen=2, veiligheid=2,
        stressors=[], acute_problemen="Spanningen thuis na een dreigende huisuitzetting",
        wat_gedaan="Samen met de bewoner de huurachterstand op een rij gezet",
        verhaal=None, today=today,
    )  # fmt: skip
    return 1


def _waiting_review(session, actor, colleagues, table, today, enrolled) -> int:
    reviews = next(s for s in SOURCES if s.kind == "review")
    if reviews.fetch(session, actor, today, 0)[0]:  # counted, not viewed: no audit row
        return 0
    author = next((c for c in colleagues if c.user_id != actor.user_id), None)
    if author is None:
        return 0
    household = _enrolled_regie(session, author, today, enrolled)
    if household is None:
        return 0
    for member in (actor, author):
        ct.add_member(session, SYSTEM, table.id, member.user_id)
    meeting = ct.plan_meeting(session, author, table.id, today - dt.timedelta(days=3))
    item = ct.put_on_agenda(session, author, table, household,
                            "Huurachterstand en spanningen thuis: wie doet wat?", None,
                            meeting.datum, meeting.id)  # fmt: skip
    decisions.decide(session, author, item.id,
                     "Eenmalige bijdrage voor de huurachterstand en een vaste contactpersoon",
                     "maatwerk", meeting.datum)  # fmt: skip
    return 1


def _goal_and_referral(session, actor, household_id, today) -> int:
    mine = _regie_households(session, actor, today)
    has_goal = session.scalar(
        select(PlanGoal.id)
        .join(HouseholdPlan, HouseholdPlan.id == PlanGoal.plan_id)
        .where(HouseholdPlan.household_id.in_(mine))
        .limit(1)
    )
    has_referral = session.scalar(
        select(Referral.id).where(Referral.household_id.in_(mine)).limit(1)
    )
    added = 0
    if has_goal is None:
        plan = session.scalar(
            select(HouseholdPlan).where(HouseholdPlan.household_id == household_id)
        )
        if plan is None:
            plan = HouseholdPlan(household_id=household_id, aangemaakt_door=actor.user_id)
            session.add(plan)
            session.flush()
        session.add(PlanGoal(
            plan_id=plan.id, levensgebied="huisvesting", hoek=corner_of("huisvesting"),
            doel="De huur wordt elke maand op tijd betaald", eigenaar_user_id=actor.user_id,
            evaluatiedatum=today + dt.timedelta(days=7), status="loopt",
            aangemaakt_door=actor.user_id,
        ))  # fmt: skip
        added += 1
    institution = session.scalar(
        select(Institution).order_by(Institution.naam.ilike("%woning%").desc(), Institution.id)
    )
    if has_referral is None and institution is not None:
        sent = today - dt.timedelta(days=14)
        while add_working_days(sent, 5) >= today:
            sent -= dt.timedelta(days=1)
        session.add(Referral(
            household_id=household_id, institution_id=institution.id,
            taak="Betalingsregeling voor de huurachterstand afspreken",
            contact=f"{actor.naam} (regiehouder)", verstuurd_op=sent, status="verstuurd",
            aangemaakt_door=actor.user_id,
        ))  # fmt: skip
        added += 1
    session.flush()
    return added


def seed_worklist(session: Session, today: dt.date | None = None) -> dict[str, int]:
    """Give every active GBD-er a worklist with every kind; returns counts of what was added."""
    today = today or dt.date.today()
    counts = {"regie": 0, "logs": 0, "reviews": 0, "doelen_verwijzingen": 0}
    users = _gbd_users(session)
    enrolled = _enrolled(session)
    tables = {t.naam: t for t in ct.ensure_tables(session)}
    if not users or not enrolled or TABLE not in tables:
        return counts
    for k, actor in enumerate(users):
        before = set(_regie_households(session, actor, today))
        household = _enrolled_regie(session, actor, today, enrolled)
        if household is None:
            continue
        counts["regie"] += household not in before
        counts["logs"] += _low_log(session, household, enrolled[household], today, k)
        counts["reviews"] += _waiting_review(session, actor, users, tables[TABLE], today, enrolled)
        counts["doelen_verwijzingen"] += _goal_and_referral(session, actor, household, today)
    session.flush()
    return counts
