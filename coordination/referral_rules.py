"""When a referral to a partner is escalated to the regie holder (DESIGN 4.4): one home.

A referral that the partner has not accepted (or declined) within
:data:`ACCEPT_WITHIN_WORKING_DAYS` Dutch working days after it was sent, or that is past its
deadline and not closed, appears on the regie holder's worklist. Pure: the worklist, the
partner's screen, the steering figures and the tests all call :func:`escalation`.
"""

from __future__ import annotations

import datetime as dt

from households.workdays import add_working_days

__all__ = [
    "ACCEPT_WITHIN_WORKING_DAYS", "OPEN_STATUSES", "accept_by", "escalation", "answered_in_time",
]  # fmt: skip

ACCEPT_WITHIN_WORKING_DAYS = 5
OPEN_STATUSES = ("verstuurd", "geaccepteerd")  # still expecting something from the partner

NOT_ACCEPTED = "niet_geaccepteerd"
OVERDUE = "over_deadline"
REASONS = {
    NOT_ACCEPTED: "Niet geaccepteerd binnen 5 werkdagen",
    OVERDUE: "Deadline verstreken",
}


def accept_by(sent_on: dt.date) -> dt.date:
    """The last day the partner can accept or decline without escalation.

    >>> accept_by(dt.date(2026, 12, 22))  # Christmas and a weekend in the window
    datetime.date(2026, 12, 30)
    """
    return add_working_days(sent_on, ACCEPT_WITHIN_WORKING_DAYS)


def escalation(
    status: str, sent_on: dt.date, deadline: dt.date | None, today: dt.date
) -> str | None:
    """Why a referral is escalated on ``today`` (a key of :data:`REASONS`), or None.

    >>> escalation("verstuurd", dt.date(2026, 12, 22), None, dt.date(2026, 12, 30))
    >>> escalation("verstuurd", dt.date(2026, 12, 22), None, dt.date(2026, 12, 31))
    'niet_geaccepteerd'
    >>> d = dt.date
    >>> escalation("geaccepteerd", d(2026, 12, 1), d(2026, 12, 10), d(2026, 12, 11))
    'over_deadline'
    >>> escalation("afgerond", d(2026, 12, 1), d(2026, 12, 10), d(2027, 1, 11))
    """
    if status not in OPEN_STATUSES:
        return None
    if deadline is not None and today > deadline:
        return OVERDUE
    if status == "verstuurd" and today > accept_by(sent_on):
        return NOT_ACCEPTED
    return None


def answered_in_time(sent_on: dt.date, answered_on: dt.date | None) -> bool:
    """True when the partner accepted or declined by :func:`accept_by` (feedback compliance).

    >>> answered_in_time(dt.date(2026, 12, 22), dt.date(2026, 12, 30))
    True
    >>> answered_in_time(dt.date(2026, 12, 22), dt.date(2026, 12, 31))
    False
    >>> answered_in_time(dt.date(2026, 12, 22), None)
    False
    """
    return answered_on is not None and answered_on <= accept_by(sent_on)
