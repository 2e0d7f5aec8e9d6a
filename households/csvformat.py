"""Interchange format v1: reading the CSV and checking single cells (DESIGN.md §5).

Everything here is pure: text in, values (or an :class:`~households.errors.InvalidInput`
with a Dutch reason) out. Error messages never repeat a cell's value, so a BSN that
ends up in the wrong column is never echoed back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from households.bsn import is_valid_bsn, normalise_bsn
from households.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import Table

__all__ = [
    "parse_date",
    "parse_amount",
    "parse_bool",
    "parse_year",
    "parse_postcode",
    "code_parser",
    "text_parser",
    "parse_bsn",
    "RowError",
    "ImportRejected",
    "ImportResult",
    "CsvTable",
    "read_table",
    "Field",
    "Kind",
    "RowRuleBroken",
    "check_header",
    "validate_table",
    "describe",
]

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NL_DATE = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")
_DIGITS = re.compile(r"[0-9]+")
_POSTCODE = re.compile(r"[1-9][0-9]{3}[A-Z]{2}")
_SIMPLE_AMOUNT = re.compile(r"([0-9]{1,13})(?:[.,]([0-9]{1,2}))?")
_MAX_AMOUNT_DIGITS = 13  # 10^13 euro: far beyond any real amount, well inside BIGINT


def parse_date(value: str) -> dt.date:
    """A date written as ``YYYY-MM-DD`` or ``DD-MM-YYYY``.

    >>> parse_date("2024-03-01"), parse_date(" 01-03-2024 ")
    (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1))
    >>> parse_date("2024-02-30")
    Traceback (most recent call last):
    households.errors.InvalidInput: ongeldige datum (bestaat niet)
    """
    value = value.strip()
    m = _ISO_DATE.fullmatch(value)
    if m:
        y, mo, d = m.groups()
    else:
        m = _NL_DATE.fullmatch(value)
        if not m:
            raise InvalidInput("ongeldige datum (verwacht JJJJ-MM-DD of DD-MM-JJJJ)")
        d, mo, y = m.groups()
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        raise InvalidInput("ongeldige datum (bestaat niet)") from None


def parse_amount(value: str) -> int:
    """An amount in euro, returned in cents. The last ``.`` or ``,`` is the decimal mark.

    >>> parse_amount("1.234,56"), parse_amount("1234,56"), parse_amount("1234.56")
    (123456, 123456, 123456)
    >>> parse_amount("12"), parse_amount("12,5"), parse_amount("1,234.5")
    (1200, 1250, 123450)
    >>> parse_amount("1.234")
    Traceback (most recent call last):
    households.errors.InvalidInput: ongeldig bedrag: meer dan 2 decimalen
    """
    value = value.strip()
    simple = _SIMPLE_AMOUNT.fullmatch(value)
    if simple:  # the common spellings, e.g. 12 / 12,5 / 1234.56
        whole, fraction = simple.groups()
        return int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)
    if value.startswith("-"):
        raise InvalidInput("negatief bedrag is niet toegestaan")
    mark = max(value.rfind("."), value.rfind(","))
    if mark < 0:
        whole, fraction = value, ""
    else:
        whole, fraction = value[:mark], value[mark + 1 :]
        if not fraction:
            raise InvalidInput("ongeldig bedrag (geen cijfers na het decimaalteken)")
        if len(fraction) > 2:
            raise InvalidInput("ongeldig bedrag: meer dan 2 decimalen")
        if not _DIGITS.fullmatch(fraction):
            raise InvalidInput("ongeldig bedrag (verwacht bijvoorbeeld 1.234,56)")
    whole = whole.replace(".", "").replace(",", "")
    if not whole:
        if not fraction:
            raise InvalidInput("ongeldig bedrag (geen cijfers)")
        whole = "0"
    if not _DIGITS.fullmatch(whole):
        raise InvalidInput("ongeldig bedrag (verwacht bijvoorbeeld 1.234,56)")
    if len(whole.lstrip("0")) > _MAX_AMOUNT_DIGITS:
        raise InvalidInput("ongeldig bedrag (te groot)")
    return int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)


_BOOLS = {"ja": True, "nee": False}


def parse_bool(value: str) -> bool | None:
    """``ja`` / ``nee`` (any case); empty means unknown (None).

    >>> parse_bool("Ja"), parse_bool("NEE"), parse_bool("")
    (True, False, None)
    """
    value = value.strip().lower()
    if not value:
        return None
    try:
        return _BOOLS[value]
    except KeyError:
        raise InvalidInput("ongeldige waarde (verwacht ja, nee of leeg)") from None


def parse_year(value: str) -> int:
    """A birth year between 1870 and next year.

    >>> parse_year("1984")
    1984
    """
    value = value.strip()
    if not _DIGITS.fullmatch(value) or len(value) != 4:
        raise InvalidInput("ongeldig geboortejaar (verwacht vier cijfers, bijv. 1984)")
    year = int(value)
    if not 1870 <= year <= dt.date.today().year + 1:
        raise InvalidInput("ongeldig geboortejaar (buiten het mogelijke bereik)")
    return year


def parse_postcode(value: str) -> str:
    """A Dutch postcode, normalised to ``1234AB``.

    >>> parse_postcode("6441 ab")
    '6441AB'
    """
    pc = value.replace(" ", "").upper()
    if not _POSTCODE.fullmatch(pc):
        raise InvalidInput("ongeldige postcode (verwacht bijv. 6441AB)")
    return pc


def parse_bsn(value: str) -> str:
    """A BSN that passes the elfproef, normalised to 9 digits (never echoed in messages).

    >>> parse_bsn("11.12.22.333")
    '111222333'
    """
    bsn = normalise_bsn(value)
    if not is_valid_bsn(bsn):
        raise InvalidInput("ongeldig BSN (voldoet niet aan de elfproef)")
    return bsn


def code_parser(choices: tuple[str, ...]) -> Callable[[str], str]:
    """A parser for a code value from ``choices`` (case-insensitive; returns the canonical form).

    >>> code_parser(("WMO", "JEUGD", "ISD"))("jeugd")
    'JEUGD'
    """
    lookup = {c.lower(): c for c in choices}
    expected = ", ".join(choices)

    def parse(value: str) -> str:
        try:
            return lookup[value.strip().lower()]
        except KeyError:
            raise InvalidInput(f"onbekende code (verwacht {expected})") from None

    return parse


def text_parser(max_len: int) -> Callable[[str], str]:
    """A parser for free text of at most ``max_len`` characters."""

    def parse(value: str) -> str:
        if len(value) > max_len:
            raise InvalidInput(f"te lang (maximaal {max_len} tekens)")
        return value

    return parse


@dataclass(frozen=True)
class RowError:
    """One reason a file was rejected: line (header = 1), column and a Dutch reason."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"regel {self.line}, kolom {self.column}: {self.reason}"


