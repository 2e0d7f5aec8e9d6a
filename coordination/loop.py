"""The loop at the table (DESIGN 4.4): who sees the stability logs, the decision history
after a tegenspraak, and the vraagbaak (escalations to KISS and their answers).

- :func:`loop_reason`: the GBD-er with active regie (``regiehouder``) and the members of a
  case table where the household is on the agenda (``casustafel <naam>``) may read the
  household's stability logs; :func:`experiments.loop.stability_view` adds the
  ervaringswerker of the household's experiment and writes the read with this reason.
- :func:`table_loop`: per agenda item of a table, the chain of decisions (a new decision
  replaces one after a tegenspraak; both stay), the escalations with KISS's answers, the
  spends and the systeemknelpunten recorded on them.
- :func:`escalate` (a member of the table, after a tegenspraak) puts a question to KISS in
  general terms — never a name, an address or a BSN; :func:`vraagbaak` and :func:`answer`
  are KISS's side. The answer is shown with the agenda item at the table.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.access import regie_reason, table_reason
from coordination.casetables import _user_names, require_member
from coordination.decisions import open_dissent
from coordination.loopmodels import BlockingRule, Escalation, SystemBottleneck
from coordination.models import (
    AgendaItem,
    BudgetSpend,
    CaseTable,
    Decision,
    Review,
)
from households import audit
from households.access import authorize, require_household_access, valid_id
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.models import Household, Person
from households.validation import clean_text, scrub_identifiers

__all__ = [
    "loop_reason", "DecisionStep", "Question", "ItemLoop", "table_loop", "escalate",
    "vraagbaak", "answer", "IDENTIFYING", "NO_NAMES",
]  # fmt: skip

NO_NAMES = (
    "Stel de vraag in algemene termen: geen namen, adressen, huishoudnummers of BSN. "
    "KISS ziet nooit wie het betreft."
)
IDENTIFYING = (
    "De vraag noemt iets waaraan het huishouden te herkennen is (een naam, straat of "
    "huishoudnummer). Stel de vraag in algemene termen; er is niets opgeslagen."
)


def loop_reason(session: Session, actor: Actor, household_id: int) -> str | None:
    """``regiehouder`` or ``casustafel <naam>`` when the actor may see the loop's content.

    Active regie held by the actor, or membership of a table with the household on its
    agenda (any member: GBD-er, ervaringswerker or partner met mandaat). No audit row.
    """
    if actor.user_id is None or not valid_id(household_id):
        return None
    return regie_reason(session, actor, household_id) or table_reason(session, actor, household_id)


@dataclass(frozen=True)
class DecisionStep:
    """One decision in an agenda item's history, with its review."""

    decision_id: int
    datum: dt.date
    tekst: str
    soort: str
    besloten_door: str | None
    review: str | None
    tegenspraak: bool
    vervangt_id: int | None


@dataclass(frozen=True)
class Question:
    """An escalation to KISS and (when given) its answer."""

    id: int
    vraag: str
    gesteld_op: dt.date
    antwoord: str | None
    beantwoord_op: dt.date | None
    tafel: str = ""
    versie: int = 1


@dataclass(frozen=True)
class ItemLoop:
    """What happened with one agenda item after the first decision."""

    agenda_item_id: int
    household_id: int
    ingebracht_door: str | None
    chain: tuple[DecisionStep, ...]
    escalations: tuple[Question, ...]
    spends: tuple[tuple[int, int, dt.date], ...]  # (spend id, cents, date)
    knelpunten: tuple[str, ...]
    # The current decision when it met tegenspraak: it can be decided again or escalated.
    dissent_decision_id: int | None


def _review_text(rev: Review | None, names: dict[int, str]) -> str | None:
    if rev is None:
        return None
    text = f"{'akkoord' if rev.akkoord else 'tegenspraak'} ({names.get(rev.reviewer_id)})"
    return f"{text}: {rev.reden}" if rev.reden else text


def table_loop(session: Session, actor: Actor, table_id: int) -> dict[int, ItemLoop]:
    """Per agenda item of a table: decisions, escalations, spends, knelpunten (members)."""
    authorize(session, actor, "tafel_lus_inzien")
    table = session.get(CaseTable, table_id) if valid_id(table_id) else None
    if table is None:
        raise NotFound("Casustafel niet gevonden.")
    require_member(session, actor, table_id, audit.Event.TAFEL_LUS_INZIEN)
    items = list(session.scalars(select(AgendaItem).where(AgendaItem.case_table_id == table_id)))
    ids = [i.id for i in items]
    decisions = list(session.scalars(
        select(Decision).where(Decision.agenda_item_id.in_(ids)).order_by(Decision.id)
    ))  # fmt: skip
    dec_ids = [d.id for d in decisions]
    reviews = {r.decision_id: r for r in session.scalars(
        select(Review).where(Review.decision_id.in_(dec_ids)))}  # fmt: skip
    spends = list(session.scalars(
        select(BudgetSpend).where(BudgetSpend.decision_id.in_(dec_ids)).order_by(BudgetSpend.id)
    ))  # fmt: skip
    spend_item = {s.id: s.decision_id for s in spends}
    escalations = list(session.scalars(
        select(Escalation).where(Escalation.case_table_id == table_id).order_by(Escalation.id)
    ))  # fmt: skip
    rules = dict(session.execute(select(BlockingRule.id, BlockingRule.naam)).all())
    knelpunten = list(session.scalars(select(SystemBottleneck).where(
        SystemBottleneck.decision_id.in_(dec_ids) | SystemBottleneck.spend_id.in_(list(spend_item))
    )))  # fmt: skip
    names = _user_names(session, [d.besloten_door for d in decisions]
                        + [r.reviewer_id for r in reviews.values()]
                        + [i.toegevoegd_door for i in items])  # fmt: skip
    item_of = {d.id: d.agenda_item_id for d in decisions}
    out = {}
    for item in items:
        chain = [d for d in decisions if d.agenda_item_id == item.id]
        current = chain[-1] if chain else None
        rev = reviews.get(current.id) if current else None
        mine = {d.id for d in chain}
        out[item.id] = ItemLoop(
            item.id, item.household_id, names.get(item.toegevoegd_door),
            tuple(DecisionStep(d.id, d.besloten_op, d.tekst, d.soort, names.get(d.besloten_door),
                               _review_text(reviews.get(d.id), names),
                               reviews.get(d.id) is not None and not reviews[d.id].akkoord,
                               d.vervangt_id) for d in chain),
            tuple(Question(e.id, e.vraag, e.gesteld_op, e.antwoord, e.beantwoord_op, table.naam,
                           e.versie) for e in escalations if e.agenda_item_id == item.id),
            tuple((s.id, s.bedrag_cent, s.datum) for s in spends if s.decision_id in mine),
            tuple(f"{rules.get(k.regel_id, 'geen regel')}: {k.omschrijving}" for k in knelpunten
                  if item_of.get(k.decision_id or spend_item.get(k.spend_id)) == item.id),
            current.id if rev is not None and not rev.akkoord else None,
        )  # fmt: skip
    audit.record_list(session, actor, audit.Event.TAFEL_LUS_INZIEN, "household",
                      ((item.household_id, f"casustafel {table.naam}") for item in items))
    return out


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{3,}", (text or "").lower())}


