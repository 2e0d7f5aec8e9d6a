"""The five file kinds of interchange format v1 (DESIGN.md §5): fields, parsers, references.

Each :class:`~households.csvformat.Kind` names its table, its key, its fields (with
the cell parser and the columns each fills) and a builder that turns the parsed
columns into rows, resolving references (BSN hash, household, institution) through
:class:`Lookups`. :mod:`households.importing` validates a file against its kind and
writes it.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from households.bsn import secret_key
from households.cellparsers import (
    code_parser,
    parse_amount,
    parse_bool,
    parse_bsn,
    parse_date,
    parse_postcode,
    parse_year,
    text_parser,
)
from households.csvformat import Columns, Field, Kind, RowError
from households.errors import InvalidInput
from households.models import (
    DOMAINS,
    IMPORT_FRONT_DOORS,
    REQUEST_DOMAINS,
    ROLES_IN_HOUSEHOLD,
    SIGNAL_KINDS,
    Debt,
    HelpRequest,
    Household,
    Institution,
    Involvement,
    Person,
    Provision,
    Signal,
)
from households.names import name_key
from households.validation import contains_bsn, has_control_characters

__all__ = ["KINDS", "Lookups"]


class Lookups:
    """References loaded once per import (one query each) and a BSN-hash memo."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._key = secret_key()
        self.unknown_aanbieders: dict[str, list[Any]] = {}

    def bsn_hashes(self, bsns: list[str]) -> list[str]:
        """Keyed hashes of normalised BSNs (each distinct one hashed once)."""
        # Equal to hash_bsn(b) for a normalised b (tested), without re-normalising.
        key = self._key
        memo = {b: hmac.digest(key, b.encode(), "sha256").hex() for b in set(bsns)}
        return list(map(memo.__getitem__, bsns))

    def resolve(
        self, query, values: list[Any], column: str, reason: str, lines, errors
    ) -> list[int]:
        """Map ``values`` through the (key, id) pairs of ``query``; unknown ones are errors."""
        known = dict(self.session.execute(query).all())
        ids = list(map(known.get, values))
        if None in ids:
            errors.extend(
                RowError(lines[k], column, reason) for k, v in enumerate(ids) if v is None
            )
        return ids

    def person_ids(self, bsns: list[str], lines: list[int], errors: list[RowError]) -> list[int]:
        query = select(Person.bsn_hash, Person.id)
        reason = "onbekende BSN (persoon niet geïmporteerd)"
        return self.resolve(query, self.bsn_hashes(bsns), "bsn", reason, lines, errors)

    def household_ids(
        self, ids: list[str | None], bsns: list[str | None], lines: list[int], errors
    ) -> list[int | None]:
        """The household of each row: by ``huishouden_id``, or else the household of ``bsn``."""
        by_id = dict(self.session.execute(select(Household.huishouden_id, Household.id)).all())
        hashes = self.bsn_hashes([b for b in bsns if b is not None])
        wanted = set(hashes)
        by_hash = {
            h: hh
            for h, hh in self.session.execute(select(Person.bsn_hash, Person.household_id))
            if h in wanted
        }
        it = iter(hashes)
        out: list[int | None] = []
        for line, hid, bsn in zip(lines, ids, bsns, strict=True):
            via_id = None if hid is None else by_id.get(hid)
            via_bsn = None if bsn is None else by_hash.get(next(it))
            if hid is None and bsn is None:
                errors.append(RowError(line, "huishouden_id", "geef huishouden_id of bsn"))
            elif hid is not None and via_id is None:
                errors.append(RowError(line, "huishouden_id", "onbekend huishouden_id"))
            elif bsn is not None and via_bsn is None:
                errors.append(RowError(line, "bsn", "onbekende BSN (persoon niet geïmporteerd)"))
            elif via_id is not None and via_bsn is not None and via_id != via_bsn:
                errors.append(RowError(line, "bsn", "de persoon hoort niet bij dit huishouden"))
            out.append(via_id if via_id is not None else via_bsn)
        return out

    def person_households(
        self, bsns: list[str], lines: list[int], errors: list[RowError]
    ) -> tuple[list[int | None], list[int | None]]:
        """(person id, household id) of each BSN; unknown ones are errors."""
        hashes = self.bsn_hashes(bsns)
        wanted = set(hashes)
        known = {
            h: (pid, hh)
            for h, pid, hh in self.session.execute(
                select(Person.bsn_hash, Person.id, Person.household_id)
            )
            if h in wanted
        }
        pairs = [known.get(h, (None, None)) for h in hashes]
        errors.extend(
            RowError(lines[k], "bsn", "onbekende BSN (persoon niet geïmporteerd)")
            for k, (pid, _) in enumerate(pairs)
            if pid is None
        )
        return [p for p, _ in pairs], [hh for _, hh in pairs]

    def institution_ids(self, names: list[str | None], lines: list[int]) -> list[int | None]:
        """Exact case-insensitive name match; unknown names are collected as warnings."""
        # Lower-case in Python: SQLite's lower() folds ASCII letters only.
        known: dict[str, int] = {}
        for naam, id_ in self.session.execute(
            select(Institution.naam, Institution.id).order_by(Institution.id)
        ):
            known.setdefault(naam.strip().lower(), id_)
        found = {n: known.get(n.lower()) for n in set(names) if n is not None}
        unknown = {n for n, v in found.items() if v is None}
        if unknown:
            for k, name in enumerate(names):
                if name in unknown:
                    entry = self.unknown_aanbieders.setdefault(name.lower(), [name, 0, lines[k]])
                    entry[1] += 1
        return list(map(found.get, names))


