"""Schuldhulp trajectories as plain rows: the read API for the KISS pipeline and the evaluation.

No actor and no audit row: these rows carry no personal data (no name, address, BSN or
note; a household is only its internal id and its wijk), so the caller — a KISS report
that authorizes its own action, an evaluation, a test — decides who sees what it makes of
them and applies its own small-number suppression. Every date is as known on ``until``:
steps recorded after ``until`` are left out, a trajectory registered after it is absent.

The norm deadlines on a row come from the one home of the rules
(:func:`coordination.shv_rules.deadline_of`) with the terms ``beheer`` set now
(:func:`households.norms.norm_days`): a report compares the dates with the same norm the
worklist warns with.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.shv_rules import NORM_LABELS, deadline_of, running_norm
from coordination.shvmodels import DebtInArrangement, DebtTrajectory, DebtTrajectoryStep
from households.models import Household
from households.norms import NORMS, norm_days

__all__ = ["NormTerms", "TrajectoryRow", "norm_terms", "trajectory_rows"]


@dataclass(frozen=True)
class NormTerms:
    """The current terms (days) of the schuldhulp norms, and the deadlines they give."""

    dagen: dict[str, int]

    def deadline(self, norm: str, start: dt.date) -> dt.date:
        """The last day on time of ``norm`` started on ``start`` (working days where it says)."""
        return deadline_of(start, self.dagen[norm], NORMS[norm].werkdagen)

    def first_conversation_by(self, aangemeld_op: dt.date, crisis: bool) -> dt.date:
        """The last day on time for the eerste gesprek (the crisis norm for a crisis)."""
        return self.deadline(running_norm("aanmelding", crisis), aangemeld_op)

    def plan_by(self, eerste_gesprek_op: dt.date) -> dt.date:
        """The last day on time for the plan van aanpak."""
        return self.deadline(running_norm("eerste_gesprek", False), eerste_gesprek_op)

    def review_on(self, budgetbeheer_sinds: dt.date) -> dt.date:
        """The day budgetbeheer started on ``budgetbeheer_sinds`` is due for re-assessment."""
        return self.deadline(running_norm("budgetbeheer", False), budgetbeheer_sinds)


def norm_terms(session: Session) -> NormTerms:
    """The schuldhulp norms as ``beheer`` set them (defaults otherwise)."""
    return NormTerms({n: norm_days(session, n) for n in NORM_LABELS})


@dataclass(frozen=True)
class TrajectoryRow:
    """One trajectory as known on ``until`` (no personal data).

    ``stappen`` is the history ``((stap, datum), ...)`` in order, the aanmelding first;
    ``stap`` the step reached last. ``eerste_gesprek_uiterlijk`` / ``plan_uiterlijk`` /
    ``herbeoordeling_op`` are the norm deadlines (None where the term has not started).
    ``budgetbeheer_sinds`` is the start of the latest budgetbeheer step.
    """

    traject_id: int
    household_id: int
    wijk: str
    bron: str
    aangemeld_op: dt.date
    crisis: bool
    crisis_soort: str | None
    stap: str
    stap_sinds: dt.date
    stappen: tuple[tuple[str, dt.date], ...]
    eerste_gesprek_op: dt.date | None
    plan_op: dt.date | None
    budgetbeheer_sinds: dt.date | None
    beeindigd_op: dt.date | None
    reden_einde: str | None
    eerste_gesprek_uiterlijk: dt.date
    plan_uiterlijk: dt.date | None
    herbeoordeling_op: dt.date | None
    schulden_in_regeling: int

    @property
    def open(self) -> bool:
        """Not ended on ``until``."""
        return self.beeindigd_op is None

    def reached(self, stap: str) -> dt.date | None:
        """The first date the trajectory reached ``stap`` (None: never, up to ``until``)."""
        return next((d for s, d in self.stappen if s == stap), None)


def _first(steps: list[tuple[str, dt.date]], name: str) -> dt.date | None:
    return next((d for s, d in steps if s == name), None)


def trajectory_rows(
    session: Session, until: dt.date, household_ids=None
) -> tuple[TrajectoryRow, ...]:
    """Every trajectory registered on or before ``until``, as known on ``until``, by id.

    ``household_ids`` (optional) narrows to those households (e.g. the enrolled and the
    comparison households of an evaluation).
    """
    stmt = (
        select(DebtTrajectory.id, DebtTrajectory.household_id, Household.wijk,
               DebtTrajectory.bron, DebtTrajectory.aangemeld_op, DebtTrajectory.crisis,
               DebtTrajectory.crisis_soort, DebtTrajectory.reden_einde)
        .join(Household, Household.id == DebtTrajectory.household_id)
        .where(DebtTrajectory.aangemeld_op <= until)
        .order_by(DebtTrajectory.id)
    )  # fmt: skip
    step_stmt = (
        select(DebtTrajectoryStep.traject_id, DebtTrajectoryStep.stap, DebtTrajectoryStep.datum)
        .join(DebtTrajectory, DebtTrajectory.id == DebtTrajectoryStep.traject_id)
        .where(DebtTrajectory.aangemeld_op <= until, DebtTrajectoryStep.datum <= until)
        .order_by(DebtTrajectoryStep.traject_id, DebtTrajectoryStep.datum, DebtTrajectoryStep.id)
    )
    debt_stmt = (
        select(DebtInArrangement.traject_id, func.count())
        .where(DebtInArrangement.opgenomen_op <= until)
        .group_by(DebtInArrangement.traject_id)
    )
    if household_ids is not None:
        ids = sorted({int(h) for h in household_ids})
        stmt = stmt.where(DebtTrajectory.household_id.in_(ids))
        step_stmt = step_stmt.where(DebtTrajectory.household_id.in_(ids))
    steps: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for traject_id, stap, datum in session.execute(step_stmt):
        steps[traject_id].append((stap, datum))
    debts = dict(session.execute(debt_stmt).all())
    terms = norm_terms(session)
    rows = []
    for r in session.execute(stmt):
        history = steps.get(r.id) or [("aanmelding", r.aangemeld_op)]
        stap, sinds = history[-1]
        ended = stap == "beeindigd"
        gesprek, plan = _first(history, "eerste_gesprek"), _first(history, "plan_van_aanpak")
        budget = next((d for s, d in reversed(history) if s == "budgetbeheer"), None)
        rows.append(TrajectoryRow(
            traject_id=r.id, household_id=r.household_id, wijk=r.wijk, bron=r.bron,
            aangemeld_op=r.aangemeld_op, crisis=bool(r.crisis), crisis_soort=r.crisis_soort,
            stap=stap, stap_sinds=sinds, stappen=tuple(history), eerste_gesprek_op=gesprek,
            plan_op=plan, budgetbeheer_sinds=budget,
            beeindigd_op=sinds if ended else None,
            reden_einde=r.reden_einde if ended else None,
            eerste_gesprek_uiterlijk=terms.first_conversation_by(r.aangemeld_op, bool(r.crisis)),
            plan_uiterlijk=terms.plan_by(gesprek) if gesprek else None,
            herbeoordeling_op=terms.review_on(budget) if budget else None,
            schulden_in_regeling=int(debts.get(r.id, 0)),
        ))  # fmt: skip
    return tuple(rows)
