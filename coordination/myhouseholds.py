""" "Mijn huishoudens": the households a user works on now, one bounded page at a time.

The Huishouden, Regie and Casustafel pages ask for this list on every rerun, so
its cost must not grow with everything a user ever opened. It is one query for
the count and one for the page, ordered by what matters now:

1. households the user holds active regie for (``regie``);
2. households on the agenda of a case table the user sits at (``casustafel``);
3. households the user opened within the access period ``beheer`` sets
   (:mod:`households.opening_period`; for ``voordeur`` only today), the most
   recently opened first (``geopend``).

Within a group the most recently opened comes first, then the newest household.
The sources are the household access rules of :mod:`coordination.access` (a
``voordeur`` user has only the openings of today), so every household listed is
one the user may open. One view of the list writes ONE audit row
(``huishoudens_kiezen``, ``audit.record_many``) naming the households shown on the
page, not one row per household; ``kiss inzage`` finds it for each of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, func, literal, select, union_all
from sqlalchemy.orm import Session

from coordination.models import AgendaItem, CaseTable, CaseTableMember, Regie
from households import audit
from households.access import authorize, current_role, household_access_reason, valid_id
from households.actor import Actor
from households.errors import InvalidInput
from households.formatting import number
from households.models import Household, HouseholdOpening
from households.opening_period import opening_valid_since, start_of_local_day_utc, today_local
from households.periods import regie_active_sql
from households.search import address

__all__ = ["PAGE_SIZE", "MAX_PAGE_SIZE", "MyHousehold", "MyHouseholds", "my_households"]

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
WHY = {0: "regie", 1: "casustafel", 2: "geopend", 3: "gekozen"}
MAX_INCLUDE = 5


@dataclass(frozen=True)
class MyHousehold:
    """One household on the list: its id, a label (address and wijk) and why it is listed."""

    household_id: int
    adres: str
    wijk: str
    waarom: str  # regie | casustafel | geopend

    @property
    def label(self) -> str:
        """What a picker shows, e.g. ``Kerkstraat 1, 6441 AB (Centrum) · regie``."""
        return f"{self.adres} ({self.wijk}) · {self.waarom}"


@dataclass(frozen=True)
class MyHouseholds:
    """One page of the list and how many households it has in all."""

    items: tuple[MyHousehold, ...]
    totaal: int
    pagina: int
    paginagrootte: int = PAGE_SIZE

    @property
    def n_paginas(self) -> int:
        """Pages in all (at least 1)."""
        return max(1, -(-self.totaal // self.paginagrootte))

    @property
    def labels(self) -> dict[int, str]:
        """``{household_id: label}`` in list order (for a selectbox of ids)."""
        return {h.household_id: h.label for h in self.items}

    @property
    def melding(self) -> str:
        """Which part of the list is shown, in Dutch.

        >>> MyHouseholds((), 0, 1).melding
        'Geen huishoudens.'
        >>> h = MyHousehold(1, "Kerkstraat 1", "Centrum", "regie")
        >>> MyHouseholds((h,), 1, 1).melding
        '1 huishouden.'
        >>> MyHouseholds((h,) * 25, 1340, 2).melding
        'Huishoudens 26–50 van 1.340 (pagina 2 van 54).'
        """
        if not self.totaal:
            return "Geen huishoudens."
        if self.n_paginas == 1:
            noun = "huishouden" if self.totaal == 1 else "huishoudens"
            return f"{number(self.totaal)} {noun}."
        first = (self.pagina - 1) * self.paginagrootte + 1
        last = first + len(self.items) - 1
        return (
            f"Huishoudens {number(first)}–{number(last)} van {number(self.totaal)} "
            f"(pagina {self.pagina} van {self.n_paginas})."
        )

    def __iter__(self):
        return iter((h.household_id, h.label) for h in self.items)

    def __len__(self) -> int:
        return len(self.items)


def _sources(session: Session, actor: Actor, role: str):
    """(household id, rank) rows of every source the role's access rules know."""
    today = today_local()
    since = opening_valid_since(session, today) if role == "gbd" else start_of_local_day_utc(today)
    opened = select(HouseholdOpening.household_id.label("hid"), literal(2, Integer).label("rang"))
    parts = [opened.where(HouseholdOpening.user_id == actor.user_id,
                          HouseholdOpening.geopend_op >= since)]  # fmt: skip
    if role == "gbd":
        parts.append(
            select(Regie.household_id, literal(0, Integer)).where(
                Regie.houder_user_id == actor.user_id, regie_active_sql(Regie, dt.date.today())
            )
        )
        parts.append(
            select(AgendaItem.household_id, literal(1, Integer))
            .join(CaseTableMember, CaseTableMember.case_table_id == AgendaItem.case_table_id)
            .where(CaseTableMember.user_id == actor.user_id)
        )
    return union_all(*parts).subquery(), since


