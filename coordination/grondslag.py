"""The recorded basis (grondslag) for the household-wide view (DESIGN 8.3).

The domains of a household are combined on one of three recorded routes (the routes of
the Wet aanpak meervoudige problematiek sociaal domein, Kamerstuk 36 295):

- ``hulpvraag``: a help request of the resident, with the day the resident was told
  that the domains are combined (``help_request.bewoner_geinformeerd_op``);
- ``melding``: a melding (signal) by a professional: who (the source) and when;
- ``inschrijving``: an enrolment in a proeftuin with consent (``experiment_enrolment``).

:func:`household_bases` lists them, newest first; the household pages show them and the
audit row of every view names the newest (:func:`basis_label`). A melding's source is
named only when its category is shown to the reader (else "een professional").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Boolean, Date, Integer, column, select, table
from sqlalchemy.orm import Session

from households.categories import category_of_signal
from households.models import HelpRequest, Signal

__all__ = ["Basis", "basis_label", "household_bases"]

# Read by name: the experiments context sits above coordination (no import of its models).
_ENROLMENT = table("experiment_enrolment", column("household_id", Integer),
                   column("datum", Date), column("toestemming", Boolean))  # fmt: skip


@dataclass(frozen=True)
class Basis:
    """One recorded basis: its route, the day and a plain Dutch description."""

    soort: str  # hulpvraag | melding | inschrijving
    datum: dt.date
    omschrijving: str


def household_bases(
    session: Session, household_id: int, shows: Callable[[str], bool] = lambda _c: True
) -> tuple[Basis, ...]:
    """Every recorded basis for combining the household's domains, newest first.

    ``shows(category)`` tells whether the reader sees a category's content (a melding of
    a hidden category is described without its kind and source).
    """
    out = []
    for ontvangen, domein, verteld in session.execute(
        select(HelpRequest.ontvangen_op, HelpRequest.domein, HelpRequest.bewoner_geinformeerd_op)
        .where(HelpRequest.household_id == household_id,
               HelpRequest.bewoner_geinformeerd_op.is_not(None))
    ):  # fmt: skip
        out.append(Basis("hulpvraag", verteld,
                         f"hulpvraag van de bewoner ({domein.lower()}, ontvangen "
                         f"{ontvangen:%d-%m-%Y}); de bewoner is op {verteld:%d-%m-%Y} verteld "
                         "dat de domeinen samen worden bekeken"))  # fmt: skip
    for soort, bron, gemeld in session.execute(
        select(Signal.soort, Signal.bron, Signal.gemeld_op).where(
            Signal.household_id == household_id
        )
    ):
        who = f"{soort.replace('_', ' ')}, door {bron or 'onbekend'}"
        if not shows(category_of_signal(soort)):
            who = "door een professional"
        out.append(Basis("melding", gemeld, f"melding ({who}) op {gemeld:%d-%m-%Y}"))
    for (datum,) in session.execute(
        select(_ENROLMENT.c.datum).where(_ENROLMENT.c.household_id == household_id,
                                         _ENROLMENT.c.toestemming.is_(True))
    ):  # fmt: skip
        out.append(
            Basis(
                "inschrijving",
                datum,
                f"inschrijving in een proeftuin met toestemming op {datum:%d-%m-%Y}",
            )
        )
    return tuple(sorted(out, key=lambda b: (b.datum, b.soort), reverse=True))


def basis_label(bases: tuple[Basis, ...]) -> str:
    """The basis named in the audit row: the newest, or that none is recorded.

    >>> basis_label((Basis("melding", dt.date(2026, 3, 1), "x"),))
    'melding 01-03-2026'
    >>> basis_label(())
    'geen vastgelegd'
    """
    if not bases:
        return "geen vastgelegd"
    return f"{bases[0].soort} {bases[0].datum:%d-%m-%Y}"
