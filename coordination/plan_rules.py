"""The household plan's definitions (DESIGN 4.4): one home for life areas, corners, statuses
and when a goal is due for review. Pure; the plan service, the household page, the printed
plan, the worklist, the steering figures and the tests all use these.
"""

from __future__ import annotations

import datetime as dt

from coordination.loopmodels import GOAL_CORNERS, GOAL_STATUSES, LIFE_AREAS

__all__ = [
    "LIFE_AREA_LABELS", "CORNER_OF_LIFE_AREA", "CORNER_LABELS", "STATUS_LABELS",
    "OPEN_GOAL_STATUSES", "REVIEW_HORIZON_DAYS", "corner_of", "review_due",
]  # fmt: skip

# Zelfredzaamheid-Matrix domains, in plain Dutch.
LIFE_AREA_LABELS = {
    "financien": "Financiën",
    "werk_opleiding": "Werk en opleiding",
    "tijdsbesteding": "Tijdsbesteding",
    "huisvesting": "Huisvesting",
    "huiselijke_relaties": "Huiselijke relaties",
    "geestelijke_gezondheid": "Geestelijke gezondheid",
    "lichamelijke_gezondheid": "Lichamelijke gezondheid",
    "verslaving": "Verslaving",
    "adl": "Dagelijkse verzorging (ADL)",
    "sociaal_netwerk": "Sociaal netwerk",
    "maatschappelijke_participatie": "Meedoen in de samenleving",
    "justitie": "Justitie",
}

# Which corner of the stability triangle a life area serves (veiligheid is the base).
CORNER_OF_LIFE_AREA = {
    "financien": "bestaanszekerheid",
    "werk_opleiding": "bestaanszekerheid",
    "huisvesting": "bestaanszekerheid",
    "geestelijke_gezondheid": "zorgcontinuiteit",
    "lichamelijke_gezondheid": "zorgcontinuiteit",
    "verslaving": "zorgcontinuiteit",
    "adl": "zorgcontinuiteit",
    "tijdsbesteding": "meedoen",
    "sociaal_netwerk": "meedoen",
    "maatschappelijke_participatie": "meedoen",
    "huiselijke_relaties": "veiligheid",
    "justitie": "veiligheid",
}

CORNER_LABELS = {
    "bestaanszekerheid": "Bestaanszekerheid",
    "zorgcontinuiteit": "Zorgcontinuïteit",
    "meedoen": "Meedoen",
    "veiligheid": "Veiligheid",
}

STATUS_LABELS = {
    "open": "Open",
    "loopt": "Loopt",
    "bereikt": "Bereikt",
    "niet_bereikt": "Niet bereikt",
    "vervallen": "Vervallen",
}

OPEN_GOAL_STATUSES = ("open", "loopt")
REVIEW_HORIZON_DAYS = 14  # a goal shows on the worklist two weeks before its review date

assert set(LIFE_AREA_LABELS) == set(LIFE_AREAS) == set(CORNER_OF_LIFE_AREA)
assert set(CORNER_LABELS) == set(GOAL_CORNERS) and set(STATUS_LABELS) == set(GOAL_STATUSES)


def corner_of(life_area: str) -> str:
    """The corner a life area serves.

    >>> corner_of("huisvesting"), corner_of("justitie")
    ('bestaanszekerheid', 'veiligheid')
    """
    return CORNER_OF_LIFE_AREA[life_area]


def review_due(status: str, review_date: dt.date, today: dt.date) -> bool:
    """True when an open goal's review date is within :data:`REVIEW_HORIZON_DAYS` or past.

    >>> review_due("loopt", dt.date(2026, 12, 10), dt.date(2026, 11, 26))
    True
    >>> review_due("loopt", dt.date(2026, 12, 11), dt.date(2026, 11, 26))
    False
    >>> review_due("bereikt", dt.date(2026, 11, 1), dt.date(2026, 11, 26))
    False
    """
    if status not in OPEN_GOAL_STATUSES:
        return False
    return review_date <= today + dt.timedelta(days=REVIEW_HORIZON_DAYS)
