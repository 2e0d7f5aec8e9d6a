"""Write iWmo/iJw messages (release 3.2) as a municipality and its providers exchange them.

Used by ``kiss demo --export`` (a sample of provisions as 301/305/307 messages, so the
generator and the importer are tested against each other) and by the tests. Only the
elements the hub reads are filled, plus the header fields every message carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from households.istandaarden_codes import BASE_NAMESPACES, MESSAGES, PRODUCT_CATEGORIES

if TYPE_CHECKING:
    from data.generator import DemoData

__all__ = ["GEMEENTE_BRUNSSUM", "Line", "message_xml", "write_messages"]

GEMEENTE_BRUNSSUM = "0899"  # CBS gemeentecode
_DOMAIN = {"iwmo": "WMO", "ijw": "JEUGD"}

_LINE = {
    "301": ("ToegewezenProducten", "ToegewezenProduct"),
    "305": ("StartProducten", "StartProduct"),
    "307": ("StopProducten", "StopProduct"),
}


@dataclass(frozen=True)
class Line:
    """One product line: the ToewijzingNummer and the dates of its message kind."""

    nummer: str
    categorie: str = "01"
    ingangsdatum: dt.date | None = None
    einddatum: dt.date | None = None
    begindatum: dt.date | None = None
    reden: str | None = None


def message_xml(
    standard: str,
    kind: str,
    *,
    gemeente: str,
    agb: str,
    bsn: str,
    lines: list[Line],
    dagtekening: dt.date,
    berichtcode: str | None = None,
    namespace: str | None = None,
) -> bytes:
    """One message of ``standard`` (``iwmo``/``ijw``) and ``kind`` (301/305/307) as UTF-8 XML.

    ``berichtcode`` and ``namespace`` override the proper values (to test refusals).
    """
    ns, code = MESSAGES[(standard, kind)]
    ns = namespace or ns
    base = BASE_NAMESPACES[standard]
    afzender, ontvanger = (gemeente, agb) if kind == "301" else (agb, gemeente)
    group, tag = _LINE[kind]
    body = "".join(_line(kind, line, dagtekening) for line in lines)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<m:Bericht xmlns:m="{ns}" xmlns:b="{base}">'
        f"<m:Header><m:BerichtCode>{berichtcode or code}</m:BerichtCode>"
        "<m:BerichtVersie>3</m:BerichtVersie><m:BerichtSubversie>2</m:BerichtSubversie>"
        f"<m:Afzender>{escape(afzender)}</m:Afzender><m:Ontvanger>{escape(ontvanger)}</m:Ontvanger>"
        f"<m:BerichtIdentificatie><b:Identificatie>{escape(lines[0].nummer if lines else '0')}"
        f"-{kind}</b:Identificatie><b:Dagtekening>{dagtekening.isoformat()}</b:Dagtekening>"
        "</m:BerichtIdentificatie></m:Header>"
        f"<m:Client><m:Bsn>{escape(bsn)}</m:Bsn>"
        f"<m:{group}>{body.replace('<T>', f'<m:{tag}>').replace('</T>', f'</m:{tag}>')}</m:{group}>"
        "</m:Client></m:Bericht>\n"
    ).encode()


def _line(kind: str, line: Line, dagtekening: dt.date) -> str:
    parts = [f"<m:ToewijzingNummer>{escape(line.nummer)}</m:ToewijzingNummer>"]
    if kind == "301":
        parts.append(
            f"<m:Product><b:Categorie>{escape(line.categorie)}</b:Categorie></m:Product>"
            f"<m:Toewijzingsdatum>{dagtekening.isoformat()}</m:Toewijzingsdatum>"
            "<m:Toewijzingstijd>09:00:00</m:Toewijzingstijd>"
        )
        if line.ingangsdatum:
            parts.append(f"<m:Ingangsdatum>{line.ingangsdatum.isoformat()}</m:Ingangsdatum>")
        if line.einddatum:
            parts.append(f"<m:Einddatum>{line.einddatum.isoformat()}</m:Einddatum>")
    elif kind == "305":
        if line.begindatum:
            parts.append(f"<m:Begindatum>{line.begindatum.isoformat()}</m:Begindatum>")
        parts.append("<m:StatusAanlevering>1</m:StatusAanlevering>")
    else:
        if line.reden:
            parts.append(f"<m:RedenBeeindiging>{escape(line.reden)}</m:RedenBeeindiging>")
        if line.einddatum:
            parts.append(f"<m:Einddatum>{line.einddatum.isoformat()}</m:Einddatum>")
    return "<T>" + "".join(parts) + "</T>"


def _category(standard: str) -> dict[str, str]:
    """soort -> the first product category of ``standard`` that maps back to it."""
    out: dict[str, str] = {}
    for std, code, _, domein, soort in PRODUCT_CATEGORIES:
        if std == standard and domein == _DOMAIN[standard]:
            out.setdefault(soort, code)
    return out


def _day(value) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def write_messages(data: DemoData, target: Path, n: int, seed: int) -> dict[str, list[str]]:
    """Write ``n`` Wmo and ``n`` Jeugd provisions as messages into ``target``/iwmo and /ijw.

    Each provision gets a 301; a 305 when it started on or before the reference date; a 307
    when it ended by then. Returns the ``bron_id`` of the provisions written, per standard.
    """
    rng = np.random.default_rng(seed)
    agb = dict(zip(data.institutions["naam"], data.institutions["instelling_id"], strict=True))
    today = data.reference_date
    written: dict[str, list[str]] = {}
    for standard, domein in _DOMAIN.items():
        category = _category(standard)
        pool = data.provisions[
            (data.provisions["domein"] == domein) & data.provisions["soort"].isin(category)
        ]
        pick = pool.iloc[np.sort(rng.choice(len(pool), size=min(n, len(pool)), replace=False))]
        folder = target / standard
        folder.mkdir(parents=True, exist_ok=True)
        for row in pick.itertuples(index=False):
            start, end = _day(row.start), _day(row.einde)
            number = "".join(ch for ch in row.bron_id if ch.isdigit()) or row.bron_id
            common = {"gemeente": GEMEENTE_BRUNSSUM, "agb": agb.get(row.aanbieder, "00000000"),
                      "bsn": row.bsn}  # fmt: skip
            alloc = Line(number, category[row.soort], ingangsdatum=start, einddatum=end)
            (folder / f"{number}-301.xml").write_bytes(
                message_xml(standard, "301", lines=[alloc], dagtekening=start, **common)
            )
            if start <= today:
                begun = Line(number, begindatum=start)
                (folder / f"{number}-305.xml").write_bytes(
                    message_xml(standard, "305", lines=[begun], dagtekening=start, **common)
                )
            if end is not None and end <= today:
                stop = Line(number, einddatum=end, reden="01")
                (folder / f"{number}-307.xml").write_bytes(
                    message_xml(standard, "307", lines=[stop], dagtekening=end, **common)
                )
        written[standard] = list(pick["bron_id"])
    return written
