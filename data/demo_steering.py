"""Demo seeding of KISS steering: three goals with tussendoelen, and budget use over the year.

The goals go through :func:`coordination.steering.create_goal` (validated, audited); their
progress is computed from the demo data, never seeded. The Tussen-wal-en-schip budget
gets spends for the reviewed (agreed) maatwerk decisions of the demo's case tables,
through :func:`coordination.budget.spend`, so its use per month can be shown.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination import casetables as ct
from coordination import decisions
from coordination.budget import spend
from coordination.models import AgendaItem, BudgetSpend, Decision, Review
from coordination.steering import create_goal
from coordination.steeringmodels import SteeringGoal
from households.actor import SYSTEM, Actor
from households.errors import KissError
from households.models import Household, User

__all__ = ["demo_goals", "seed_steering"]

SPEND_REASONS = (
    "Huurachterstand betaald om huisuitzetting te voorkomen",
    "Eenmalige bijdrage energierekening tijdens wachttijd bijstand",
    "Overbrugging leefgeld tot de schuldhulp start",
    "Vervoer naar behandeling dat geen regeling vergoedt",
)


def demo_goals(today: dt.date) -> list[dict]:
    """The demo's goals, from the first of this year to the end of next year (or later)."""
    y = today.year
    return [
        {"titel": f"Regiegaten −50% eind {y + 1}", "indicator": "regiegaten",
         "start": dt.date(y, 1, 1), "deadline": dt.date(y + 1, 12, 31), "doelsoort": "relatief",
         "streefwaarde": -50, "tussendoelen": [(dt.date(y, 6, 30), -15), (dt.date(y, 12, 31), -30),
                                               (dt.date(y + 1, 6, 30), -40)],
         "toelichting": "Elk complex huishouden heeft een regisseur (K2: 1 huishouden, 1 plan, "
                        "1 regisseur)."},
        {"titel": f"80% van de hulpvragen via de centrale voordeur eind {y + 1}",
         "indicator": "centrale_voordeur", "start": dt.date(y, 1, 1),
         "deadline": dt.date(y + 1, 12, 31), "doelsoort": "absoluut", "streefwaarde": 80,
         "tussendoelen": [(dt.date(y, 12, 31), 50), (dt.date(y + 1, 6, 30), 65)],
         "toelichting": "Eén voordeur in plaats van drie (K2)."},
        {"titel": f"Gestapelde huishoudens (CBS) −10% eind {y + 2}", "indicator": "gestapeld_cbs",
         "start": dt.date(y, 1, 1), "deadline": dt.date(y + 2, 12, 31), "doelsoort": "relatief",
         "streefwaarde": -10, "tussendoelen": [(dt.date(y + 1, 12, 31), -5)],
         "toelichting": "Minder huishoudens in meerdere domeinen tegelijk, vergelijkbaar met "
                        "het CBS."},
    ]  # fmt: skip


def _cases_per_month(session: Session, today: dt.date, rng: random.Random) -> int:
    """Five to seven maatwerk cases a month this year at the first table (agreed in review).

    So the budget's use can be followed month by month (each month's spending covers
    5 or more households, the threshold for publishing an amount).
    """
    users = session.scalars(select(User).where(User.rol == "gbd", User.actief.is_(True))
                            .order_by(User.id)).all()  # fmt: skip
    if len(users) < 2:
        return 0
    author, reviewer = (Actor(u.id, u.naam, u.rol) for u in users[:2])
    table = ct.ensure_tables(session)[0]
    pool = list(session.scalars(select(Household.id).order_by(Household.id)))
    rng.shuffle(pool)
    n = 0
    for month in range(1, today.month):
        meeting = ct.plan_meeting(session, author, table.id, dt.date(today.year, month, 5))
        for _ in range(rng.randint(5, 7)):
            if not pool:
                return n
            item = ct.put_on_agenda(session, author, table, pool.pop(),
                                    "Vastgelopen: geen regeling past", None, meeting.datum,
                                    meeting.id)  # fmt: skip
            d = decisions.decide(session, author, item.id, SPEND_DECISION, "maatwerk",
                                 meeting.datum)  # fmt: skip
            decisions.review(session, reviewer, d.id, True, date=meeting.datum)
            n += 1
    return n


SPEND_DECISION = "Eenmalige bijdrage uit het Tussen-wal-en-schip-budget"


def _spends(session: Session, today: dt.date, seed: int) -> int:
    """Spend from this year's budget for agreed maatwerk decisions without a spend."""
    rng = random.Random(seed)
    rows = session.execute(
        select(Decision, AgendaItem.household_id)
        .join(Review, Review.decision_id == Decision.id)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .where(Decision.soort == "maatwerk", Review.akkoord.is_(True),
               Decision.id.not_in(select(BudgetSpend.decision_id)))
        .order_by(Decision.id)
    ).all()  # fmt: skip
    n = 0
    for decision, _household in rows:
        user = session.get(User, decision.besloten_door)
        actor = Actor(user.id, user.naam, user.rol)
        when = min(today, decision.besloten_op + dt.timedelta(days=rng.randint(1, 15)))
        if when.year != today.year:
            continue
        amount = f"{rng.choice((250, 400, 650, 900, 1200, 1850))},00"
        try:
            spend(session, actor, decision.id, amount, rng.choice(SPEND_REASONS), when)
        except KissError:  # budget used up, or the decider no longer at the table
            continue
        n += 1
    return n


def seed_steering(session: Session, seed: int = 42, today: dt.date | None = None) -> dict:
    """Seed the demo goals, monthly maatwerk cases and the budget's spends (once)."""
    today = today or dt.date.today()
    existing = set(session.scalars(select(SteeringGoal.titel)))
    if existing:
        return {"doelen": 0, "maatwerk": 0, "uitgaven": 0}  # seeded before
    for spec in demo_goals(today):
        create_goal(session, SYSTEM, **spec)
    rng = random.Random(seed)
    cases = _cases_per_month(session, today, rng)
    return {
        "doelen": len(demo_goals(today)),
        "maatwerk": cases,
        "uitgaven": _spends(session, today, seed),
    }
