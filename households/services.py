"""Use cases of the household context that are not import or search."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from households.models import Household, Person, Provision

__all__ = ["population_counts"]


def population_counts(session: Session) -> dict[str, int]:
    """Counts of households, persons and provisions (no identities; safe for every role)."""
    return {
        "households": session.scalar(select(func.count()).select_from(Household)) or 0,
        "persons": session.scalar(select(func.count()).select_from(Person)) or 0,
        "provisions": session.scalar(select(func.count()).select_from(Provision)) or 0,
    }
