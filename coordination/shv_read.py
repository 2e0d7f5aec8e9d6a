"""Read-only view of the schuldhulp trajectories for aggregate figures (issue 15).

A small reader over ``schuldhulptraject`` and ``schuldhulp_stap`` (coordination/shvmodels.py)
used by the KISS pipeline (:mod:`coordination.shv_pipeline`), the non-take-up rule and the
experiment evaluation. It returns plain frames (no names, no BSN); the service that calls it
checks access and audits. Per-trajectory rows with their deadlines (worklist, household
page) come from :mod:`coordination.shv_data`; both take every deadline from
:func:`coordination.shv_rules.deadline_of`, so a norm is measured one way everywhere.

Rules "on D" for a trajectory (one home):

- *open on D*: ``aangemeld_op <= D`` and not ended on or before D;
- *step on D*: the last step row dated on or before D (the aanmelding when none);
- *eerste gesprek*: the first ``eerste_gesprek`` step row;
- *reached a step by D*: a step row of that step dated on or before D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.shvmodels import DebtTrajectory, DebtTrajectoryStep
from households.models import Household

__all__ = ["TRAJECTORY_COLUMNS", "trajectory_frames", "step_on", "reached_by", "open_on"]

TRAJECTORY_COLUMNS = [
    "traject_id", "household_id", "wijk", "bron", "aangemeld_op", "crisis", "crisis_soort",
    "beeindigd_op", "reden_einde", "eerste_gesprek_op",
]  # fmt: skip
#: The tables these figures read (households/dataversion.py, for cached figures).
SHV_TABLES = ("household", "schuldhulptraject", "schuldhulp_stap")


def trajectory_frames(
    session: Session, household_ids: Sequence[int] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(trajectories, steps)``: one row per trajectory, and every step row; of every
    household, or only of ``household_ids`` (indexed: one household's page reads its own).

    ``steps`` has ``traject_id``, ``stap``, ``datum`` in date order (ties by id).
    """
    mine = ([] if household_ids is None
            else [DebtTrajectory.household_id.in_(list(household_ids))])  # fmt: skip
    rows = session.execute(
        select(
            DebtTrajectory.id, DebtTrajectory.household_id, Household.wijk, DebtTrajectory.bron,
            DebtTrajectory.aangemeld_op, DebtTrajectory.crisis, DebtTrajectory.crisis_soort,
            DebtTrajectory.beeindigd_op, DebtTrajectory.reden_einde,
        )
        .join(Household, Household.id == DebtTrajectory.household_id)
        .where(*mine)
        .order_by(DebtTrajectory.id)
    ).all()  # fmt: skip
    steps = pd.DataFrame(
        session.execute(
            select(
                DebtTrajectoryStep.traject_id, DebtTrajectoryStep.stap, DebtTrajectoryStep.datum
            )
            .where(*([] if household_ids is None else
                     [DebtTrajectoryStep.traject_id.in_(select(DebtTrajectory.id).where(*mine))]))
            .order_by(DebtTrajectoryStep.datum, DebtTrajectoryStep.id)
        ).all(),
        columns=["traject_id", "stap", "datum"],
    )
    first_talk = (
        steps[steps["stap"] == "eerste_gesprek"].groupby("traject_id")["datum"].min().to_dict()
    )
    frame = pd.DataFrame(
        [(*r, first_talk.get(r[0])) for r in rows], columns=TRAJECTORY_COLUMNS, dtype=object
    )
    frame["crisis"] = frame["crisis"].astype(bool)
    return frame, steps


def open_on(trajectories: pd.DataFrame, date: dt.date) -> pd.Series:
    """Whether each trajectory is open on ``date`` (boolean Series)."""
    started = trajectories["aangemeld_op"].map(lambda d: d <= date).astype(bool)
    ended = trajectories["beeindigd_op"].map(lambda d: d is not None and d == d and d <= date)
    ended = ended.astype(bool)
    return started & ~ended


def step_on(trajectories: pd.DataFrame, steps: pd.DataFrame, date: dt.date) -> pd.Series:
    """The step of each trajectory on ``date`` (Series indexed like ``trajectories``)."""
    known = steps[steps["datum"].map(lambda d: d <= date).astype(bool)]
    last = known.groupby("traject_id")["stap"].last().to_dict()
    return trajectories["traject_id"].map(lambda t: last.get(t, "aanmelding"))


def reached_by(steps: pd.DataFrame, stap: str, date: dt.date) -> dict[int, dt.date]:
    """Trajectory id -> first date it reached ``stap``, for those that did by ``date``."""
    hit = steps[(steps["stap"] == stap) & steps["datum"].map(lambda d: d <= date).astype(bool)]
    return hit.groupby("traject_id")["datum"].min().to_dict()
