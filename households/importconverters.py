"""Converters of the file kinds of DESIGN 5.2 (signalen, betrokkenheden, hulpvragen, bewoning,
schuldstanden).

Each checks rules across columns, resolves references through :class:`Lookups` and returns
database values; :mod:`households.importkinds` names their fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from households.cellparsers import text_parser
from households.csvformat import Columns, RowError
from households.errors import InvalidInput
from households.importlookups import Lookups
from households.importlookups import col as _col
from households.models import IMPORT_FRONT_DOORS, Debt, Household, Institution
from households.validation import contains_bsn, has_control_characters

__all__ = [
    "debt_snapshots", "help_requests", "involvements", "residences", "signals", "story_parser",
]  # fmt: skip


def _not_before(cols, first: str, later: str, lines, errors, reason: str) -> None:
    """An error on every row whose ``later`` date lies before its ``first`` date."""
    n = len(lines)
    errors.extend(
        RowError(lines[k], later, reason)
        for k, (a, b) in enumerate(zip(_col(cols, first, n), _col(cols, later, n), strict=True))
        if a is not None and b is not None and b < a
    )


def signals(cols, lk: Lookups, lines, errors) -> Columns:
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


def involvements(cols, lk: Lookups, lines, errors) -> Columns:
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


def help_requests(cols, lk: Lookups, lines, errors) -> Columns:
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


def residences(cols, lk: Lookups, lines, errors) -> Columns:
    n = len(lines)
    tot = _col(cols, "tot", n)
    errors.extend(
        RowError(lines[k], "tot", "tot ligt niet na vanaf")
        for k, (a, b) in enumerate(zip(cols["vanaf"], tot, strict=True))
        if b is not None and b <= a
    )
    hashes = lk.bsn_hashes(cols["bsn"])
    periods: dict[str, list[tuple[Any, Any, int]]] = {}
    for k, h in enumerate(hashes):  # one person cannot live in two households at once
        periods.setdefault(h, []).append((cols["vanaf"][k], tot[k], k))
    for rows in periods.values():
        rows.sort(key=lambda r: r[0])
        for (_, end, _), (start, _, k) in zip(rows, rows[1:], strict=False):
            if end is None or end > start:
                errors.append(RowError(lines[k], "vanaf", "overlapt met een andere periode"))
    query = select(Household.huishouden_id, Household.id)
    reason = "onbekend huishouden_id (huishouden niet geïmporteerd)"
    values = {
        "person_id": lk.person_ids(cols["bsn"], lines, errors),
        "household_id": lk.resolve(
            query, cols["huishouden_id"], "huishouden_id", reason, lines, errors
        ),
        "vanaf": cols["vanaf"],
        "tot": tot,
    }
    keys = [f"{h[:32]}:{hh}:{v.isoformat()}" for h, hh, v in
            zip(hashes, cols["huishouden_id"], cols["vanaf"], strict=True)]  # fmt: skip
    return Columns(keys, values, lines)


def debt_snapshots(cols, lk: Lookups, lines, errors) -> Columns:
    """A schuldstand per row: the debt (by its ``bron_id``) and its amount on ``peildatum``.

    The key is ``bron_id:peildatum``: the same debt on the same date is the same row.
    A peildatum before the debt's ``sinds`` or after today is refused.
    """
    known = {b: (i, s) for b, i, s in lk.session.execute(select(Debt.bron_id, Debt.id, Debt.sinds))}
    today = dt.date.today()
    debt_ids: list[int | None] = []
    for line, bron, peil in zip(lines, cols["bron_id"], cols["peildatum"], strict=True):
        debt = known.get(bron)
        debt_ids.append(None if debt is None else debt[0])
        if debt is None:
            errors.append(RowError(line, "bron_id", "onbekende schuld (bron_id niet geïmporteerd)"))
        elif peil < debt[1]:
            reason = f"peildatum ligt voor het begin van de schuld ({debt[1]:%d-%m-%Y})"
            errors.append(RowError(line, "peildatum", reason))
        if peil > today:
            errors.append(RowError(line, "peildatum", "peildatum ligt in de toekomst"))
    values = {
        "debt_id": debt_ids,
        "peildatum": cols["peildatum"],
        "openstaand_cent": cols["openstaand"],
    }
    keys = [f"{b}:{p.isoformat()}" for b, p in zip(cols["bron_id"], cols["peildatum"], strict=True)]
    return Columns(keys, values, lines)


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