def _col(cols: dict[str, list[Any]], name: str, n: int) -> list[Any]:
    return cols.get(name) or [None] * n


def _households(cols, lk: Lookups, lines, errors) -> Columns:
    n = len(lines)
    values = {k: _col(cols, k, n) for k in ("wijk", "buurt", "postcode", "huisnummer")}
    return Columns(cols["huishouden_id"], values, lines)


def _persons(cols, lk: Lookups, lines, errors) -> Columns:
    query = select(Household.huishouden_id, Household.id)
    reason = "onbekend huishouden_id (huishouden niet geïmporteerd)"
    household_ids = lk.resolve(query, cols["huishouden_id"], "huishouden_id", reason, lines, errors)
    naam = _col(cols, "naam", len(lines))
    values = {
        "household_id": household_ids,
        "geboortejaar": cols["geboortejaar"],
        "rol": cols["rol"],
        "naam": naam,
        "naam_zoek": [name_key(v) for v in naam],
    }
    return Columns(lk.bsn_hashes(cols["bsn"]), values, lines)


def _institutions(cols, lk: Lookups, lines, errors) -> Columns:
    n = len(lines)
    values = {k: _col(cols, k, n) for k in ("naam", "type", "contractvorm", "essentieel")}
    return Columns(cols["instelling_id"], values, lines)


def _provisions(cols, lk: Lookups, lines, errors) -> Columns:
    n = len(lines)
    start, einde = cols["start"], _col(cols, "einde", n)
    errors.extend(
        RowError(lines[k], "einde", "einde ligt voor start")
        for k, (s, e) in enumerate(zip(start, einde, strict=True))
        if e is not None and e < s
    )
    aanbieder = _col(cols, "aanbieder", n)
    values = {
        "person_id": lk.person_ids(cols["bsn"], lines, errors),
        "domein": cols["domein"],
        "soort": cols["soort"],
        "start": start,
        "einde": einde,
        "institution_id": lk.institution_ids(aanbieder, lines),
        "aanbieder": aanbieder,
        "maatwerk": _col(cols, "maatwerk", n),
        "kosten_per_maand_cent": _col(cols, "kosten_per_maand", n),
    }
    return Columns(cols["bron_id"], values, lines)


def _debts(cols, lk: Lookups, lines, errors) -> Columns:
    values = {
        "person_id": lk.person_ids(cols["bsn"], lines, errors),
        "schuldeiser": cols["schuldeiser"],
        "hoofdsom_cent": cols["hoofdsom"],
        "openstaand_cent": cols["openstaand"],
        "sinds": cols["sinds"],
        "in_regeling": _col(cols, "in_regeling", len(lines)),
    }
    return Columns(cols["bron_id"], values, lines)


def _not_before(cols, first: str, later: str, lines, errors, reason: str) -> None:
    """An error on every row whose ``later`` date lies before its ``first`` date."""
    n = len(lines)
    errors.extend(
        RowError(lines[k], later, reason)
        for k, (a, b) in enumerate(zip(_col(cols, first, n), _col(cols, later, n), strict=True))
        if a is not None and b is not None and b < a
    )


def _signals(cols, lk: Lookups, lines, errors) -> Columns:
    n = len(lines)
    _not_before(cols, "gemeld_op", "gesloten_op", lines, errors, "gesloten_op ligt voor gemeld_op")
    values = {
        "household_id": lk.household_ids(
            _col(cols, "huishouden_id", n), _col(cols, "bsn", n), lines, errors
        ),
        "soort": cols["soort"],
        "gemeld_op": cols["gemeld_op"],
        "bron": _col(cols, "bron", n),
        "gesloten_op": _col(cols, "gesloten_op", n),
        "toelichting": _col(cols, "toelichting", n),
    }
    return Columns(cols["bron_id"], values, lines)


def _involvements(cols, lk: Lookups, lines, errors) -> Columns:
    n = len(lines)
    _not_before(cols, "start", "einde", lines, errors, "einde ligt voor start")
    query = select(Institution.instelling_id, Institution.id)
    reason = "onbekend instelling_id (instelling niet geïmporteerd)"
    values = {
        "household_id": lk.household_ids(
            _col(cols, "huishouden_id", n), _col(cols, "bsn", n), lines, errors
        ),
        "institution_id": lk.resolve(
            query, cols["instelling_id"], "instelling_id", reason, lines, errors
        ),
        "soort": cols["soort"],
        "start": cols["start"],
        "einde": _col(cols, "einde", n),
        "professional": _col(cols, "professional", n),
    }
    return Columns(cols["bron_id"], values, lines)


