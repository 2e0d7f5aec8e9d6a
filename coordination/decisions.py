"""Decisions of a case table and their four-eyes review (spraak en tegenspraak).

A *maatwerk* decision takes effect only after a second coordinator reviewed it
and agreed; nobody reviews their own decision. A reviewer who disagrees records
dissent (tegenspraak) with a reason; the decision then shows both and does not
take effect. After a tegenspraak the table can decide again (:func:`decide_again`): the
new decision replaces the old one (``vervangt_id``) and both stay in the history; or it
escalates the question to KISS (:mod:`coordination.loop`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.casetables import DECISION_KINDS, _date, _get, _text, require_member
from coordination.models import AgendaItem, Decision, Review
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.errors import Conflict, InvalidInput
from households.models import HelpRequest
from households.validation import clean_text

__all__ = ["decide", "decide_again", "open_dissent", "review"]


def decide(
    session: Session,
    actor: Actor,
    agenda_item_id: int,
    tekst: str,
    soort: str,
    date: dt.date | None = None,
) -> Decision:
    """Record the table's decision on an agenda item (gbd with access to the household).

    A *maatwerk* decision waits for a second coordinator's review (:func:`review`).
    The decision date is also the decision date of the request behind the item.
    """
    authorize(session, actor, "besluiten")
    item = _get(session, AgendaItem, agenda_item_id, "Agendapunt")
    tekst = _text(tekst, "De tekst van het besluit", 5)
    if soort not in DECISION_KINDS:
        raise InvalidInput("Kies het soort besluit: standaard of maatwerk.")
    date = _date(date or dt.date.today(), "Datum van het besluit")
    if session.scalar(select(Decision.id).where(Decision.agenda_item_id == item.id)) is not None:
        raise Conflict("Over dit agendapunt is al besloten.")
    require_household_access(session, actor, item.household_id)
    decision = Decision(
        agenda_item_id=item.id, tekst=tekst, soort=soort,
        besloten_door=actor.user_id, besloten_op=date,
    )  # fmt: skip
    session.add(decision)
    if item.help_request_id is not None:
        req = session.get(HelpRequest, item.help_request_id)
        if req is not None and req.besluit_op is None:
            req.besluit_op = date
    session.flush()
    audit.record(session, actor, audit.Event.BESLUITEN, "household", item.household_id,
                 nieuw={"decision": decision.id, "soort": soort})  # fmt: skip
    return decision


def review(
    session: Session,
    actor: Actor,
    decision_id: int,
    akkoord: bool,
    reden: str | None = None,
    date: dt.date | None = None,
) -> Review:
    """Four-eyes review by a *second* gbd coordinator: agree, or dissent with a reason.

    Refused for one's own decision and for a decision that was already reviewed.
    """
    authorize(session, actor, "review")
    decision = _get(session, Decision, decision_id, "Besluit")
    if decision.besloten_door == actor.user_id or actor.user_id is None:
        raise InvalidInput(
            "U kunt uw eigen besluit niet reviewen: vraag een andere GBD-er (vier ogen)."
        )
    if not isinstance(akkoord, bool):
        raise InvalidInput("Kies akkoord of tegenspraak.")
    reden = clean_text(reden, "De reden", 0, 10_000) or None
    if not akkoord and (reden is None or len(reden) < 5):
        raise InvalidInput("Geef bij tegenspraak een reden op (minstens 5 tekens).")
    if reden is not None and len(reden) > 4000:
        raise InvalidInput("De reden is te lang (hoogstens 4000 tekens).")
    date = _date(date or dt.date.today(), "Datum van de review")
    if session.scalar(select(Review.id).where(Review.decision_id == decision.id)) is not None:
        raise Conflict("Dit besluit is al gereviewd.")
    item = session.get(AgendaItem, decision.agenda_item_id)
    require_household_access(session, actor, item.household_id)
    row = Review(
        decision_id=decision.id, reviewer_id=actor.user_id, akkoord=akkoord, reden=reden, datum=date
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, audit.Event.REVIEW, "household", item.household_id,
                 nieuw={"decision": decision.id, "akkoord": akkoord})  # fmt: skip
    return row


def open_dissent(session: Session, decision: Decision) -> Review:
    """The tegenspraak on ``decision`` when it is the item's current decision, else InvalidInput.

    Only the newest decision of an agenda item can be decided again or escalated, and only
    after a reviewer disagreed with it.
    """
    newer = session.scalar(select(Decision.id).where(Decision.vervangt_id == decision.id))
    if newer is not None:
        raise Conflict("Dit besluit is al vervangen door een nieuw besluit.")
    rev = session.scalar(select(Review).where(Review.decision_id == decision.id))
    if rev is None or rev.akkoord:
        raise InvalidInput("Dit kan alleen na tegenspraak op het besluit.")
    return rev


def decide_again(
    session: Session,
    actor: Actor,
    decision_id: int,
    tekst: str,
    soort: str,
    date: dt.date | None = None,
) -> Decision:
    """After a tegenspraak, the table decides again: a new decision replaces the old one.

    Members of the table with access to the household (gbd). Both decisions stay; the new
    one has ``vervangt_id`` = the old one and a maatwerk decision again waits for review.
    """
    authorize(session, actor, "opnieuw_besluiten")
    old = _get(session, Decision, decision_id, "Besluit")
    tekst = _text(tekst, "De tekst van het besluit", 5)
    if soort not in DECISION_KINDS:
        raise InvalidInput("Kies het soort besluit: standaard of maatwerk.")
    date = _date(date or dt.date.today(), "Datum van het besluit")
    open_dissent(session, old)
    item = session.get(AgendaItem, old.agenda_item_id)
    require_member(session, actor, item.case_table_id, audit.Event.OPNIEUW_BESLUITEN)
    require_household_access(session, actor, item.household_id, audit.Event.OPNIEUW_BESLUITEN)
    new = Decision(
        agenda_item_id=item.id, tekst=tekst, soort=soort, besloten_door=actor.user_id,
        besloten_op=date, vervangt_id=old.id,
    )  # fmt: skip
    session.add(new)
    session.flush()
    audit.record(session, actor, audit.Event.OPNIEUW_BESLUITEN, "household", item.household_id,
                 nieuw={"decision": new.id, "vervangt": old.id, "soort": soort})  # fmt: skip
    return new
