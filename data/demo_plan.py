"""Demo data for the household plan (seeded by ``kiss demo`` after the case tables and regie).

For every household whose regie a GBD-er holds: a plan with goals in every status (open,
loopt, bereikt, niet bereikt, vervallen) with progress notes, review dates that are past,
near and far (so "evaluatie nodig" shows), and owners of every kind (the holder, a
department, a partner institution). Decisions in force for those households become goals
too, added by a member of the table (the goal keeps the decision). Everything goes through
the plan service (access checks, history and audit rows as in real use). Deterministic for
a seed and date; does nothing when plans already exist.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.casetables import decision_status
from coordination.loopmodels import HouseholdPlan
from coordination.models import AgendaItem, Decision, Regie, Review
from coordination.plan import add_goal, add_goal_from_decision, change_goal
from households.actor import Actor
from households.models import Institution, User

__all__ = ["seed_plans", "GOALS"]

# (life area, aim in plain words, owner kind, review in days after the start, history)
# history: (days after the start, new status or None, note)
GOALS = (
    ("financien", "De vaste lasten worden elke maand op tijd betaald", "afdeling", 30,
     ((5, "loopt", "Budgetcoach gestart, eerste afspraak gemaakt"),
      (12, None, "Huur en energie gaan nu automatisch"))),
    ("huisvesting", "De huurachterstand is afgelost en de woning blijft behouden", "instelling",
     16, ((4, "loopt", "Betalingsregeling met de verhuurder getekend"),)),
    ("sociaal_netwerk", "Eén vaste avond per week naar het buurthuis", "gbd", 45, ()),
    ("geestelijke_gezondheid", "Een vaste hulpverlener bij de huisarts voor de somberheid",
     "afdeling", 25, ((6, "loopt", "Aangemeld bij de POH-GGZ"),
                      (14, "bereikt", "Loopt nu elke twee weken gesprekken"))),
    ("werk_opleiding", "Start met vrijwilligerswerk als opstap naar werk", "instelling", 60,
     ((8, "niet_bereikt", "Past nu niet: eerst rust in de schulden"),)),
    ("adl", "Hulp bij het huishouden voor de zware taken", "afdeling", 20,
     ((3, "vervallen", "Dochter neemt dit op zich; niet meer nodig"),)),
)  # fmt: skip
DEPARTMENTS = ("ISD BOL", "Team Wmo", "Team Jeugd", "Schuldhulpverlening")
FROM_DECISION = ("financien", "Het besluit van de tafel is uitgevoerd en werkt voor het gezin")


def _holders(session: Session) -> list[tuple[int, Actor]]:
    """(household id, holder) for every active regie held by an active GBD-er."""
    rows = session.execute(
        select(Regie.household_id, User.id, User.naam, User.rol)
        .join(User, User.id == Regie.houder_user_id)
        .where(Regie.actief.is_(True), User.rol == "gbd", User.actief.is_(True))
        .order_by(Regie.household_id)
    )
    return [(hid, Actor(uid, naam, rol)) for hid, uid, naam, rol in rows]


def _owner(kind: str, holder: Actor, institutions: list[int], rng: random.Random) -> dict:
    if kind == "gbd" or (kind == "instelling" and not institutions):
        return {"eigenaar_user_id": holder.user_id}
    if kind == "instelling":
        return {"eigenaar_instelling_id": rng.choice(institutions)}
    return {"eigenaar_afdeling": rng.choice(DEPARTMENTS)}


def _seed_goal(session, holder, hid, goal, start, institutions, rng) -> int:
    area, aim, kind, review_days, history = goal
    made = add_goal(session, holder, hid, levensgebied=area, doel=aim,
                    evaluatiedatum=start + dt.timedelta(days=review_days), date=start,
                    **_owner(kind, holder, institutions, rng))  # fmt: skip
    version = made.versie
    for days, status, note in history:
        changed = change_goal(session, holder, made.id, version, status=status, notitie=note,
                              date=start + dt.timedelta(days=days))  # fmt: skip
        version = changed.versie
    return 1 + len(history)


def _decisions_in_force(session: Session, households: set[int]) -> list[Decision]:
    rows = session.execute(
        select(Decision, Review)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
        .outerjoin(Review, Review.decision_id == Decision.id)
        .where(AgendaItem.household_id.in_(households))
        .order_by(Decision.id)
    ).all()
    return [d for d, r in rows if decision_status(d, r) == "in werking"]


def seed_plans(session: Session, seed: int = 42, today: dt.date | None = None) -> dict:
    """Seed the plans of the households with regie; returns counts (zero when skipped)."""
    today = today or dt.date.today()
    counts = {"plannen": 0, "doelen": 0, "voortgang": 0, "uit_besluit": 0}
    if session.scalar(select(HouseholdPlan.id).limit(1)) is not None:
        return counts
    rng = random.Random(seed)
    institutions = list(session.scalars(select(Institution.id).order_by(Institution.id)))
    holders = _holders(session)
    regie_start = dict(
        session.execute(select(Regie.household_id, Regie.start).where(Regie.actief.is_(True))).all()
    )
    for n, (hid, holder) in enumerate(holders):
        # Goals start on the regie's first day (or 3 weeks ago): some reviews are due now.
        start = max(regie_start[hid], today - dt.timedelta(days=21))
        goals = GOALS[n % len(GOALS) :] + GOALS[: n % len(GOALS)]  # every status across plans
        for goal in goals[: 4 + n % 3]:
            counts["voortgang"] += _seed_goal(session, holder, hid, goal, start, institutions, rng)
            counts["doelen"] += 1
        counts["plannen"] += 1
    by_household = dict(holders)
    for decision in _decisions_in_force(session, set(by_household)):
        item = session.get(AgendaItem, decision.agenda_item_id)
        area, aim = FROM_DECISION
        add_goal_from_decision(
            session, _author(session, decision), decision.id, levensgebied=area, doel=aim,
            evaluatiedatum=today + dt.timedelta(days=28), date=today,
            eigenaar_user_id=by_household[item.household_id].user_id,
        )  # fmt: skip
        counts["uit_besluit"] += 1
        counts["doelen"] += 1
        counts["voortgang"] += 1
    session.flush()
    return counts


def _author(session: Session, decision: Decision) -> Actor:
    user = session.get(User, decision.besloten_door)
    return Actor(user.id, user.naam, user.rol)
