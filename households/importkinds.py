"""The file kinds of interchange format v1 (DESIGN.md §5.1, §5.2): fields, parsers, references.

Each :class:`~households.csvformat.Kind` names its table, its key, its fields (with
the cell parser and the columns each fills) and a builder that turns the parsed
columns into rows, resolving references (BSN hash, household, institution) through
:class:`Lookups`. :mod:`households.importing` validates a file against its kind and
writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from households import importconverters as conv
from households.cellparsers import (
    code_parser,
    parse_amount,
    parse_bool,
    parse_bsn,
    parse_date,
    parse_house_number,
    parse_postcode,
    parse_wijk,
    parse_year,
    text_parser,
)
from households.csvformat import Columns, Field, Kind, RowError
from households.importlookups import Lookups
from households.importlookups import col as _col
from households.models import (
    DOMAINS,
    IMPORT_FRONT_DOORS,
    REQUEST_DOMAINS,
    ROLES_IN_HOUSEHOLD,
    SIGNAL_KINDS,
    Debt,
    DebtSnapshot,
    HelpRequest,
    Household,
    Institution,
    Involvement,
    Person,
    Provision,
    Residence,
    Signal,
)
from households.names import name_key

__all__ = ["KINDS", "Lookups"]


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
            _f("wijk", parse_wijk, True),
            _f("buurt", text_parser(80)),
            _f("postcode", parse_postcode),
            _f("huisnummer", parse_house_number),
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
            _f("toelichting", conv.story_parser(2000)),
        ), conv.signals),
        Kind("betrokkenheden", Involvement.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("huishouden_id", _ID, False, ("household_id",)),
            _f("bsn", parse_bsn, False, ("household_id",)),
            _f("instelling_id", _ID, True, ("institution_id",)),
            _f("soort", text_parser(80), True),
            _f("start", parse_date, True),
            _f("einde", parse_date),
            _f("professional", text_parser(120)),
        ), conv.involvements),
        Kind("hulpvragen", HelpRequest.__table__, "bron_id", (
            _f("bron_id", _ID, True, ()),
            _f("bsn", parse_bsn, True, ("person_id", "household_id")),
            _f("domein", code_parser(REQUEST_DOMAINS), True),
            # An imported request has no urgency of its own: stored as "normaal".
            _f("voordeur", code_parser(tuple(IMPORT_FRONT_DOORS)), True, ("voordeur", "urgentie")),
            _f("ontvangen_op", parse_date, True),
            _f("besluit_op", parse_date),
            _f("omschrijving", conv.story_parser(2000)),
        ), conv.help_requests),
        Kind("bewoning", Residence.__table__, "sleutel", (
            _f("bsn", parse_bsn, True, ("person_id",)),
            _f("huishouden_id", _ID, True, ("household_id",)),
            _f("vanaf", parse_date, True),
            _f("tot", parse_date),
        ), conv.residences, key_fields=("bsn", "huishouden_id", "vanaf")),
        Kind("schuldstanden", DebtSnapshot.__table__, "sleutel", (
            _f("bron_id", _ID, True, ("debt_id",)),
            _f("peildatum", parse_date, True),
            _f("openstaand", parse_amount, True, ("openstaand_cent",)),
        ), conv.debt_snapshots, key_fields=("bron_id", "peildatum")),
    )
}  # fmt: skip
