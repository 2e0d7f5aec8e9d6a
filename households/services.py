"""Use cases of the household context that are not import or search."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from households.figurecache import cached_figures
from households.models import Household, Person, Provision

__all__ = ["PopulationCounts", "population_counts"]


@dataclass(frozen=True)
class PopulationCounts:
    """How many households, persons and provisions the hub holds (no identities)."""

    households: int
    persons: int
    provisions: int


def population_counts(session: Session) -> PopulationCounts:
    """Counts of households, persons and provisions (no identities; safe for every role).

    Kept in the figure cache until one of the three tables changes: the Start page shows
    them on every run, and three full counts cost 65 ms at 135,000 households.
    """
    return cached_figures(session, "populatie", (), _count,
                          ("household", "person", "provision"))  # fmt: skip


def _count(session: Session) -> PopulationCounts:
    return PopulationCounts(
        households=session.scalar(select(func.count()).select_from(Household)) or 0,
        persons=session.scalar(select(func.count()).select_from(Person)) or 0,
        provisions=session.scalar(select(func.count()).select_from(Provision)) or 0,
    )
