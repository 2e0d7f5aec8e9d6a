"""Everything the steering page (Doelen en middelen) shows, in one call, as plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from coordination.budget import BudgetMonth, budget_use
from coordination.costs import steering_costs
from coordination.goal_progress import GoalProgress, goals_progress
from coordination.indicators import INDICATORS
from coordination.overview import is_synthetic
from coordination.steering import GoalView, list_goals
from households.actor import Actor

__all__ = ["SteeringScreen", "indicator_choices", "steering_screen"]


@dataclass(frozen=True)
class SteeringScreen:
    """Goals with progress, all goals (for editing), costs and the budget's use (protected)."""

    voortgang: list[GoalProgress]
    doelen: list[GoalView]
    kosten: dict
    budget_jaar: int
    budget: Decimal
    budget_maanden: list[BudgetMonth]
    synthetisch: bool


def indicator_choices() -> dict[str, str]:
    """Indicator key -> Dutch name with its unit, for the goal form."""
    return {k: f"{i.naam} ({i.eenheid})" for k, i in INDICATORS.items()}


def steering_screen(session: Session, actor: Actor, date: dt.date) -> SteeringScreen:
    """The steering page on reference date ``date`` (kiss; month ends; every read audited)."""
    progress = goals_progress(session, actor, date)
    goals = list_goals(session, actor, include_inactive=True)
    costs = steering_costs(session, actor, date)
    budget, months = budget_use(session, actor, date.year, date)
    return SteeringScreen(progress, goals, costs, date.year, budget, months,
                          is_synthetic(session))  # fmt: skip