def _page_number(value: object, name: str, upper: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(f"{name} is een heel getal vanaf 1.")
    if upper is not None and value > upper:
        raise InvalidInput(f"{name} is hoogstens {upper}.")
    return value


def my_households(
    session: Session,
    actor: Actor,
    pagina: int = 1,
    paginagrootte: int = PAGE_SIZE,
    include: tuple[int, ...] = (),
) -> MyHouseholds:
    """Page ``pagina`` (from 1; past the end gives the last page) of the actor's households.

    Ordered by active regie, then on an agenda of their tables, then recent openings
    (see the module docstring). ``include``: households asked for by id (a link from a
    list, the one just opened at the Voordeur) come first when they are not on this page
    and the actor may see them. Work per call is bounded by the page size (plus
    ``include``), not by the number of households opened. Audited as one read of the
    list (the ids shown).
    """
    authorize(session, actor, "huishoudens_kiezen")
    pagina = _page_number(pagina, "Het paginanummer")
    paginagrootte = _page_number(paginagrootte, "De paginagrootte", MAX_PAGE_SIZE)
    role = current_role(session, actor) or actor.rol
    cand, since = _sources(session, actor, role)
    ranked = select(cand.c.hid, func.min(cand.c.rang).label("rang")).group_by(cand.c.hid).subquery()
    latest = (
        select(HouseholdOpening.household_id.label("hid"),
               func.max(HouseholdOpening.geopend_op).label("laatst"))
        .where(HouseholdOpening.user_id == actor.user_id, HouseholdOpening.geopend_op >= since)
        .group_by(HouseholdOpening.household_id)
        .subquery()
    )  # fmt: skip
    totaal = session.scalar(select(func.count()).select_from(ranked)) or 0
    pagina = min(pagina, max(1, -(-totaal // paginagrootte)))
    rows = session.execute(
        select(Household, ranked.c.rang)
        .join(ranked, ranked.c.hid == Household.id)
        .outerjoin(latest, latest.c.hid == Household.id)
        .order_by(ranked.c.rang, latest.c.laatst.desc().nulls_last(), Household.id.desc())
        .offset((pagina - 1) * paginagrootte)
        .limit(paginagrootte)
    ).all()
    shown = {h.id for h, _ in rows}
    extra = [i for i in dict.fromkeys(include) if valid_id(i) and i not in shown
             and household_access_reason(session, actor, i) is not None][:MAX_INCLUDE]  # fmt: skip
    if extra:
        found = {h.id: h for h in session.scalars(select(Household).where(Household.id.in_(extra)))}
        rows = [(found[i], 3) for i in extra if i in found] + list(rows)
    tables = _table_names(session, actor, [h.id for h, rang in rows if rang == 1])
    items = tuple(
        MyHousehold(h.id, address(h), h.wijk,
                    f"casustafel {tables[h.id]}" if rang == 1 and h.id in tables else WHY[rang])
        for h, rang in rows
    )  # fmt: skip
    audit.record_many(
        session, actor, audit.Event.HUISHOUDENS_KIEZEN, "household",
        [i.household_id for i in items], nieuw={"pagina": pagina, "totaal": totaal},
        doel="mijn huishoudens (regie, casustafel, geopend)",
    )  # fmt: skip
    return MyHouseholds(items, totaal, pagina, paginagrootte)


def _table_names(session: Session, actor: Actor, ids: list[int]) -> dict[int, str]:
    """The first table (by id) the actor sits at with each household on its agenda."""
    if not ids:
        return {}
    rows = session.execute(
        select(AgendaItem.household_id, CaseTable.naam)
        .join(CaseTable, CaseTable.id == AgendaItem.case_table_id)
        .join(CaseTableMember, CaseTableMember.case_table_id == CaseTable.id)
        .where(AgendaItem.household_id.in_(ids), CaseTableMember.user_id == actor.user_id)
        .order_by(CaseTable.id.desc())
    ).all()
    return dict(rows)  # the last pair per household wins: the lowest table id