def _identifying_terms(session: Session, household_id: int) -> set[str]:
    """Names of the members, the street and the household number: never in a question."""
    household = session.get(Household, household_id)
    terms = {household.huishouden_id.lower()} if household else set()
    if household is not None:
        terms |= _words(household.straat)
    for naam in session.scalars(select(Person.naam).where(Person.household_id == household_id)):
        terms |= _words(naam)
    return terms - {"van", "der", "den", "het", "straat", "weg", "laan", "plein"}


def escalate(
    session: Session, actor: Actor, decision_id: int, vraag: str, date: dt.date | None = None
) -> Escalation:
    """After a tegenspraak, put the question to KISS (vraagbaak) in general terms (members).

    Refused when the question names a member, the street or the household number, and
    when this decision was escalated before.
    """
    authorize(session, actor, "escaleren")
    decision = session.get(Decision, decision_id) if valid_id(decision_id) else None
    if decision is None:
        raise NotFound("Besluit niet gevonden.")
    vraag = clean_text(vraag, "De vraag aan KISS", 10, 2000)
    open_dissent(session, decision)
    item = session.get(AgendaItem, decision.agenda_item_id)
    require_member(session, actor, item.case_table_id, audit.Event.ESCALEREN)
    require_household_access(session, actor, item.household_id, audit.Event.ESCALEREN)
    if _identifying_terms(session, item.household_id) & set(re.findall(r"\w+", vraag.lower())):
        raise InvalidInput(IDENTIFYING)
    if session.scalar(select(Escalation.id).where(Escalation.decision_id == decision.id)):
        raise Conflict("Dit besluit is al aan KISS voorgelegd.")
    row = Escalation(
        case_table_id=item.case_table_id, agenda_item_id=item.id, decision_id=decision.id,
        vraag=vraag, gesteld_door=actor.user_id, gesteld_op=date or dt.date.today(),
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(session, actor, audit.Event.ESCALEREN, "household", item.household_id,
                 nieuw={"escalatie": row.id, "decision": decision.id})  # fmt: skip
    return row


def vraagbaak(session: Session, actor: Actor) -> list[Question]:
    """Every question to KISS, open ones first (kiss; the table, never the household)."""
    authorize(session, actor, "vraagbaak_inzien")
    rows = session.execute(
        select(Escalation, CaseTable.naam)
        .join(CaseTable, CaseTable.id == Escalation.case_table_id)
        .order_by(Escalation.gesteld_op.desc(), Escalation.id.desc())
    ).all()
    # kiss has no need to know identifiers: the question is scrubbed like every story it reads
    out = [Question(e.id, scrub_identifiers(e.vraag), e.gesteld_op, e.antwoord, e.beantwoord_op,
                    naam, e.versie) for e, naam in rows]  # fmt: skip
    out.sort(key=lambda q: q.antwoord is not None)
    audit.record(session, actor, audit.Event.VRAAGBAAK_INZIEN, None, None,
                 nieuw={"open": sum(q.antwoord is None for q in out)})  # fmt: skip
    return out


def answer(
    session: Session,
    actor: Actor,
    escalation_id: int,
    antwoord: str,
    date: dt.date | None = None,
) -> Escalation:
    """KISS answers a question from a table; the answer returns to the agenda item (kiss)."""
    authorize(session, actor, "vraagbaak_antwoorden")
    if escalation_id is None:
        raise InvalidInput("Kies eerst een vraag.")
    row = session.get(Escalation, escalation_id) if valid_id(escalation_id) else None
    if row is None:
        raise NotFound("Deze vraag bestaat niet.")
    antwoord = clean_text(antwoord, "Het antwoord", 5, 4000)
    if row.antwoord is not None:
        raise Conflict("Deze vraag is al beantwoord.")
    row.antwoord, row.beantwoord_op = antwoord, date or dt.date.today()
    row.beantwoord_door, row.versie = actor.user_id, row.versie + 1
    session.flush()
    audit.record(session, actor, audit.Event.VRAAGBAAK_ANTWOORDEN, "escalatie", row.id)
    return row
