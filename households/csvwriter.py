"""The one CSV writer of every export (DESIGN §6): formula injection neutralised.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK(...)``, ``+cmd|x``, ``@SUM(A1)``). Every such text cell
gets a leading apostrophe, as OWASP advises; a plain number (``-1.50``) stays a number.
The stacking report, the overview, the audit log and the demo export all write through
here: :func:`csv_text` for rows, :func:`frame_csv` for a DataFrame (the fast path of the
stacking report at a million rows).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = ["FORMULA_START", "csv_text", "frame_csv", "safe_cell", "write_csv"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[-+]?[0-9]+(?:[.,][0-9]+)*")
_NEEDS_QUOTES = r'[,"\r\n]'
# One scan per text column: a cell that needs quoting, or one that starts like a formula.
_NEEDS_CARE = re.compile(r'[,"\r\n]|^[=+\-@\t]')


def safe_cell(value: Any) -> Any:
    """``value``, with an apostrophe before text a spreadsheet would run as a formula
    (a carriage return becomes a line feed, which the writer quotes).

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("+cmd|x"), safe_cell("@SUM(A1)")
    ('\\'=HYPERLINK("http://x")', "'+cmd|x", "'@SUM(A1)")
    >>> safe_cell("-1.50"), safe_cell("Noord"), safe_cell(3)
    ('-1.50', 'Noord', 3)
    """
    if not isinstance(value, str):
        return value
    if "\r" in value:  # a line break is LF: csv quotes it, a bare CR would split the row
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value[:1] in FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """``header`` and ``rows`` as CSV text (``,``, ``\\n`` line ends), every cell made safe.

    >>> csv_text(["a", "b"], [["=1+1", 2]])
    "a,b\\n'=1+1,2\\n"
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write :func:`csv_text` to ``path`` (UTF-8); returns the path."""
    target = Path(path)
    target.write_text(csv_text(header, rows), encoding="utf-8")
    return target


_PLAIN = pacsv.WriteOptions(quoting_style="none", quoting_header="none")


def _arrow(frame: pd.DataFrame, texts: list[str]) -> pa.Table:
    return pa.Table.from_pandas(frame.astype({c: str for c in texts}), preserve_index=False)


def _any_match(column: pa.ChunkedArray, pattern: str) -> bool:
    return bool(pc.any(pc.match_substring_regex(column, pattern)).as_py())


def frame_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """``frame`` as CSV (header, ``\\n`` line ends, no index), text cells made safe.

    Columns are integers or text. Arrow's writer is several times faster than pandas at
    a million rows; it is used when no text value needs quoting or escaping (keys and wijk
    names never do in practice); else the columns that need it are escaped and pandas
    quotes what needs quoting. With ``path`` the text is written there and None returned.
    """
    texts = [c for c in frame.columns if not pd.api.types.is_integer_dtype(frame[c])]
    table = _arrow(frame, texts)
    careful = [c for c in texts if _any_match(table.column(c), _NEEDS_CARE.pattern)]
    if careful:
        frame = frame.assign(**{c: frame[c].map(safe_cell) for c in careful})
    if careful and any(frame[c].astype(str).str.contains(_NEEDS_QUOTES).any() for c in careful):
        buf = io.StringIO()
        frame.to_csv(buf, index=False, lineterminator="\n")
        text = buf.getvalue()
    else:
        if careful:
            table = pa.Table.from_pandas(
                frame.astype({c: str for c in texts}), preserve_index=False
            )
        sink = pa.BufferOutputStream()
        pacsv.write_csv(
            table, sink, pacsv.WriteOptions(quoting_style="none", quoting_header="none")
        )
        text = sink.getvalue().to_pybytes().decode("utf-8")
    if path is None:
        return text
    Path(path).write_text(text, encoding="utf-8")
    return None
