"""The worklist rows of schuldhulp (issue 15): norm deadlines about to be missed, or missed.

For each of the GBD-er's open trajectories (:func:`coordination.shv_view.deadlines`: mine,
and only where I may see the household) the norm that runs in its step is on the list from
:data:`~coordination.shv_rules.WARN_DAYS_BEFORE` (working) days before its last day
(``nu``; a crisis ``acuut``) and stays there once the day has passed (``te laat``) until
the step is recorded. The rule is :func:`coordination.shv_rules.norm_state`; the date
shown is the last day on time. :mod:`experiments.worklist` adds this source to the list.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.shv_rules import NORM_CRISIS
from coordination.shv_view import deadlines
from coordination.worklist import ACUUT, NU, TE_LAAT, WorkItem
from households.actor import Actor
from households.models import Household

__all__ = ["schuldhulp_norms"]


def schuldhulp_norms(session: Session, actor: Actor, today: dt.date, limit: int):
    """Worklist source: my trajectories whose norm deadline is near or passed (count, rows)."""
    due = [d for d in deadlines(session, actor, today) if d.status is not None]
    codes = dict(session.execute(
        select(Household.id, Household.huishouden_id)
        .where(Household.id.in_({d.household_id for d in due}))
    ).all())  # fmt: skip
    items = []
    for d in due:
        late = TE_LAAT if d.status == "te_laat" else NU
        urgency = ACUUT if d.norm == NORM_CRISIS else late
        items.append(WorkItem("schuldhulp", d.household_id, codes[d.household_id],
                              f"Schuldhulp: {d.text}", d.uiterlijk, urgency,
                              (d.traject_id,)))  # fmt: skip
    items.sort(key=lambda i: i.sort_key)
    return len(items), items[:limit]