def _help_requests(cols, lk: Lookups, lines, errors) -> Columns:
    n = len(lines)
    reason = "besluit_op ligt voor ontvangen_op"
    _not_before(cols, "ontvangen_op", "besluit_op", lines, errors, reason)
    persons, households = lk.person_households(cols["bsn"], lines, errors)
    values = {
        "household_id": households,
        "person_id": persons,
        "domein": cols["domein"],
        "voordeur": [IMPORT_FRONT_DOORS[v] for v in cols["voordeur"]],
        "urgentie": ["normaal"] * n,
        "ontvangen_op": cols["ontvangen_op"],
        "besluit_op": _col(cols, "besluit_op", n),
        "omschrijving": _col(cols, "omschrijving", n),
    }
    return Columns(cols["bron_id"], values, lines)


def story_parser(max_len: int) -> Callable[[str], str]:
    """Free text about people (a note, a description): no control characters, no BSN."""
    length = text_parser(max_len)

    def parse(value: str) -> str:
        if has_control_characters(value):
            raise InvalidInput("bevat ongeldige tekens")
        if contains_bsn(value):
            raise InvalidInput("lijkt een BSN te bevatten (een BSN hoort nooit in vrije tekst)")
        return length(value)

    return parse


def _f(
    name: str, parse: Callable[[str], Any], required: bool = False, fills: tuple | None = None
) -> Field:
    return Field(name, parse, required, (name,) if fills is None else fills)


_ID = text_parser(64)
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("huishoudens", Household.__table__, "huishouden_id", (
            _f("huishouden_id", _ID, True, ()),
            _f("wijk", text_parser(40), True),
            _f("buurt", text_parser(80)),
            _f("postcode", parse_postcode),
            _f("huisnummer", text_parser(10)),
        ), _households),
        Kind("personen", Person.__table__, "bsn_hash", (
            _f("bsn", parse_bsn, True, ()),
            _f("huishouden_id", _ID, True, ("household_id",)),
            _f("geboortejaar", parse_year, True),
            _f("rol", code_parser(ROLES_IN_HOUSEHOLD), True),
            _f("naam", text_parser(120), False, ("naam", "naam_zoek")),
        ), _persons),
        Kind("voorzieningen", Provision.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("bsn", parse_bsn, True, ("person_id",)),
            _f("domein", code_parser(DOMAINS), True),
            _f("soort", text_parser(80), True),
            _f("start", parse_date, True),
            _f("einde", parse_date),
            _f("aanbieder", text_parser(160), False, ("institution_id", "aanbieder")),
            _f("maatwerk", parse_bool),
            _f("kosten_per_maand", parse_amount, False, ("kosten_per_maand_cent",)),
        ), _provisions),
        Kind("schulden", Debt.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("bsn", parse_bsn, True, ("person_id",)),
            _f("schuldeiser", text_parser(160), True),
            _f("hoofdsom", parse_amount, True, ("hoofdsom_cent",)),
            _f("openstaand", parse_amount, True, ("openstaand_cent",)),
            _f("sinds", parse_date, True),
            _f("in_regeling", parse_bool),
        ), _debts),
        Kind("instellingen", Institution.__table__, "instelling_id", (
            _f("instelling_id", _ID, True, ()),
            _f("naam", text_parser(160), True),
            _f("type", text_parser(60), True),
            _f("contractvorm", text_parser(60)),
            _f("essentieel", parse_bool),
        ), _institutions),
        Kind("signalen", Signal.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("huishouden_id", _ID, False, ("household_id",)),
            _f("bsn", parse_bsn, False, ("household_id",)),
            _f("soort", code_parser(SIGNAL_KINDS), True),
            _f("gemeld_op", parse_date, True),
            _f("bron", text_parser(120)),
            _f("gesloten_op", parse_date),
            _f("toelichting", story_parser(2000)),
        ), _signals),
        Kind("betrokkenheden", Involvement.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("huishouden_id", _ID, False, ("household_id",)),
            _f("bsn", parse_bsn, False, ("household_id",)),
            _f("instelling_id", _ID, True, ("institution_id",)),
            _f("soort", text_parser(80), True),
            _f("start", parse_date, True),
            _f("einde", parse_date),
            _f("professional", text_parser(120)),
        ), _involvements),
        Kind("hulpvragen", HelpRequest.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("bsn", parse_bsn, True, ("person_id", "household_id")),
            _f("domein", code_parser(REQUEST_DOMAINS), True),
            # An imported request has no urgency of its own: stored as "normaal".
            _f("voordeur", code_parser(tuple(IMPORT_FRONT_DOORS)), True, ("voordeur", "urgentie")),
            _f("ontvangen_op", parse_date, True),
            _f("besluit_op", parse_date),
            _f("omschrijving", story_parser(2000)),
        ), _help_requests),
    )
}  # fmt: skip
