"""Write iWmo/iJw messages (release 3.2) as a municipality and its providers exchange them.

Used by ``kiss demo --export`` (a sample of provisions as 301/305/307 messages, so the
generator and the importer are tested against each other) and by the tests. Only the
elements the hub reads are filled, plus the header fields every message carries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from households.istandaarden_codes import BASE_NAMESPACES, MESSAGES

__all__ = ["Line", "message_xml"]

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
