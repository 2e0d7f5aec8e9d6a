"""Progress of the KISS goals, computed from the data (never typed in).

For each goal: the **baseline** is the indicator's published value at the last quarter end
on or before the goal's start; the **stand** is its value on the reference date; a
relative target (-50 %) becomes an absolute one against the baseline. The planned path
runs straight from the baseline through the tussendoelen to the target at the deadline;
a goal is *op koers* when the stand is on the right side of that path today. Values
are the protected ones of :mod:`coordination.indicators`: a hidden value stays hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from coordination.indicators import INDICATORS, Point, indicator_points
from coordination.overview import steering_overview
from coordination.steering import GoalView, list_goals
from households.actor import Actor

__all__ = ["GoalProgress", "MilestoneState", "goals_progress", "planned_value", "progress_of"]


@dataclass(frozen=True)
class MilestoneState:
    """A tussendoel as an absolute value, and whether the data met it."""

    datum: dt.date
    doel: float | None
    stand: float | None
    status: str  # gehaald, niet gehaald, nog niet, onbekend


@dataclass(frozen=True)
class GoalProgress:
    """One goal with its baseline, stand, absolute target, status and the series to chart."""

    goal: GoalView
    indicator: str
    eenheid: str
    uitleg: str
    basisdatum: dt.date | None
    basiswaarde: float | None
    peildatum: dt.date
    stand: float | None
    stand_tekst: str
    streefwaarde: float | None
    voortgang: float | None  # share of the way from baseline to target (1.0 = reached)
    status: str
    tussendoelen: tuple[MilestoneState, ...]
    reeks: tuple[Point, ...]  # published values from the baseline on
    pad: tuple[tuple[dt.date, float], ...]  # the planned path


def _absolute(value: float, kind: str, base: float | None) -> float | None:
    if kind == "absoluut":
        return value
    return None if base is None else round(base * (1 + value / 100), 1)


def planned_value(path, d: dt.date) -> float | None:
    """The planned value on ``d``: straight lines between the points of ``path``.

    >>> p = ((dt.date(2026, 1, 1), 100.0), (dt.date(2026, 12, 31), 50.0))
    >>> planned_value(p, dt.date(2026, 7, 2)), planned_value(p, dt.date(2027, 1, 1))
    (75.0, 50.0)
    """
    if not path:
        return None
    if d <= path[0][0]:
        return path[0][1]
    for (d0, v0), (d1, v1) in zip(path, path[1:], strict=False):
        if d0 <= d <= d1:
            return round(v0 + (v1 - v0) * (d - d0).days / (d1 - d0).days, 1)
    return path[-1][1]


def _better_or_equal(value: float, target: float, down: bool) -> bool:
    return value <= target if down else value >= target


def _value_on(points: list[Point], d: dt.date) -> Point | None:
    before = [p for p in points if p.datum <= d]
    return before[-1] if before else None


def progress_of(goal: GoalView, points: list[Point], date: dt.date) -> GoalProgress:
    """The progress of ``goal`` from the indicator's published ``points`` up to ``date``."""
    ind = INDICATORS[goal.indicator]
    base_point = _value_on(points, goal.start)
    base = base_point.waarde if base_point else None
    now = _value_on(points, date)
    stand = now.waarde if now else None
    target = _absolute(goal.streefwaarde, goal.doelsoort, base)
    milestones = [(d, _absolute(v, goal.doelsoort, base)) for d, v in goal.tussendoelen]
    path: tuple = ()
    if base is not None and target is not None:
        path = ((base_point.datum, base), *((d, v) for d, v in milestones if v is not None),
                (goal.deadline, target))  # fmt: skip
    down = target is not None and base is not None and target < base
    states = []
    for d, v in milestones:
        p = _value_on(points, d) if d <= date else None
        if d > date:
            status = "nog niet"
        elif p is None or p.waarde is None or v is None:
            status = "onbekend"
        else:
            status = "gehaald" if _better_or_equal(p.waarde, v, down) else "niet gehaald"
        states.append(MilestoneState(d, v, p.waarde if p else None, status))
    progress = None
    if goal.start > date:
        status = "nog niet begonnen"
    elif base is None:
        status = "geen beginwaarde"
    elif stand is None:
        status = "niet te tonen (klein aantal)"
    else:
        if target != base:
            progress = round((stand - base) / (target - base), 3)
        if _better_or_equal(stand, target, down):
            status = "bereikt"
        elif _better_or_equal(stand, planned_value(path, date), down):
            status = "op koers"
        else:
            status = "achter op schema"
    since = base_point.datum if base_point else goal.start
    return GoalProgress(
        goal, ind.naam, ind.eenheid, ind.uitleg, base_point.datum if base_point else None, base,
        date, stand, now.tekst if now else "—", target, progress, status, tuple(states),
        tuple(p for p in points if since <= p.datum <= date), path,
    )  # fmt: skip


def goals_progress(session: Session, actor: Actor, date: dt.date) -> list[GoalProgress]:
    """Every active goal with its progress on ``date`` (kiss; month ends; audited)."""
    goals = list_goals(session, actor)
    overview = steering_overview(session, actor, date)  # protected; refuses non-month-ends
    points: dict[str, list[Point]] = {}
    out = []
    for goal in goals:
        if goal.indicator not in points:
            points[goal.indicator] = indicator_points(session, goal.indicator, overview)
        out.append(progress_of(goal, points[goal.indicator], date))
    return out