class ImportRejected(InvalidInput):
    """A file with invalid rows: nothing was imported. ``errors`` lists every bad cell."""

    def __init__(self, kind: str, name: str, errors: list[RowError]) -> None:
        self.kind = kind
        self.name = name
        self.errors = sorted(errors, key=lambda e: e.line)
        lines = len({e.line for e in self.errors})
        summary = (
            f"Import van {kind} ({name}) geweigerd: {len(self.errors)} "
            f"{'fout' if len(self.errors) == 1 else 'fouten'} in {lines} "
            f"{'regel' if lines == 1 else 'regels'}; er is niets geïmporteerd."
        )
        super().__init__("\n".join([summary, *map(str, self.errors)]))


@dataclass
class ImportResult:
    """What an accepted import did: counts per outcome and warnings (Dutch)."""

    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One Dutch line: rows and how many were new, updated and unchanged."""
        text = (
            f"{self.kind}: {self.rows} {'regel' if self.rows == 1 else 'regels'} geïmporteerd; "
            f"{self.inserted} nieuw, {self.updated} bijgewerkt, {self.unchanged} ongewijzigd"
        )
        if self.warnings:
            n = len(self.warnings)
            text += f" ({n} {'waarschuwing' if n == 1 else 'waarschuwingen'})"
        return text + "."


@dataclass
class CsvTable:
    """A decoded CSV file: header columns (lower-case, trimmed) and the data rows."""

    columns: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line number, raw cells)
    total_lines: int


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportRejected(
            "bestand", "", [RowError(line, "-", "geen geldige UTF-8-tekst")]
        ) from None


def _detect_delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_table(data: bytes) -> CsvTable:
    """Decode ``data`` (UTF-8, optional BOM), detect the delimiter from the header line.

    Raises :class:`ImportRejected` (with kind ``bestand``) for undecodable or empty files.
    """
    text = _decode(data)
    first_end = text.find("\n")
    header_line = text if first_end < 0 else text[:first_end]
    if not text.strip():
        raise ImportRejected("bestand", "", [RowError(1, "-", "het bestand is leeg")])
    delimiter = _detect_delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except csv.Error:
        raise ImportRejected("bestand", "", [RowError(1, "-", "kopregel onleesbaar")]) from None
    columns = [c.strip().lower() for c in header]

    def rows() -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield reader.line_num, None  # type: ignore[misc]
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            yield reader.line_num, row

    return CsvTable(columns, rows(), text.count("\n") + 1)


class RowRuleBroken(Exception):
    """A row-level rule broken by one column (raised by the row converters)."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass(frozen=True)
