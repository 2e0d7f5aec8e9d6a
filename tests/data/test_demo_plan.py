"""Demo seeding of the household plan: every status, histories, goals from table decisions."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.loopmodels import GOAL_STATUSES, GoalProgress, HouseholdPlan, PlanGoal
from coordination.models import Regie
from coordination.plan import read_plan
from data.demo_coordination import seed_coordination
from data.demo_plan import seed_plans
from tests.builders import D, make_user
from tests.data.test_demo_coordination import _demo_world


def test_plans_for_every_regie_with_every_status_and_decisions(session):
    bram = make_user(session, "bram", "gbd")
    make_user(session, "gbd2", "gbd")
    _demo_world(session)
    seed_coordination(session, seed=3, today=D)
    counts = seed_plans(session, seed=3, today=D)
    regie = session.scalars(select(Regie.household_id).where(Regie.actief.is_(True))).all()
    assert (
        counts["plannen"]
        == len(regie)
        == session.scalar(select(func.count()).select_from(HouseholdPlan))
    )
    statuses = set(session.scalars(select(PlanGoal.status)))
    assert statuses == set(GOAL_STATUSES)
    assert counts["uit_besluit"] >= 1
    assert (
        session.scalar(select(func.count()).where(PlanGoal.decision_id.is_not(None)))
        == (counts["uit_besluit"])
    )
    assert session.scalar(select(func.count()).select_from(GoalProgress)) == counts["voortgang"]
    holder_plan = next(
        read_plan(session, a, hid, today=D)
        for hid in regie
        for a in [bram]
        if session.scalar(select(Regie.houder_user_id).where(Regie.household_id == hid,
                                                             Regie.actief.is_(True)))
        == bram.user_id
    )  # fmt: skip
    assert holder_plan.may_edit and any(g.evaluatie_nodig for g in holder_plan.goals)
    assert seed_plans(session, seed=3, today=D)["doelen"] == 0  # idempotent
