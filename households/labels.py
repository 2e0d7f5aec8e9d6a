"""How a household is named on a list: its code, the hoofdbewoner's short name and the address.

Lists (the coordinator's worklist, the logbook and outreach lists, the regie gaps) show a
household as ``HH0000020 — J. Jansen, Kerkstraat 12, 6441 AB`` where the role may see it.
:func:`household_labels` reads the labels of a bounded set of households in two queries; it
checks no access and writes no audit row. :func:`visible_labels` is what a list calls: the
labels of the households the actor may see (at most :data:`LABELS_MAX`), audited as one
``naam_adres_inzien`` row per list view with the households and why they may be seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from households import audit
from households.access import household_access_reason
from households.actor import Actor
from households.models import Household, Person
from households.search import address, short_name

__all__ = ["HouseholdLabel", "LABELS_MAX", "address", "household_labels", "visible_labels"]

LABELS_MAX = 100  # names and addresses on one list view (a list longer than this shows codes)


@dataclass(frozen=True)
class HouseholdLabel:
    """A household as a list shows it (no BSN; the name is the hoofdbewoner's short name)."""

    household_id: int
    huishouden_id: str
    wijk: str
    buurt: str | None
    naam: str | None
    adres: str

    @property
    def who(self) -> str:
        """``name, address`` (the name left out when unknown)."""
        return ", ".join(x for x in (self.naam, self.adres) if x)

    @property
    def text(self) -> str:
        """``code — name, address``.

        >>> HouseholdLabel(1, "HH01", "Noord", None, "J. Jansen", "Kerkstraat 12").text
        'HH01 — J. Jansen, Kerkstraat 12'
        """
        return f"{self.huishouden_id} — {self.who}"


def household_labels(session: Session, household_ids: Iterable[int]) -> dict[int, HouseholdLabel]:
    """The labels of the given households (ids not found are left out). No access check."""
    ids = sorted(set(household_ids))
    if not ids:
        return {}
    households = session.scalars(select(Household).where(Household.id.in_(ids))).all()
    names: dict[int, str] = {}
    # The hoofdbewoner first, then the first person registered: one name per household.
    persons = session.execute(
        select(Person.household_id, Person.naam)
        .where(Person.household_id.in_(ids), Person.naam.is_not(None))
        .order_by(Person.household_id, Person.rol != "hoofdbewoner", Person.id)
    )
    for household_id, naam in persons:
        names.setdefault(household_id, short_name(naam))
    return {
        h.id: HouseholdLabel(h.id, h.huishouden_id, h.wijk, h.buurt, names.get(h.id), address(h))
        for h in households
    }


def visible_labels(
    session: Session, actor: Actor, household_ids: Iterable[int], lijst: str
) -> dict[int, HouseholdLabel]:
    """Labels of the listed households the actor may see (the first :data:`LABELS_MAX`).

    One audit row for the list (``lijst`` names it), not one per household; nothing is
    written when the actor may see none of them.
    """
    reasons = {}
    for household_id in list(dict.fromkeys(household_ids))[:LABELS_MAX]:
        reason = household_access_reason(session, actor, household_id)
        if reason is not None:
            reasons[household_id] = reason
    if not reasons:
        return {}
    audit.record(session, actor, audit.Event.NAAM_ADRES_INZIEN, "lijst", lijst,
                 doel=f"lijst {lijst}",
                 nieuw={"huishoudens": [[h, r] for h, r in reasons.items()]})  # fmt: skip
    return household_labels(session, reasons)