class Field:
    """One column of a file kind: its parser and the database columns it fills."""

    name: str
    parse: Callable[[str], Any]
    required: bool = False
    fills: tuple[str, ...] = ()
    memo: bool = False  # values repeat (codes, dates, BSNs): parse each distinct one once


@dataclass(frozen=True)
class Kind:
    """A file kind: its table, its key column and its fields."""

    name: str
    table: Table
    key: str  # database key column
    fields: tuple[Field, ...]
    convert: Callable[[dict[str, Any], Any, int], tuple[Any, dict[str, Any]]]  # rec, lookups, line

    def columns_for(self, present: set[str]) -> list[str]:
        """The database columns written for a file whose header has ``present`` fields."""
        cols: list[str] = []
        for f in self.fields:
            if f.required or f.name in present:
                cols.extend(c for c in f.fills if c not in cols)
        return cols


def check_header(
    kind: Kind, columns: list[str]
) -> tuple[dict[str, int], list[RowError], list[str]]:
    errors: list[RowError] = []
    warnings: list[str] = []
    index: dict[str, int] = {}
    known = {f.name for f in kind.fields}
    for i, col in enumerate(columns):
        if not col:
            continue
        if col in index:
            errors.append(RowError(1, col, "kolom komt twee keer voor"))
        elif col in known:
            index[col] = i
        else:
            warnings.append(f"kolom {describe(col)} is onbekend en is genegeerd")
    for f in kind.fields:
        if f.required and f.name not in index:
            errors.append(RowError(1, f.name, "verplichte kolom ontbreekt"))
    return index, errors, warnings


_MISSING = object()


@dataclass(frozen=True)
class _Invalid:
    reason: str


def validate_table(
    kind: Kind, table: CsvTable, lookups: Any, progress: Callable[[float], None] | None
) -> tuple[list[tuple[Any, dict[str, Any]]], list[RowError], int, list[str]]:
    """Check every row of ``table`` against ``kind``; nothing is written.

    Returns ``(records, errors, rows, warnings)``; ``records`` are ``(key, db values)``
    of the valid rows. The key of a duplicate key is reported on its later line.
    """
    index, errors, warnings = check_header(kind, table.columns)
    if errors:
        return [], errors, 0, warnings
    ncols = len(table.columns)
    fields = [
        (f.name, index[f.name], f.parse, f.required, {} if f.memo else None)
        for f in kind.fields
        if f.name in index
    ]
    key_name = kind.fields[0].name
    seen: dict[Any, int] = {}
    records: list[tuple[Any, dict[str, Any]]] = []
    rows = 0
    step = max(table.total_lines // 100, 10_000)
    for line, cells in table.rows:
        rows += 1
        if progress is not None and rows % step == 0:
            progress(min(line / table.total_lines, 1.0) * 0.7)
        if cells is None:
            errors.append(RowError(line, "-", "regel onleesbaar (CSV-fout)"))
            continue
        n = len(cells)
        if n < ncols:
            missing = next((c for c in table.columns[n:] if c), "-")
            errors.append(
                RowError(line, missing, f"ontbreekt (regel heeft {n} van {ncols} velden)")
            )
            continue
        if n > ncols and any(c.strip() for c in cells[ncols:]):
            errors.append(RowError(line, "-", f"te veel velden ({n}, verwacht {ncols})"))
            continue
        rec: dict[str, Any] = {}
        ok = True
        for name, i, parse, required, memo in fields:
            raw = cells[i].strip()
            if not raw:
                if required:
                    errors.append(RowError(line, name, "verplicht veld is leeg"))
                    ok = False
                else:
                    rec[name] = None
                continue
            if memo is not None:
                value = memo.get(raw, _MISSING)
                if value is _MISSING:
                    try:
                        value = parse(raw)
                    except InvalidInput as exc:
                        value = _Invalid(str(exc))
                    memo[raw] = value
                if type(value) is _Invalid:
                    errors.append(RowError(line, name, value.reason))
                    ok = False
                else:
                    rec[name] = value
                continue
            try:
                rec[name] = parse(raw)
            except InvalidInput as exc:
                errors.append(RowError(line, name, str(exc)))
                ok = False
        key = rec.get(key_name)
        if key is not None:
            first = seen.setdefault(key, line)
            if first != line:
                what = "BSN" if key_name == "bsn" else key_name
                reason = f"dubbele {what}: staat ook op regel {first}"
                errors.append(RowError(line, key_name, reason))
                continue
        if not ok:
            continue
        try:
            key, values = kind.convert(rec, lookups, line)
        except RowRuleBroken as bad:
            errors.append(RowError(line, bad.column, bad.reason))
            continue
        records.append((key, values))
    return records, errors, rows, warnings


def describe(value: Any) -> str:
    """A value for a warning: institution names are shown, digit strings are not."""
    s = str(value)
    return "(naam niet getoond)" if re.fullmatch(r"[0-9 .]{8,}", s) else f"'{s}'"
