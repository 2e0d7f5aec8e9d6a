"""iWmo / iJw messages (DESIGN 5.3): toewijzing (301), start zorg (305), stop zorg (307).

A run reads a set of messages (a folder, or the files a user uploads), checks every one of
them and writes all or nothing: a message with a fault refuses the whole run, and every
fault is named by file and element path (``Client/ToegewezenProducten/ToegewezenProduct[2]/
Ingangsdatum: geen geldige datum``). Values are never repeated in a reason, so a BSN is
never echoed. A toewijzing becomes (or updates) the provision with ``bron_id`` = gemeente +
ToewijzingNummer; a start message records when care began; a stop message records when it
stopped (and ends the provision when earlier). Messages are applied 301, then 305, then 307,
so a folder may be read in any order; reading the same messages again changes nothing.

Parsing uses lxml without entity resolution, DTDs or network access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize
from households.actor import Actor
from households.bsn import hash_bsn, is_valid_bsn
from households.errors import InvalidInput
from households.istandaarden_codes import MESSAGES
from households.models import Institution, Person, ProductCategory, Provision

__all__ = ["Fault", "MessagesRejected", "MessagesResult", "import_messages", "parse_message"]

STANDARDS = {"iwmo": "iWmo", "ijw": "iJw"}
_BY_NAMESPACE = {ns: (std, kind, code) for (std, kind), (ns, code) in MESSAGES.items()}
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)
_MAX_FAULTS_SHOWN = 50
UNKNOWN_CATEGORY = "onbekende productcategorie (zie de tabel productcategorieën)"
OTHER_DOMAIN = "dit nummer hoort bij een voorziening van een ander domein"
UNKNOWN_NUMBER = "onbekend ToewijzingNummer (geen toewijzing 301 bekend)"


@dataclass(frozen=True)
class Fault:
    """One fault in one message: file, element path and a Dutch reason."""

    file: str
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.reason}"


class MessagesRejected(InvalidInput):
    """A run with faults: nothing was written. ``faults`` lists every one."""

    def __init__(self, standard: str, faults: list[Fault]) -> None:
        self.faults = faults
        files = len({f.file for f in faults})
        summary = (
            f"Import van {STANDARDS.get(standard, standard)}-berichten geweigerd: {len(faults)} "
            f"{'fout' if len(faults) == 1 else 'fouten'} in {files} "
            f"{'bericht' if files == 1 else 'berichten'}; er is niets geïmporteerd."
        )
        shown = [str(f) for f in faults[:_MAX_FAULTS_SHOWN]]
        if len(faults) > _MAX_FAULTS_SHOWN:
            shown.append(f"… en nog {len(faults) - _MAX_FAULTS_SHOWN} fouten.")
        super().__init__("\n".join([summary, *shown]))


@dataclass(frozen=True)
class Item:
    """One product line of a message: what it says about one ToewijzingNummer."""

    path: str
    nummer: str
    categorie: str | None = None
    toegewezen_op: dt.date | None = None
    ingangsdatum: dt.date | None = None
    einddatum: dt.date | None = None
    begindatum: dt.date | None = None
    reden: str | None = None


@dataclass
class Message:
    """One parsed message: its standard, kind (301/305/307), gemeente, provider and items."""

    file: str
    standard: str
    kind: str
    gemeente: str
    aanbieder: str
    dagtekening: dt.date | None
    bsn: str
    items: list[Item] = field(default_factory=list)


@dataclass
class MessagesResult:
    """What an accepted run did."""

    standard: str
    messages: int = 0
    allocated: int = 0
    updated: int = 0
    started: int = 0
    stopped: int = 0

    def summary(self) -> str:
        """One Dutch line for the CLI and the Importeren page."""
        return (
            f"{self.messages} berichten ingelezen: {self.allocated} nieuwe toewijzingen, "
            f"{self.updated} bijgewerkt, {self.started} gestart, {self.stopped} gestopt."
        )


class _Reader:
    """Reads elements of one message, collecting a fault for every missing or bad value."""

    def __init__(self, file: str, ns: str, faults: list[Fault]) -> None:
        self.file, self.ns, self.faults = file, ns, faults

    def fault(self, path: str, reason: str) -> None:
        self.faults.append(Fault(self.file, path, reason))

    @staticmethod
    def find(el, name: str):
        """The child ``name`` in any namespace (the root's namespace is checked once)."""
        return el.find(f"{{*}}{name}")

    def text(self, el, path: str, name: str, required: bool = True) -> str | None:
        child = self.find(el, name)
        value = None if child is None or child.text is None else child.text.strip()
        if not value:
            if required:
                self.fault(f"{path}/{name}", "ontbreekt")
            return None
        return value

    def date(self, el, path: str, name: str, required: bool = True) -> dt.date | None:
        value = self.text(el, path, name, required)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            self.fault(f"{path}/{name}", "geen geldige datum (verwacht JJJJ-MM-DD)")
            return None


def parse_message(file: str, data: bytes, standard: str, faults: list[Fault]) -> Message | None:
    """Parse one message of ``standard`` (``iwmo`` or ``ijw``); faults go to ``faults``."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        faults.append(Fault(file, "/", f"geen geldige XML (regel {exc.lineno or '?'})"))
        return None
    ns = etree.QName(root).namespace or ""
    known = _BY_NAMESPACE.get(ns)
    if etree.QName(root).localname != "Bericht" or known is None or known[0] != standard:
        faults.append(
            Fault(file, "Bericht", f"geen {STANDARDS[standard]}-bericht 301, 305 of 307 "
                  "(onbekende namespace of standaard)")
        )  # fmt: skip
        return None
    _, kind, code = known
    r = _Reader(file, ns, faults)
    header, client = r.find(root, "Header"), r.find(root, "Client")
    if header is None or client is None:
        r.fault("Bericht", "Header en Client zijn verplicht")
        return None
    berichtcode = r.text(header, "Header", "BerichtCode")
    if berichtcode is not None and berichtcode != code:
        r.fault("Header/BerichtCode", f"hoort {code} te zijn voor dit bericht")
    afzender = r.text(header, "Header", "Afzender") or ""
    ontvanger = r.text(header, "Header", "Ontvanger") or ""
    ident = r.find(header, "BerichtIdentificatie")
    dagtekening = None if ident is None else r.date(ident, "Header/BerichtIdentificatie",
                                                     "Dagtekening", required=False)  # fmt: skip
    bsn = r.text(client, "Client", "Bsn") or ""
    if bsn and not is_valid_bsn(bsn):
        r.fault("Client/Bsn", "geen geldig BSN (elfproef)")
    gemeente, aanbieder = (afzender, ontvanger) if kind == "301" else (ontvanger, afzender)
    message = Message(file, standard, kind, gemeente, aanbieder, dagtekening, bsn)
    group, line = {
        "301": ("ToegewezenProducten", "ToegewezenProduct"),
        "305": ("StartProducten", "StartProduct"),
        "307": ("StopProducten", "StopProduct"),
    }[kind]
    container = r.find(client, group)
    lines = [] if container is None else container.findall(f"{{*}}{line}")
    if not lines:
        r.fault(f"Client/{group}", f"geen {line} in het bericht")
    for k, el in enumerate(lines, start=1):
        path = f"Client/{group}/{line}[{k}]"
        message.items.append(_item(r, el, path, kind))
    return message


def _item(r: _Reader, el, path: str, kind: str) -> Item:
    nummer = r.text(el, path, "ToewijzingNummer") or ""
    if kind == "301":
        product = r.find(el, "Product")
        categorie = None if product is None else r.text(product, f"{path}/Product", "Categorie")
        if product is None:
            r.fault(f"{path}/Product", "ontbreekt (de productcategorie bepaalt het domein)")
        item = Item(
            path, nummer, categorie=categorie,
            toegewezen_op=r.date(el, path, "Toewijzingsdatum"),
            ingangsdatum=r.date(el, path, "Ingangsdatum"),
            einddatum=r.date(el, path, "Einddatum", required=False),
        )  # fmt: skip
        if item.ingangsdatum and item.einddatum and item.einddatum < item.ingangsdatum:
            r.fault(f"{path}/Einddatum", "ligt voor de Ingangsdatum")
        return item
    if kind == "305":
        return Item(path, nummer, begindatum=r.date(el, path, "Begindatum"))
    return Item(
        path, nummer, einddatum=r.date(el, path, "Einddatum"),
        reden=r.text(el, path, "RedenBeeindiging", required=False),
    )  # fmt: skip


def _bron_id(message: Message, item: Item) -> str:
    return f"{message.gemeente}-{item.nummer}"[:64]


def import_messages(
    session: Session, actor: Actor, standard: str, files: Iterable[tuple[str, bytes]]
) -> MessagesResult:
    """Check and apply a set of ``standard`` messages, all or nothing (see the module)."""
    authorize(session, actor, "import")
    if standard not in STANDARDS:
        raise InvalidInput("Kies het soort berichten: iwmo of ijw.")
    faults: list[Fault] = []
    messages = [m for name, data in files if (m := parse_message(name, data, standard, faults))]
    if not messages and not faults:
        raise InvalidInput("Er zijn geen berichten om in te lezen.")
    categories = {
        c.code: (c.domein, c.soort)
        for c in session.scalars(
            select(ProductCategory).where(ProductCategory.standaard == standard)
        )
    }
    persons = _persons(session, {m.bsn for m in messages if m.bsn and is_valid_bsn(m.bsn)})
    keys = {_bron_id(m, i) for m in messages for i in m.items}
    existing = _provisions(session, keys)
    allocated = {_bron_id(m, i) for m in messages if m.kind == "301" for i in m.items}
    domain = {"iwmo": "WMO", "ijw": "JEUGD"}[standard]
    for m in messages:
        if m.bsn and is_valid_bsn(m.bsn) and m.bsn not in persons:
            faults.append(Fault(m.file, "Client/Bsn", "onbekende BSN (persoon niet geïmporteerd)"))
        for i in m.items:
            key = _bron_id(m, i)
            number = f"{i.path}/ToewijzingNummer"
            if m.kind == "301" and i.categorie is not None and i.categorie not in categories:
                faults.append(Fault(m.file, f"{i.path}/Product/Categorie", UNKNOWN_CATEGORY))
            if key in existing and existing[key].domein != domain:
                faults.append(Fault(m.file, number, OTHER_DOMAIN))
            if m.kind != "301" and key not in existing and key not in allocated:
                faults.append(Fault(m.file, number, UNKNOWN_NUMBER))
    if faults:
        session.rollback()
        audit.record(session, actor, audit.Event.IMPORT, standard, f"{len(messages)} berichten",
                     resultaat="geweigerd", nieuw={"fouten": len(faults)})  # fmt: skip
        session.commit()
        raise MessagesRejected(standard, faults)
    result = MessagesResult(standard, messages=len(messages))
    order = {"301": 0, "305": 1, "307": 2}
    messages.sort(key=lambda m: (order[m.kind], m.dagtekening or dt.date.min, m.file))
    institutions = dict(session.execute(select(Institution.instelling_id, Institution.id)).all())
    for m in messages:
        for i in m.items:
            _apply(session, m, i, persons, categories, existing, institutions, result)
    session.flush()
    audit.record(session, actor, audit.Event.IMPORT, standard, f"{len(messages)} berichten",
                 nieuw={"berichten": result.messages, "toegewezen": result.allocated,
                        "bijgewerkt": result.updated, "gestart": result.started,
                        "gestopt": result.stopped})  # fmt: skip
    return result


def _persons(session: Session, bsns: set[str]) -> dict[str, int]:
    by_hash = {hash_bsn(b): b for b in bsns}
    found: dict[str, int] = {}
    hashes = list(by_hash)
    for k in range(0, len(hashes), 500):
        chunk = hashes[k : k + 500]
        for h, pid in session.execute(
            select(Person.bsn_hash, Person.id).where(Person.bsn_hash.in_(chunk))
        ):
            found[by_hash[h]] = pid
    return found


def _provisions(session: Session, keys: set[str]) -> dict[str, Provision]:
    found: dict[str, Provision] = {}
    ordered = sorted(keys)
    for k in range(0, len(ordered), 500):
        chunk = ordered[k : k + 500]
        for p in session.scalars(select(Provision).where(Provision.bron_id.in_(chunk))):
            found[p.bron_id] = p
    return found


def _apply(session, m: Message, i: Item, persons, categories, existing, institutions, result):
    key = _bron_id(m, i)
    p = existing.get(key)
    if m.kind == "301":
        domein, soort = categories[i.categorie]
        values = {
            "person_id": persons[m.bsn], "domein": domein, "soort": soort,
            "start": i.ingangsdatum, "einde": i.einddatum, "toegewezen_op": i.toegewezen_op,
            "aanbieder": f"AGB {m.aanbieder}" if m.aanbieder else None,
            "institution_id": institutions.get(m.aanbieder),
        }  # fmt: skip
        if p is None:
            p = Provision(bron_id=key, **values)
            session.add(p)
            existing[key] = p
            result.allocated += 1
        else:
            if p.zorg_gestopt_op is not None and values["einde"] is not None:
                values["einde"] = min(values["einde"], p.zorg_gestopt_op)
            elif p.zorg_gestopt_op is not None:
                values["einde"] = p.zorg_gestopt_op
            if any(getattr(p, k) != v for k, v in values.items()):
                result.updated += 1
            for k, v in values.items():
                setattr(p, k, v)
    elif m.kind == "305":
        if p.zorg_gestart_op is None or i.begindatum < p.zorg_gestart_op:
            p.zorg_gestart_op = i.begindatum
        result.started += 1
    else:
        p.zorg_gestopt_op, p.reden_beeindiging = i.einddatum, i.reden
        if p.einde is None or i.einddatum < p.einde:
            p.einde = max(i.einddatum, p.start)
        result.stopped += 1
