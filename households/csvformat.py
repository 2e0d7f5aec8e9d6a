"""Interchange format v1: reading the CSV and validating whole tables (DESIGN.md §5).

Everything here is pure: bytes in, columns of values (or :class:`RowError` rows with
a Dutch reason) out; nothing is written. The parsers for single cells live in
:mod:`households.cellparsers`. Error messages never repeat a cell's value, so a BSN
that ends up in the wrong column is never echoed back.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from households.errors import InvalidInput
from households.validation import INVALID_CHARACTERS, has_control_characters, normalise_text

if TYPE_CHECKING:
    from sqlalchemy import Table

__all__ = [
    "RowError",
    "ImportRejected",
    "ImportResult",
    "CsvTable",
    "read_table",
    "Field",
    "Kind",
    "Columns",
    "check_header",
    "validate_table",
    "describe",
]


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
    """A decoded CSV file: header columns (lower-case, trimmed) and the data rows.

    ``lines[k]`` is the physical line number of ``rows[k]`` (the header is line 1);
    blank lines are skipped; ``unreadable`` holds lines the CSV reader refused.
    """

    columns: list[str]
    lines: list[int]
    rows: list[list[str]]
    unreadable: list[int]
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
    if not text.strip():
        raise ImportRejected("bestand", "", [RowError(1, "-", "het bestand is leeg")])
    first_end = text.find("\n")
    delimiter = _detect_delimiter(text if first_end < 0 else text[:first_end])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except csv.Error:
        raise ImportRejected("bestand", "", [RowError(1, "-", "kopregel onleesbaar")]) from None
    lines: list[int] = []
    rows: list[list[str]] = []
    unreadable: list[int] = []
    while True:
        try:
            for row in reader:
                if len(row) > 1 or (row and row[0].strip()):
                    lines.append(reader.line_num)
                    rows.append(row)
            break
        except csv.Error:
            unreadable.append(reader.line_num)
    columns = [c.strip().lower() for c in header]
    return CsvTable(columns, lines, rows, unreadable, text.count("\n") + 1)


@dataclass(frozen=True)
class Field:
    """One column of a file kind: its parser and the database columns it fills."""

    name: str
    parse: Callable[[str], Any]
    required: bool = False
    fills: tuple[str, ...] = ()


@dataclass
class Columns:
    """Valid rows column by column: file key, database values and line numbers."""

    keys: list[Any]
    values: dict[str, list[Any]]
    lines: list[int]


# A converter checks rules across columns, looks up references and returns database
# values: (parsed columns, lookups, line numbers, errors to append to) -> Columns.
Converter = Callable[[dict[str, list[Any]], Any, list[int], list[RowError]], Columns]


@dataclass(frozen=True)
class Kind:
    """A file kind: its table, its database key column, its fields and converter."""

    name: str
    table: Table
    key: str
    fields: tuple[Field, ...]
    convert: Converter
    # The fields that identify a row in a file (default: the first field); a file may not
    # hold the same combination twice.
    key_fields: tuple[str, ...] = ()

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
    """Map known column names to positions; errors for missing or doubled columns."""
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


@dataclass(frozen=True)
class _Invalid:
    reason: str


class _ParsedCells(dict):
    """Memo of one column's parser: each distinct cell text is parsed once."""

    def __init__(self, parse: Callable[[str], Any], required: bool) -> None:
        super().__init__()
        self.parse = parse
        self.required = required
        self.invalid = False

    def __missing__(self, raw: str) -> Any:
        if not raw:
            value = _Invalid("verplicht veld is leeg") if self.required else None
        else:
            try:
                value = self.parse(raw)
            except InvalidInput as exc:
                value = _Invalid(str(exc))
        if type(value) is _Invalid:
            self.invalid = True
        self[raw] = value
        return value


def _field_count_errors(table: CsvTable, errors: list[RowError]) -> set[int]:
    ncols = len(table.columns)
    lengths = list(map(len, table.rows))
    if not lengths or min(lengths) == max(lengths) == ncols:
        return set()
    bad: set[int] = set()
    for k, n in enumerate(lengths):
        if n == ncols:
            continue
        line = table.lines[k]
        if n < ncols:
            missing = next((c for c in table.columns[n:] if c), "-")
            errors.append(
                RowError(line, missing, f"ontbreekt (regel heeft {n} van {ncols} velden)")
            )
            bad.add(k)
        elif any(c.strip() for c in table.rows[k][ncols:]):
            errors.append(RowError(line, "-", f"te veel velden ({n}, verwacht {ncols})"))
            bad.add(k)
    return bad


