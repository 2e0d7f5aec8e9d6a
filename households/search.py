"""Finding a household at the front door: by BSN, by address or by name.

A hit shows only what is needed to pick the right household (address, wijk,
number of persons, initials and surname of the hoofdbewoner). Opening the
household itself needs a stated purpose (:func:`coordination.access.open_household`).
Who may search is the access core's ``PERMISSIONS["zoeken"]`` (:mod:`households.access`).
Every hit is audited ("zoeken", object the household id); the BSN never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize
from households.actor import Actor
from households.bsn import hash_bsn, is_valid_bsn, normalise_bsn
from households.errors import InvalidInput
from households.models import Household, Person
from households.names import name_terms, prefix_upper_bound

__all__ = ["HouseholdHit", "find_households", "normalise_postcode", "short_name", "MAX_HITS"]

MAX_HITS = 25
_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


@dataclass(frozen=True)
class HouseholdHit:
    """Just enough to pick the right household; no BSN, no birth years."""

    household_id: int
    adres: str
    wijk: str
    n_personen: int
    hoofdbewoner: str


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


def _address(h: Household) -> str:
    street = " ".join(x for x in (h.straat, h.huisnummer) if x)
    pc = h.postcode or ""
    if pc:
        pc = f"{pc[:4]} {pc[4:]}"
    return ", ".join(x for x in (street, pc) if x) or "(adres onbekend)"


def _ids_by_bsn(session: Session, bsn: str) -> list[int]:
    value = normalise_bsn(bsn)
    if not is_valid_bsn(value):
        raise InvalidInput("Dit is geen geldig BSN (9 cijfers die de elfproef doorstaan).")
    stmt = select(Person.household_id).where(Person.bsn_hash == hash_bsn(value))
    return list(session.scalars(stmt))


def _ids_by_address(session: Session, postcode: str, huisnummer: str | None) -> list[int]:
    pc = normalise_postcode(postcode)
    if not _POSTCODE.match(pc):
        raise InvalidInput("Geef een geldige postcode op, bijvoorbeeld 6441 AB.")
    stmt = select(Household.id).where(Household.postcode == pc)
    nr = (huisnummer or "").strip().upper().replace(" ", "")
    if nr:
        stmt = stmt.where(func.upper(func.replace(Household.huisnummer, " ", "")) == nr)
    return list(session.scalars(stmt.order_by(Household.id).limit(MAX_HITS)))


def _ids_by_name(session: Session, naam: str) -> list[int]:
    term = " ".join(naam.lower().split())
    if len(term) < 2:
        raise InvalidInput("Geef minstens 2 letters van de naam op.")
    surname, others = name_terms(term)
    # An indexed prefix range on the surname core, narrowed by the other words.
    conditions = [Person.naam_zoek >= surname, Person.naam_zoek < prefix_upper_bound(surname)]
    for word in others:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Person.naam_zoek.like(f"%{escaped}%", escape="\\"))
    # Walk the name index in order and stop early: a common surname matches thousands.
    stmt = (
        select(Person.household_id)
        .where(*conditions)
        .order_by(Person.naam_zoek, Person.id)
        .limit(MAX_HITS * 4)
    )
    return list(dict.fromkeys(session.scalars(stmt)))[:MAX_HITS]


def find_households(
    session: Session,
    actor: Actor,
    *,
    bsn: str | None = None,
    postcode: str | None = None,
    huisnummer: str | None = None,
    naam: str | None = None,
) -> list[HouseholdHit]:
    """Households matching a BSN, a postcode (+ huisnummer) or a name (at most 25).

    Exactly one kind of search term is used: BSN first, then address, then name.
    Roles ``voordeur`` and ``gbd`` only; every hit is audited without the BSN.
    """
    authorize(session, actor, "zoeken")
    if bsn and bsn.strip():
        ids, zoekwijze = _ids_by_bsn(session, bsn), "bsn"
    elif postcode and postcode.strip():
        ids, zoekwijze = _ids_by_address(session, postcode, huisnummer), "adres"
    elif naam and naam.strip():
        ids, zoekwijze = _ids_by_name(session, naam), "naam"
    else:
        raise InvalidInput("Zoek op BSN, op postcode en huisnummer, of op naam.")
    ids = list(dict.fromkeys(ids))[:MAX_HITS]
    if not ids:
        return []
    households = {h.id: h for h in session.scalars(select(Household).where(Household.id.in_(ids)))}
    counts = dict(
        session.execute(
            select(Person.household_id, func.count())
            .where(Person.household_id.in_(ids))
            .group_by(Person.household_id)
        ).all()
    )
    first: dict[int, str | None] = {}
    head: dict[int, str | None] = {}
    for hid, rol, naam_ in session.execute(
        select(Person.household_id, Person.rol, Person.naam)
        .where(Person.household_id.in_(ids))
        .order_by(Person.household_id, Person.id)
    ):
        first.setdefault(hid, naam_)
        if rol == "hoofdbewoner":
            head.setdefault(hid, naam_)
    heads = {hid: head.get(hid, first.get(hid)) for hid in ids}
    hits = []
    for hid in ids:
        h = households[hid]
        hits.append(
            HouseholdHit(hid, _address(h), h.wijk, counts.get(hid, 0), short_name(heads.get(hid)))
        )
    # one audit row per hit; the search term itself (a BSN, a name) never goes into it
    audit.record_many(
        session, actor, audit.Event.ZOEKEN, "household", ids, nieuw={"zoekwijze": zoekwijze}
    )
    return hits
