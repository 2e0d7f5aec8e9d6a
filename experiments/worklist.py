"""The coordinator's worklist, whole: the coordination sources plus the stability logs.

The worklist itself (kinds, order, pagination, audit) is :mod:`coordination.worklist`; the
stability logs are the experiments context's table, so their source lives here and
:func:`my_worklist` composes the list the Werklijst page shows.

A log is on the list when it has veiligheid ≤ :data:`VEILIGHEID_MAX`, belongs to a
household the GBD-er holds an active regie for, and was observed in the last
:data:`~coordination.worklist.LOG_WINDOW_DAYS` days (its date, today included). There is
no per-user read state: the window is the same for everyone and a reload changes nothing.
Veiligheid 1 is ``acuut``, veiligheid 2 ``nu``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from coordination.shv_worklist import schuldhulp_norms
from coordination.worklist import (
    ACUUT,
    LOG_WINDOW_DAYS,
    NU,
    PER_PAGE,
    SOURCES,
    Source,
    WorkItem,
    Worklist,
    build_worklist,
    count_and_first,
    my_regie_households,
)
from experiments.models import StabilityLog
from households.actor import Actor
from households.models import Household, User

__all__ = ["VEILIGHEID_MAX", "logs_since", "stability_logs", "WORKLIST_SOURCES", "my_worklist"]

VEILIGHEID_MAX = 2


def logs_since(today: dt.date) -> dt.date:
    """The first log date on the list of ``today`` (the window is 14 days, today included).

    >>> logs_since(dt.date(2026, 11, 26))
    datetime.date(2026, 11, 13)
    """
    return today - dt.timedelta(days=LOG_WINDOW_DAYS - 1)


def stability_logs(session: Session, actor: Actor, today: dt.date, limit: int):
    """Worklist source: recent logs with veiligheid ≤ 2 on my regie households (count, rows)."""
    worker = aliased(User)
    base = (
        select(StabilityLog.id, StabilityLog.household_id, StabilityLog.datum,
               StabilityLog.veiligheid, Household.huishouden_id,
               func.coalesce(worker.weergavenaam, worker.naam).label("door"))
        .join(Household, Household.id == StabilityLog.household_id)
        .outerjoin(worker, worker.id == StabilityLog.door_user_id)
        .where(
            StabilityLog.household_id.in_(my_regie_households(actor, today)),
            StabilityLog.datum >= logs_since(today),
            StabilityLog.datum <= today,
        )
    )  # fmt: skip
    order = (StabilityLog.datum, StabilityLog.id)
    n1, acute = count_and_first(session, base.where(StabilityLog.veiligheid == 1), order, limit)
    n2, low = count_and_first(
        session,
        base.where(StabilityLog.veiligheid > 1, StabilityLog.veiligheid <= VEILIGHEID_MAX),
        order,
        limit,
    )
    items = [
        WorkItem("logboek", r.household_id, r.huishouden_id,
                 f"Veiligheid {r.veiligheid} van 5"
                 + (f", gelogd door {r.door}" if r.door else ""),
                 r.datum, ACUUT if r.veiligheid == 1 else NU, (r.id,))
        for r in (*acute, *low)
    ]  # fmt: skip
    items.sort(key=lambda i: i.sort_key)
    return n1 + n2, items[:limit]


WORKLIST_SOURCES: tuple[Source, ...] = (
    *SOURCES,
    Source("logboek", stability_logs),
    Source("schuldhulp", schuldhulp_norms),
)
"""Every source of the worklist, in the order of the counts on the page."""


def my_worklist(
    session: Session,
    actor: Actor,
    page: int = 1,
    per_page: int = PER_PAGE,
    today: dt.date | None = None,
) -> Worklist:
    """One page of the actor's worklist over every kind (gbd); one audit row per view."""
    return build_worklist(session, actor, WORKLIST_SOURCES, page, per_page, today)
