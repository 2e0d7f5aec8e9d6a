"""Finding a household at the front door: by BSN, by address or by name, one page at a time.

A search answers with a :class:`SearchResult`: how many persons match (exact up to
:data:`COUNT_CAP`, beyond that "meer dan 1.000") and one page of :data:`PAGE_SIZE`
hits. A hit is a person with just enough to tell people apart and pick the right
household: initials and surname, birth year, address (straat, huisnummer, postcode),
wijk and the number of persons in the household. Opening the household itself needs
a stated purpose (:func:`coordination.access.open_household`).
Who may search is the access core's ``PERMISSIONS["zoeken"]`` (:mod:`households.access`).
Every hit shown is audited (one "zoeken" row per search with the household ids in it;
only the page shown, not every match); the BSN never is.

Paging is offset paging over a stable order: the name search walks the name index
in order (``naam_zoek, id``), an address search the household and person ids. The
count stops at ``COUNT_CAP + 1`` rows, so a common surname costs at most that many
index entries however many people carry it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize
from households.actor import Actor
from households.bsn import hash_bsn, is_valid_bsn, normalise_bsn
from households.errors import InvalidInput
from households.formatting import number
from households.models import Household, Person
from households.names import name_terms, prefix_upper_bound

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import ColumnElement

__all__ = [
    "SearchHit", "SearchResult", "find_households", "normalise_postcode", "short_name",
    "PAGE_SIZE", "COUNT_CAP", "address",
]  # fmt: skip

PAGE_SIZE = 25
COUNT_CAP = 1000
_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


@dataclass(frozen=True)
class SearchHit:
    """One person found: enough to pick the right household; no BSN."""

    person_id: int | None
    household_id: int
    naam: str
    geboortejaar: int | None
    adres: str
    wijk: str
    n_personen: int

    @property
    def label(self) -> str:
        """The line a picker shows, e.g. ``J.P. de Vries (1980) — Kennedylaan 12, ...``."""
        jaar = "geboortejaar onbekend" if self.geboortejaar is None else self.geboortejaar
        return f"{self.naam} ({jaar}) — {self.adres} — wijk {self.wijk} — {self.n_personen} pers."


@dataclass(frozen=True)
class SearchResult:
    """One page of hits and how many persons match in all.

    ``totaal`` is exact up to :data:`COUNT_CAP`; ``meer_dan_cap`` says there are more.
    Iterating a result iterates the hits on this page.
    """

    hits: tuple[SearchHit, ...]
    totaal: int
    meer_dan_cap: bool
    pagina: int
    paginagrootte: int = PAGE_SIZE

    @property
    def n_paginas(self) -> int:
        """Pages that can be shown (at most the capped count's worth)."""
        return max(1, -(-self.totaal // self.paginagrootte))

    @property
    def vorige(self) -> bool:
        """Is there a page before this one?"""
        return self.pagina > 1

    @property
    def volgende(self) -> bool:
        """Is there a page after this one?"""
        return self.pagina < self.n_paginas

    @property
    def melding(self) -> str:
        """The count in Dutch, with advice to narrow down when one page is not enough.

        >>> SearchResult((), 548, False, 1).melding
        '548 personen gevonden — verfijn met voornaam of geboortejaar'
        >>> SearchResult((), 1000, True, 1).melding
        'meer dan 1.000 personen gevonden — verfijn met voornaam of geboortejaar'
        >>> SearchResult((), 1, False, 1).melding
        '1 persoon gevonden'
        """
        count = f"meer dan {number(COUNT_CAP)}" if self.meer_dan_cap else number(self.totaal)
        noun = "persoon" if self.totaal == 1 and not self.meer_dan_cap else "personen"
        text = f"{count} {noun} gevonden"
        if self.meer_dan_cap or self.n_paginas > 1:
            text += " — verfijn met voornaam of geboortejaar"
        return text

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


def normalise_postcode(value: str) -> str:
    """Upper-case a postcode and drop spaces.

    >>> normalise_postcode(" 6441 ab ")
    '6441AB'
    """
    return re.sub(r"\s+", "", value or "").upper()


def short_name(naam: str | None) -> str:
    """Initials and surname of a full name.

    >>> short_name("Jan Pieter de Vries")
    'J.P. de Vries'
    >>> short_name("Fatima Amrani")
    'F. Amrani'
    >>> short_name(None)
    '-'
    """
    parts = (naam or "").split()
    if not parts:
        return "-"
    if len(parts) == 1:
        return parts[0]
    tussen = {"de", "van", "der", "den", "het", "ter", "ten", "te", "la", "le", "op"}
    first_surname = len(parts) - 1
    while first_surname > 1 and parts[first_surname - 1].lower() in tussen:
        first_surname -= 1
    initials = "".join(p[0].upper() + "." for p in parts[:first_surname])
    return f"{initials} {' '.join(parts[first_surname:])}"


def address(h: Household) -> str:
    """Street, number and postcode (``6441 AB``) of a household, or ``(adres onbekend)``.

    The one address line of the list views (also :func:`households.labels.address`).
    """
    pc = f"{h.postcode[:4]} {h.postcode[4:]}" if h.postcode else ""
    street = " ".join(x for x in (h.straat, h.huisnummer) if x)
    return ", ".join(x for x in (street, pc) if x) or "(adres onbekend)"


Where = list["ColumnElement[bool]"]


def _by_bsn(bsn: str) -> tuple[Where, tuple]:
    value = normalise_bsn(bsn)
    if not is_valid_bsn(value):
        raise InvalidInput("Dit is geen geldig BSN (9 cijfers die de elfproef doorstaan).")
    return [Person.bsn_hash == hash_bsn(value)], (Person.id,)


def _by_address(postcode: str, huisnummer: str | None) -> tuple[Where, tuple]:
    pc = normalise_postcode(postcode)
    if not _POSTCODE.match(pc):
        raise InvalidInput("Geef een geldige postcode op, bijvoorbeeld 6441 AB.")
    conditions: Where = [Household.postcode == pc]
    nr = (huisnummer or "").strip().upper().replace(" ", "")
    if nr:
        conditions.append(func.upper(func.replace(Household.huisnummer, " ", "")) == nr)
    # a household without persons (yet) is still found at its address
    return conditions, (Household.id, Person.id)


def _by_name(naam: str) -> tuple[Where, tuple]:
    term = " ".join(naam.lower().split())
    if len(term) < 2:
        raise InvalidInput("Geef minstens 2 letters van de naam op.")
    surname, others = name_terms(term)
    # An indexed prefix range on the surname core, narrowed by the other words.
    conditions: Where = [
        Person.naam_zoek >= surname,
        Person.naam_zoek < prefix_upper_bound(surname),
    ]
    for word in others:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Person.naam_zoek.like(f"%{escaped}%", escape="\\"))
    # Walk the name index in order: the page and the capped count stop early.
    return conditions, (Person.naam_zoek, Person.id)


def _birth_year(value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("Geef het geboortejaar op als jaartal, bijvoorbeeld 1984.")
    if not 1900 <= value <= dt.date.today().year:
        raise InvalidInput("Geef een geldig geboortejaar op (1900 tot nu).")
    return value


def _hits(session: Session, rows: list[tuple[Household, Person | None]]) -> tuple[SearchHit, ...]:
    ids = list(dict.fromkeys(h.id for h, _ in rows))
    if not ids:
        return ()
    counts = dict(
        session.execute(
            select(Person.household_id, func.count())
            .where(Person.household_id.in_(ids))
            .group_by(Person.household_id)
        ).all()
    )
    return tuple(
        SearchHit(
            None if p is None else p.id,
            h.id,
            short_name(None if p is None else p.naam),
            None if p is None else p.geboortejaar,
            address(h),
            h.wijk,
            counts.get(h.id, 0),
        )  # fmt: skip
        for h, p in rows
    )


def find_households(
    session: Session,
    actor: Actor,
    *,
    bsn: str | None = None,
    postcode: str | None = None,
    huisnummer: str | None = None,
    naam: str | None = None,
    geboortejaar: int | None = None,
    pagina: int = 1,
) -> SearchResult:
    """Persons (and so households) matching a BSN, a postcode (+ huisnummer) or a name.

    Exactly one kind of search term is used: BSN first, then address, then name;
    ``geboortejaar`` narrows any of them. Returns page ``pagina`` (from 1; a page past
    the end gives the last page) of :data:`PAGE_SIZE` hits with the capped count.
    Roles ``voordeur`` and ``gbd`` only; every hit shown is audited without the BSN.
    """
    authorize(session, actor, "zoeken")
    if bsn and bsn.strip():
        (conditions, order), zoekwijze = _by_bsn(bsn), "bsn"
    elif postcode and postcode.strip():
        (conditions, order), zoekwijze = _by_address(postcode, huisnummer), "adres"
    elif naam and naam.strip():
        (conditions, order), zoekwijze = _by_name(naam), "naam"
    else:
        raise InvalidInput("Zoek op BSN, op postcode en huisnummer, of op naam.")
    year = _birth_year(geboortejaar)
    if year is not None:
        conditions = [*conditions, Person.geboortejaar == year]
    if isinstance(pagina, bool) or not isinstance(pagina, int) or pagina < 1:
        raise InvalidInput("Het paginanummer begint bij 1.")
    matches = (
        select(Household, Person)
        .select_from(Household)
        .outerjoin(Person, Person.household_id == Household.id)
        .where(*conditions)
    )
    if zoekwijze == "adres":  # a household without persons is still found at its address
        counted = matches.with_only_columns(Household.id)
    else:  # every person has a household: count from the name (or BSN) index alone
        counted = select(Person.id).where(*conditions)
    capped = counted.limit(COUNT_CAP + 1).subquery()
    n = session.scalar(select(func.count()).select_from(capped)) or 0
    totaal, meer = min(n, COUNT_CAP), n > COUNT_CAP
    pagina = min(pagina, max(1, -(-totaal // PAGE_SIZE)))
    page = matches.order_by(*order).offset((pagina - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    rows = [(h, p) for h, p in session.execute(page)]
    hits = _hits(session, rows)
    shown = list(dict.fromkeys(h.household_id for h in hits))
    if shown:
        # one audit row per search naming every household shown (in ``nieuw["ids"]``, which
        # kiss inzage reads); the search term itself (a BSN, a name) never
        audit.record_many(
            session, actor, audit.Event.ZOEKEN, "household", shown, nieuw={"zoekwijze": zoekwijze}
        )
    return SearchResult(hits, totaal, meer, pagina)
