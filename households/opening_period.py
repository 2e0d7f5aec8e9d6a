"""How long opening a household gives a GBD-er access: a period ``beheer`` sets.

A GBD-er who opens a household (with a stated purpose) may see it through the end of
the Dutch calendar day ``N`` days later: opened on 1 November with ``N = 30`` gives
access through 1 December, not on 2 December. Regie and a case table give access of
their own, regardless of the period (``coordination.access``). The period is kept in
the ``instelling`` table (default :data:`DEFAULT_DAYS`); a change is audited with the
old and the new value.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize
from households.actor import Actor
from households.db import transaction_memo, utcnow
from households.errors import InvalidInput
from households.refmodels import AppSetting

__all__ = [
    "KEY", "DEFAULT_DAYS", "MIN_DAYS", "MAX_DAYS", "opening_period_days",
    "set_opening_period_days", "start_of_local_day_utc", "opening_valid_since",
]  # fmt: skip

KEY = "toegang_na_openen_dagen"
DEFAULT_DAYS = 30
MIN_DAYS, MAX_DAYS = 1, 365


def _zone() -> dt.tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Amsterdam")
    except Exception:  # no tz database on this machine: UTC days
        return dt.UTC


def start_of_local_day_utc(day: dt.date) -> dt.datetime:
    """Midnight at the start of Dutch calendar ``day``, as the naive UTC that columns store.

    >>> start_of_local_day_utc(dt.date(2026, 7, 1))
    datetime.datetime(2026, 6, 30, 22, 0)
    """
    local = dt.datetime.combine(day, dt.time(0), tzinfo=_zone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def today_local() -> dt.date:
    """Today in the Netherlands."""
    return dt.datetime.now(_zone()).date()


def opening_period_days(session: Session) -> int:
    """The period in days (``DEFAULT_DAYS`` when the setting is missing); read once per
    transaction (every access check of a page asks)."""
    memo = transaction_memo(session)
    if KEY not in memo:
        value = session.scalar(select(AppSetting.waarde).where(AppSetting.sleutel == KEY))
        memo[KEY] = DEFAULT_DAYS if value is None else int(value)
    return memo[KEY]


def opening_valid_since(session: Session, today: dt.date | None = None) -> dt.datetime:
    """The earliest ``geopend_op`` (naive UTC) of an opening that still gives access today."""
    today = today or today_local()
    return start_of_local_day_utc(today - dt.timedelta(days=opening_period_days(session)))


def set_opening_period_days(session: Session, actor: Actor, days: object) -> int:
    """Set the period (``beheer``; whole days, 1–365); audited with the old and new value."""
    authorize(session, actor, "toegangsduur_wijzigen")
    if isinstance(days, bool) or not isinstance(days, int):
        raise InvalidInput("Geef het aantal dagen op als heel getal.")
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidInput(f"Kies een termijn van {MIN_DAYS} tot en met {MAX_DAYS} dagen.")
    row = session.get(AppSetting, KEY)
    old = DEFAULT_DAYS if row is None else row.waarde
    if row is None:
        row = AppSetting(sleutel=KEY, waarde=days)
        session.add(row)
    row.waarde, row.gewijzigd_op, row.gewijzigd_door = days, utcnow(), actor.user_id
    session.flush()
    transaction_memo(session).pop(KEY, None)
    audit.record(session, actor, audit.Event.TOEGANGSDUUR_WIJZIGEN, "instelling", KEY,
                 oud={"dagen": old}, nieuw={"dagen": days})  # fmt: skip
    return days
