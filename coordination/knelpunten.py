"""Doorbraak (DESIGN 4.4): the rules that block a standard solution, and systeemknelpunten.

- The **reference list** (:class:`~coordination.loopmodels.BlockingRule`, table
  ``knelpunt_regel``): rules and schemes that can block a standard solution. Seeded with
  Brunssum defaults the first time it is read (:data:`DEFAULT_BLOCKING_RULES`); ``beheer``
  adds, changes and switches rules off (never deletes: recorded knelpunten keep their rule).
- A **systeemknelpunt** names the rule that blocked a standard solution, with a description
  in general terms: recorded with a table decision or a Tussen-wal-en-schip spend (gbd, at
  the table of the decision), or by an ervaringswerker in their experiment
  (:func:`experiments.loop.record_experiment_bottleneck` writes through
  :func:`write_bottleneck`).
- **KISS** sees them counted per rule (:func:`bottleneck_overview`), protected with
  :mod:`coordination.suppression`; descriptions only of rules counted 5 or more times;
  never a household, never who recorded it (and no total beside them, so a ``<5`` cannot be
  derived).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.casetables import require_member
from coordination.loopmodels import BlockingRule, SystemBottleneck
from coordination.models import AgendaItem, BudgetSpend, Decision
from coordination.suppression import is_hidden, suppress
from households import audit
from households.access import authorize, require_household_access, valid_id
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.validation import clean_text, scrub_identifiers

__all__ = [
    "DEFAULT_BLOCKING_RULES", "RuleRow", "blocking_rules", "save_blocking_rule",
    "record_bottleneck", "write_bottleneck", "BottleneckCount", "bottleneck_overview",
    "NO_RULE",
]  # fmt: skip

NO_RULE = "Geen regel genoemd"
GENERAL_TERMS = (
    "Beschrijf het knelpunt in algemene termen: geen namen, adressen of andere gegevens "
    "waaraan een huishouden te herkennen is."
)

# (code, naam, omschrijving, domein): the rules Brunssum's tables meet most (editable).
DEFAULT_BLOCKING_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("PW_KOSTENDELERS", "Participatiewet: kostendelersnorm",
     "De bijstand daalt als een meerderjarig kind of familielid inwoont; opvang van een "
     "familielid kost het huishouden inkomen.", "ISD"),
    ("PW_TERUGVORDERING", "Participatiewet: terugvordering en boete",
     "Terugvordering van te veel ontvangen bijstand, ook bij een vergissing zonder opzet.",
     "ISD"),
    ("WMO_EIGEN_BIJDRAGE", "Wmo: eigen bijdrage (abonnementstarief)",
     "De eigen bijdrage houdt mensen met een laag inkomen weg van noodzakelijke hulp.", "WMO"),
    ("JW_WOONPLAATS", "Jeugdwet: woonplaatsbeginsel",
     "Onduidelijk welke gemeente betaalt na een verhuizing of bij een voogdijmaatregel.",
     "JEUGD"),
    ("BESLAGVRIJE_VOET", "Beslagvrije voet",
     "Beslag laat te weinig over om van te leven (verkeerd berekend of samenloop).",
     "schulden"),
    ("HUURTOESLAG_TERUG", "Huurtoeslag: terugvordering (Dienst Toeslagen)",
     "Een terugvordering na een inkomenswijziging zet het huishouden in de schulden.",
     "toeslagen"),
    ("WSNP_TOELATING", "Wsnp: toelating schuldsanering",
     "Een huishouden komt niet in de schuldsanering (bijv. door een fraudevordering).",
     "schulden"),
    ("ZVW_WANBETALER", "Zorgverzekeringswet: wanbetalersregeling",
     "Bestuursrechtelijke premie van het CAK bovenop de schuld bij de zorgverzekeraar.",
     "schulden"),
    ("URGENTIE_WONING", "Urgentieregeling woningtoewijzing",
     "Geen urgentie voor een woning terwijl de huidige woonsituatie onveilig of "
     "onhoudbaar is.", "wonen"),
)  # fmt: skip


def _ensure_defaults(session: Session) -> None:
    # The defaults are written once, when the list has never held a rule.
    if session.scalar(select(func.count()).select_from(BlockingRule)):
        return
    for code, naam, omschrijving, domein in DEFAULT_BLOCKING_RULES:
        session.add(BlockingRule(code=code, naam=naam, omschrijving=omschrijving,
                                 domein=domein, actief=True))  # fmt: skip
    session.flush()


@dataclass(frozen=True)
class RuleRow:
    """One rule of the reference list."""

    id: int
    code: str
    naam: str
    omschrijving: str | None
    domein: str | None
    actief: bool


def blocking_rules(session: Session, actor: Actor, only_active: bool = True) -> list[RuleRow]:
    """The reference list of blocking rules, by name (gbd, ervaringswerker, beheer)."""
    authorize(session, actor, "knelpuntregels_kiezen")
    _ensure_defaults(session)
    stmt = select(BlockingRule).order_by(BlockingRule.naam)
    if only_active:
        stmt = stmt.where(BlockingRule.actief.is_(True))
    return [RuleRow(r.id, r.code, r.naam, r.omschrijving, r.domein, bool(r.actief))
            for r in session.scalars(stmt)]  # fmt: skip


def save_blocking_rule(
    session: Session,
    actor: Actor,
    code: str,
    naam: str,
    omschrijving: str | None = None,
    domein: str | None = None,
    actief: bool = True,
    rule_id: int | None = None,
) -> BlockingRule:
    """Add a rule (``rule_id`` None) or change one (beheer; audited with old and new)."""
    authorize(session, actor, "referentielijst_wijzigen")
    code = clean_text(code, "De code", 2, 40).upper().replace(" ", "_")
    naam = clean_text(naam, "De naam", 3, 160)
    omschrijving = clean_text(omschrijving, "De omschrijving", 0, 2000) or None
    domein = clean_text(domein, "Het domein", 0, 40) or None
    if not isinstance(actief, bool):
        raise InvalidInput("Kies of de regel actief is.")
    _ensure_defaults(session)
    same_code = session.scalar(select(BlockingRule).where(BlockingRule.code == code))
    if rule_id is None:
        if same_code is not None:
            raise Conflict(f"Er bestaat al een regel met code {code}.")
        row, old = BlockingRule(code=code), None
        session.add(row)
    else:
        row = session.get(BlockingRule, rule_id) if valid_id(rule_id) else None
        if row is None:
            raise NotFound("Deze regel bestaat niet (meer).")
        if same_code is not None and same_code.id != row.id:
            raise Conflict(f"Er bestaat al een regel met code {code}.")
        old = {"code": row.code, "naam": row.naam, "actief": bool(row.actief)}
    row.code, row.naam, row.omschrijving, row.domein, row.actief = (
        code, naam, omschrijving, domein, actief,
    )  # fmt: skip
    session.flush()
    audit.record(session, actor, audit.Event.REFERENTIELIJST_WIJZIGEN, "knelpunt_regel", row.id,
                 oud=old, nieuw={"code": code, "naam": naam, "actief": actief})  # fmt: skip
    return row


def _rule(session: Session, regel_id: int | None) -> BlockingRule | None:
    if regel_id is None:
        return None
    row = session.get(BlockingRule, regel_id) if valid_id(regel_id) else None
    if row is None or not row.actief:
        raise InvalidInput("Kies een regel uit de lijst (of geen regel).")
    return row


def write_bottleneck(
    session: Session,
    actor: Actor,
    regel_id: int | None,
    omschrijving: str,
    date: dt.date | None = None,
    *,
    decision_id: int | None = None,
    spend_id: int | None = None,
    experiment_id: int | None = None,
) -> SystemBottleneck:
    """Validate and write one systeemknelpunt (callers have checked who may record it)."""
    omschrijving = clean_text(omschrijving, "De omschrijving van het knelpunt", 10, 2000)
    rule = _rule(session, regel_id)
    row = SystemBottleneck(
        regel_id=rule.id if rule else None, omschrijving=omschrijving,
        datum=date or dt.date.today(), decision_id=decision_id, spend_id=spend_id,
        experiment_id=experiment_id, door_user_id=actor.user_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, audit.Event.KNELPUNT_VASTLEGGEN, "systeemknelpunt", row.id,
                 nieuw={"regel": rule.code if rule else None, "decision": decision_id,
                        "spend": spend_id, "experiment": experiment_id})  # fmt: skip
    return row


def record_bottleneck(
    session: Session,
    actor: Actor,
    regel_id: int | None,
    omschrijving: str,
    *,
    decision_id: int | None = None,
    spend_id: int | None = None,
    date: dt.date | None = None,
) -> SystemBottleneck:
    """Name the rule that blocked a standard solution, on a decision or a budget spend.

    gbd members of the decision's table with access to its household; exactly one of
    ``decision_id`` and ``spend_id``.
    """
    if authorize(session, actor, "knelpunt_vastleggen") == "ervaringswerker":
        raise InvalidInput("Een ervaringswerker legt een knelpunt vast bij het experiment.")
    if (decision_id is None) == (spend_id is None):
        raise InvalidInput("Kies een besluit of een uitgave uit het budget.")
    if spend_id is not None:
        spend = session.get(BudgetSpend, spend_id) if valid_id(spend_id) else None
        if spend is None:
            raise NotFound("Uitgave niet gevonden.")
        decision = session.get(Decision, spend.decision_id)
    else:
        decision = session.get(Decision, decision_id) if valid_id(decision_id) else None
        if decision is None:
            raise NotFound("Besluit niet gevonden.")
    item = session.get(AgendaItem, decision.agenda_item_id)
    require_member(session, actor, item.case_table_id, audit.Event.KNELPUNT_VASTLEGGEN)
    require_household_access(session, actor, item.household_id, audit.Event.KNELPUNT_VASTLEGGEN)
    return write_bottleneck(session, actor, regel_id, omschrijving, date,
                            decision_id=decision_id, spend_id=spend_id)  # fmt: skip


@dataclass(frozen=True)
class BottleneckCount:
    """One rule with its protected count and (only when 5 or more) the descriptions."""

    regel: str
    omschrijving_regel: str | None
    aantal: int | str
    beschrijvingen: tuple[str, ...]


def bottleneck_overview(session: Session, actor: Actor) -> list[BottleneckCount]:
    """Systeemknelpunten per rule for KISS, protected (:func:`coordination.suppression.suppress`).

    A count of 1–4 shows as ``<5``; the descriptions only where the count is shown. No total
    and no breakdown by source is published beside the counts, so no hidden count can be
    derived from the others; never a household, never who recorded it.
    """
    authorize(session, actor, "knelpunten_inzien")
    rules = {r.id: r for r in session.scalars(select(BlockingRule))}
    texts: dict[str, list[str]] = {}
    info: dict[str, str | None] = {}
    for row in session.scalars(select(SystemBottleneck).order_by(SystemBottleneck.datum)):
        rule = rules.get(row.regel_id)
        key = rule.naam if rule else NO_RULE
        info[key] = rule.omschrijving if rule else None
        texts.setdefault(key, []).append(scrub_identifiers(row.omschrijving))  # for kiss
    counts = {key: len(v) for key, v in texts.items()}
    published = suppress(counts)
    out = [
        BottleneckCount(key, info[key], published[key],
                        () if is_hidden(published[key]) else tuple(texts[key]))
        for key in sorted(counts, key=lambda k: (-counts[k], k))
    ]  # fmt: skip
    audit.record(session, actor, audit.Event.KNELPUNTEN_INZIEN, None, None,
                 nieuw={"regels": len(out)})  # fmt: skip
    return out
