"""Checking what a user typed for the household plan: one Dutch message per mistake.

Every function raises :class:`~households.errors.InvalidInput` (nothing is written yet)
or returns the cleaned values; :mod:`coordination.plan` calls them before any access
check or write.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from coordination.loopmodels import GOAL_CORNERS, GOAL_STATUSES, PlanGoal
from coordination.plan_rules import LIFE_AREA_LABELS, STATUS_LABELS, corner_of
from households.access import valid_id
from households.errors import InvalidInput
from households.formatting import date as nl_date
from households.models import Institution, User
from households.validation import clean_text

__all__ = ["NEEDS_NOTE", "MAX_REVIEW_DAYS", "checked_date", "goal_fields", "change_fields"]

NEEDS_NOTE = ("niet_bereikt", "vervallen")  # closing a goal without success needs a reason
MAX_REVIEW_DAYS = 2 * 366  # a review date at most two years ahead


def checked_date(value, label: str) -> dt.date:
    """``value`` as a date, or InvalidInput naming ``label``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise InvalidInput(f"{label}: geef een geldige datum op.")


def _review_date(value, today: dt.date) -> dt.date:
    when = checked_date(value, "De evaluatiedatum")
    if when < today:
        raise InvalidInput("De evaluatiedatum ligt in het verleden: kies vandaag of later.")
    if when > today + dt.timedelta(days=MAX_REVIEW_DAYS):
        raise InvalidInput("De evaluatiedatum ligt meer dan twee jaar vooruit: kies een eerdere.")
    return when


def goal_fields(session, levensgebied, hoek, doel, evaluatiedatum, today, owner) -> dict:
    """Every field of a new goal checked (InvalidInput in Dutch), as PlanGoal keywords."""
    if levensgebied not in LIFE_AREA_LABELS:
        raise InvalidInput("Kies een levensgebied.")
    hoek = hoek or corner_of(levensgebied)
    if hoek not in GOAL_CORNERS:
        raise InvalidInput("Kies een hoek van de stabiliteitsdriehoek.")
    return {
        "levensgebied": levensgebied,
        "hoek": hoek,
        "doel": clean_text(doel, "Het doel", 5, 500),
        "evaluatiedatum": _review_date(evaluatiedatum, today),
        **_owner(session, *owner),
    }


def _owner(session: Session, user_id, afdeling, instelling_id) -> dict:
    """Exactly one owner: an active GBD-er, a department, or a partner institution."""
    afdeling = afdeling.strip() if isinstance(afdeling, str) else afdeling
    given = [x for x in (user_id, afdeling or None, instelling_id) if x is not None]
    if len(given) != 1:
        raise InvalidInput("Kies één eigenaar: een GBD-er, een afdeling of een instelling.")
    if user_id is not None:
        user = session.get(User, user_id) if valid_id(user_id) else None
        if user is None or not user.actief or user.rol != "gbd":
            raise InvalidInput("De eigenaar moet een actieve GBD-er zijn.")
    if instelling_id is not None and (
        not valid_id(instelling_id) or session.get(Institution, instelling_id) is None
    ):
        raise InvalidInput("Onbekende instelling.")
    if afdeling:
        afdeling = clean_text(afdeling, "De afdeling", 2, 120)
    return {
        "eigenaar_user_id": user_id,
        "eigenaar_afdeling": afdeling or None,
        "eigenaar_instelling_id": instelling_id,
    }


def change_fields(goal: PlanGoal, status, notitie, evaluatiedatum, today: dt.date):
    """The checked new status, note and review date (InvalidInput when nothing changes)."""
    new_status = goal.status if status is None else status
    if new_status not in GOAL_STATUSES:
        raise InvalidInput("Kies een geldige status.")
    note = clean_text(notitie, "De notitie", 0, 2000) or None
    new_date = goal.evaluatiedatum
    if evaluatiedatum is not None:
        new_date = _review_date(evaluatiedatum, today)
    if new_status == goal.status and note is None and new_date == goal.evaluatiedatum:
        raise InvalidInput(
            "Er is niets gewijzigd: kies een andere status, schrijf een notitie over de "
            "voortgang of kies een nieuwe evaluatiedatum."
        )
    if new_status != goal.status and new_status in NEEDS_NOTE and note is None:
        raise InvalidInput(
            f"Schrijf bij '{STATUS_LABELS[new_status].lower()}' in de notitie waarom."
        )
    if new_date != goal.evaluatiedatum:
        line = f"Nieuwe evaluatiedatum: {nl_date(new_date)}."
        note = f"{note.rstrip('.')}. {line}" if note else line
    return new_status, note, new_date