def _duplicate_keys(keys: list[Any], lines: list[int], name: str, errors: list[RowError]) -> set:
    bad: set[int] = set()
    if len(set(keys)) == len(keys):
        return bad
    seen: dict[Any, int] = {}
    what = "BSN" if name == "bsn" else name
    for k, key in enumerate(keys):
        if key is None or type(key) is _Invalid:
            continue
        first = seen.setdefault(key, k)
        if first != k:
            errors.append(
                RowError(lines[k], name, f"dubbele {what}: staat ook op regel {lines[first]}")
            )
            bad.add(k)
    return bad


def _normalised(raw: list[str]) -> list[str]:
    # NFKC per cell (not on the whole file: a full-width comma must not become a delimiter).
    if "".join(raw).isascii():
        return raw
    return [v if v.isascii() else normalise_text(v).strip() for v in raw]


_REFUSED = _Invalid(INVALID_CHARACTERS)


def _refuse_control_characters(raw: list[str], values: list[Any], cells: _ParsedCells) -> None:
    # NUL, ESC, bidi overrides ...: refused in every column of every kind (DESIGN 5.1).
    if not has_control_characters("".join(raw)):
        return
    for k, v in enumerate(list(raw)):
        if has_control_characters(v):
            values[k] = _REFUSED
            cells.invalid = True


def validate_table(
    kind: Kind, table: CsvTable, lookups: Any, progress: Callable[[float], None] | None
) -> tuple[Columns | None, list[RowError], int, list[str]]:
    """Check every row of ``table`` against ``kind``, column by column; nothing is written.

    Returns ``(columns, errors, rows, warnings)``; ``columns`` holds the valid rows.
    Cell errors, field-count errors and duplicate keys (on the later line) are all
    reported; rows with such errors skip the cross-column checks of the converter.
    """
    index, errors, warnings = check_header(kind, table.columns)
    if errors:
        return None, errors, 0, warnings
    errors.extend(RowError(line, "-", "regel onleesbaar (CSV-fout)") for line in table.unreadable)
    shape_bad = _field_count_errors(table, errors)
    bad = set(shape_bad)
    rows = table.rows
    if shape_bad:  # pad short rows so every column can still be read
        width = len(table.columns)
        rows = [r if len(r) >= width else r + [""] * (width - len(r)) for r in rows]
    parsed: dict[str, list[Any]] = {}
    present = [f for f in kind.fields if f.name in index]
    for step, f in enumerate(present):
        cells = _ParsedCells(f.parse, f.required)
        raw = _normalised(list(map(str.strip, map(itemgetter(index[f.name]), rows))))
        max_len = getattr(f.parse, "max_len", None)
        if max_len is not None and max(map(len, raw), default=0) <= max_len and "" not in raw:
            values = raw  # free text that fits: nothing to parse
        else:
            values = list(map(cells.__getitem__, raw))
        _refuse_control_characters(raw, values, cells)
        if cells.invalid:
            for k, v in enumerate(values):
                if type(v) is _Invalid and k not in shape_bad:
                    errors.append(RowError(table.lines[k], f.name, v.reason))
                    bad.add(k)
        parsed[f.name] = values
        if progress is not None:
            progress(0.6 * (step + 1) / len(present))
    n_rows = len(rows)
    rows = table.rows = []  # every column is read: free the raw rows (most of the memory)
    names = kind.key_fields or (kind.fields[0].name,)
    key = names[0]
    keys = parsed[key] if len(names) == 1 else [
        None if any(v is None or type(v) is _Invalid for v in combo) else combo
        for combo in zip(*(parsed[n] for n in names), strict=True)
    ]  # fmt: skip
    bad |= _duplicate_keys(keys, table.lines, key, errors)
    lines = table.lines
    if bad:
        good = [k for k in range(n_rows) if k not in bad]
        parsed = {name: [col[k] for k in good] for name, col in parsed.items()}
        lines = [lines[k] for k in good]
    columns = kind.convert(parsed, lookups, lines, errors)
    return columns, errors, n_rows, warnings


def describe(value: Any) -> str:
    """A value for a warning: institution names are shown, digit strings are not."""
    s = str(value)
    return "(naam niet getoond)" if re.fullmatch(r"[0-9 .]{8,}", s) else f"'{s}'"
