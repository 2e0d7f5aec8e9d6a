"""Scan everything an AppTest run rendered for text a Dutch user must never meet.

:func:`scan_app` walks the whole element tree (main area and sidebar) and
collects every user-visible string: headings, markdown, captions, alerts, metric
labels and values, widget labels, options, placeholders and help texts, table
headers and cells, and in charts the titles, text marks, tooltips and data
values. It returns one line per finding; an empty list means the page is clean.

Findings: ``None``/``nan``/``NaT``/``True``/``False`` as a word, English UI words
(:data:`ENGLISH`), Python-style numbers (``1502.91``, ``1,000``), ISO dates or
times, and snake_case or slash-separated column headers and chart field titles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pandas as pd
from google.protobuf.json_format import MessageToDict

__all__ = ["ENGLISH", "scan_app", "scan_text", "scan_header"]

PYTHON_WORDS = ("None", "nan", "NaN", "NaT", "null", "True", "False", "<NA>")
ENGLISH = (
    "No results", "No data", "Upload", "Browse files", "Drag and drop", "per file",
    "Press Enter", "Press Ctrl", "Choose an option", "Select", "Search", "Loading",
    "empty", "Submit", "Save", "Cancel", "Delete", "Yes", "Error", "Warning", "Unknown",
    "Total", "Date", "Name", "Count", "count", "value", "Value", "index", "level_0",
    "share", "with_feedback", "households", "actions", "institution", "provisions",
    "month", "Month", "year", "quarter", "January", "February", "March", "April", "June",
    "July", "August", "October", "December", "Monday", "Sunday",
)  # fmt: skip

_WORD = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in (*PYTHON_WORDS, *ENGLISH)) + r")(?![\w-])"
)
_PY_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.,])")  # 1502.91 (Dutch: 1502,91)
_PY_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(,\d{3})+\.\d+(?![\d])")  # 71,915.44
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_SNAKE = re.compile(r"^[A-Za-z0-9]+(_[A-Za-z0-9]+)+$|/")

# Proto fields that hold identifiers, not text a user reads.
_TECHNICAL = {
    "id", "form_id", "key", "icon", "type", "url", "mime", "spec", "data", "datasets",
    "arrow_data", "columns", "element_hash", "page_script_hash", "page_name", "url_path",
    "format", "color", "width_config", "height_config", "text_alignment_config", "file_name",
    "selection_mode", "theme", "default", "value", "raw_value", "set_value", "body_format",
    "step", "min", "max", "column_order",
}  # fmt: skip


def scan_text(text: str) -> list[str]:
    """What is wrong with one visible string (empty when nothing).

    >>> scan_text("Openstaand € 1.234,56 op 26-11-2026")
    []
    >>> scan_text("None"), scan_text("€ 71915.44"), scan_text("2026-11-26")
    (['None'], ['Python-getal 71915.44'], ['ISO-datum 2026-11-26'])
    """
    found = [m.group(1) for m in _WORD.finditer(text)]
    found += [f"Python-getal {m.group(0)}" for m in _PY_DECIMAL.finditer(text)]
    found += [f"Python-getal {m.group(0)}" for m in _PY_THOUSANDS.finditer(text)]
    found += [f"ISO-datum {m.group(0)}" for m in _ISO_DATE.finditer(text)]
    return found


def scan_header(header: str) -> list[str]:
    """A column header or chart field title: Dutch words, no snake_case or slashes.

    >>> scan_header("Openstaande schuld"), scan_header("with_feedback/share")[0]
    ([], 'snake_case-kop with_feedback/share')
    """
    found = [f"snake_case-kop {header}"] if _SNAKE.search(header) else []
    return found + scan_text(header)


def _strings(value, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in _TECHNICAL:
                yield from _strings(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, path)


def _frame_findings(frame: pd.DataFrame, where: str, verbatim=()) -> Iterator[str]:
    if not isinstance(frame, pd.DataFrame):
        return
    frame = frame.drop(columns=[c for c in verbatim if c in frame.columns])
    for column in frame.columns:
        for problem in scan_header(str(column)):
            yield f"{where}: kop {column!r}: {problem}"
    if frame.index.name or not isinstance(frame.index, pd.RangeIndex):
        for value in list(frame.index)[:200]:
            for problem in scan_text(_cell(value)):
                yield f"{where}: rij {value!r}: {problem}"
    for column in frame.columns:
        for value in frame[column].head(200):
            for problem in scan_text(_cell(value)):
                yield f"{where}: cel {column!r}={value!r}: {problem}"


def _cell(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, float) and value != value:
        return "nan"
    if value is pd.NaT:
        return "NaT"
    if isinstance(value, float):
        # A bare float in a table is shown by Streamlit as 1502.91: not Dutch.
        return repr(value) if value != int(value) else str(int(value))
    return str(value)


def _chart_findings(proto, where: str) -> Iterator[str]:
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    spec = json.loads(proto.spec)
    locale = spec.get("config", {}).get("locale", {})
    if locale.get("number", {}).get("decimal") != "," or "maart" not in locale.get("time", {}).get(
        "months", []
    ):
        yield f"{where}: grafiek zonder Nederlandse notatie (config.locale)"
    yield from _spec_findings(spec, where)
    for dataset in proto.datasets:
        frame = convert_arrow_bytes_to_pandas_df(dataset.data.data)
        for column in frame.columns:
            for value in frame[column].head(500):
                if isinstance(value, str):
                    for problem in scan_text(value):
                        yield f"{where}: gegevens {column!r}={value!r}: {problem}"


_CHANNELS = {
    "x", "y", "x2", "y2", "color", "fill", "stroke", "shape", "size", "opacity", "text",
    "tooltip", "strokeDash", "xOffset", "yOffset", "theta", "radius", "row", "column", "facet",
}  # fmt: skip


def _spec_findings(spec, where: str) -> Iterator[str]:
    """Titles and text in a Vega-Lite spec; an encoded field without title must read Dutch."""
    if isinstance(spec, list):
        for item in spec:
            yield from _spec_findings(item, where)
        return
    if not isinstance(spec, dict):
        return
    for key, value in spec.items():
        if key in ("title", "text", "labelExpr") and isinstance(value, str | list):
            texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
            for text in texts:
                if key != "labelExpr":
                    for problem in scan_text(text):
                        yield f"{where}: grafiek {key} {text!r}: {problem}"
        if key == "encoding" and isinstance(value, dict):
            for channel, enc in value.items():
                for item in enc if isinstance(enc, list) else [enc]:
                    if channel in _CHANNELS and isinstance(item, dict) and "field" in item:
                        shown = item.get("title", item["field"])
                        if shown is None or channel in ("x2", "y2", "xOffset"):
                            continue
                        for problem in scan_header(str(shown)):
                            yield f"{where}: grafiekveld {channel} {shown!r}: {problem}"
        if key not in ("datasets", "data", "usermeta", "config", "encoding"):
            yield from _spec_findings(value, where)
        elif key == "encoding":
            for enc in value.values():
                yield from _spec_findings(enc, where)


def _walk(node) -> Iterator:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def scan_app(at, verbatim: tuple[str, ...] = ()) -> list[str]:
    """Every finding on the rendered page (main area and sidebar), one line each.

    ``verbatim`` names table columns whose cells show stored records as they were
    written (the audit trail's object ids and old/new values); only their headers
    are checked.
    """
    findings: list[str] = []
    for node in _walk(at._tree):
        kind = getattr(node, "type", "")
        proto = getattr(node, "proto", None)
        where = f"{kind}" + (f"[{node.key}]" if getattr(node, "key", None) else "")
        if kind == "exception":
            findings.append(f"{where}: uitzondering {list(proto.message)[:1]}")
            continue
        if kind == "dataframe":
            findings += _frame_findings(node.value, where, verbatim)
            findings += [f"{where}: {p}" for col in _column_labels(proto) for p in scan_header(col)]
            continue
        if kind in ("arrow_vega_lite_chart", "vega_lite_chart"):
            findings += _chart_findings(proto, where)
            continue
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        content = MessageToDict(proto, preserving_proto_field_name=True)
        for path, text in _strings(content):
            findings += [f"{where}{path}: {text[:60]!r}: {p}" for p in scan_text(text)]
    return findings


def _column_labels(proto) -> list[str]:
    if not proto.columns:
        return []
    config = json.loads(proto.columns)
    return [c["label"] for c in config.values() if isinstance(c, dict) and c.get("label")]
