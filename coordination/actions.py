"""Actions (opdrachten) given at a case table, their feedback and overdue lists.

An action goes to a department or an institution, with an owner and a deadline;
the party's feedback (terugkoppeling) is recorded against it. :func:`feedback_compliance` gives the
steering overview its per-institution counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.casetables import _date, _get, _text, require_member
from coordination.loopmodels import Referral, ReferralMessage
from coordination.models import Action, AgendaItem, CaseTable, CaseTableMember, Feedback
from coordination.referral_rules import answered_in_time
from coordination.referrals import refer_action
from households import audit
from households.access import authorize, require_household_access
from households.actor import Actor
from households.errors import InvalidInput
from households.models import Institution
from households.validation import clean_text

__all__ = [
    "ActionRow", "add_action", "record_feedback", "complete_action",
    "overdue_actions", "actions_for", "table_actions", "feedback_compliance",
]  # fmt: skip


def add_action(
    session: Session,
    actor: Actor,
    agenda_item_id: int,
    omschrijving: str,
    eigenaar: str,
    deadline: dt.date,
    *,
    afdeling: str | None = None,
    institution_id: int | None = None,
    date: dt.date | None = None,
) -> Action:
    """Give an action (opdracht) to a department or an institution, with owner and due date."""
    authorize(session, actor, "opdracht_geven")
    item = _get(session, AgendaItem, agenda_item_id, "Agendapunt")
    omschrijving = _text(omschrijving, "De opdracht", 5)
    eigenaar = _text(eigenaar, "De eigenaar van de opdracht", 2, 120)
    deadline = _date(deadline, "Deadline")
    date = _date(date or dt.date.today(), "Datum")
    afdeling = clean_text(afdeling, "De afdeling", 0, 120) or None
    if institution_id is not None:
        _get(session, Institution, institution_id, "Instelling")
    if (afdeling is None) == (institution_id is None):
        raise InvalidInput("Geef de opdracht aan een afdeling óf aan een instelling.")
    if deadline < date:
        raise InvalidInput("De deadline ligt vóór vandaag.")
    require_household_access(session, actor, item.household_id)
    action = Action(
        agenda_item_id=item.id, household_id=item.household_id, omschrijving=omschrijving,
        afdeling=afdeling, institution_id=institution_id, eigenaar=eigenaar, deadline=deadline,
        status="open", aangemaakt_door=actor.user_id, aangemaakt_op=date,
    )  # fmt: skip
    session.add(action)
    session.flush()
    audit.record(session, actor, audit.Event.OPDRACHT_GEVEN, "household", item.household_id,
                 nieuw={"action": action.id})  # fmt: skip
    if institution_id is not None:  # an action for an institution is a referral to it
        refer_action(session, actor, action, session.get(CaseTable, item.case_table_id).naam)
    return action


def record_feedback(
    session: Session,
    actor: Actor,
    action_id: int,
    tekst: str,
    door: str,
    datum: dt.date | None = None,
    *,
    afronden: bool = False,
) -> Feedback:
    """Record the feedback (terugkoppeling) a party gave on an action; optionally close it."""
    authorize(session, actor, "terugkoppeling")
    action = _get(session, Action, action_id, "Opdracht")
    tekst = _text(tekst, "De terugkoppeling", 3)
    door = _text(door, "Van wie de terugkoppeling komt", 2, 120)
    datum = _date(datum or dt.date.today(), "Datum van de terugkoppeling")
    require_household_access(session, actor, action.household_id)
    fb = Feedback(
        action_id=action.id, tekst=tekst, datum=datum, door=door, geregistreerd_door=actor.user_id
    )
    session.add(fb)
    if afronden:
        action.status, action.afgerond_op = "afgerond", datum
    session.flush()
    audit.record(session, actor, audit.Event.TERUGKOPPELING, "household", action.household_id,
                 nieuw={"action": action.id, "afgerond": afronden})  # fmt: skip
    return fb


def complete_action(session: Session, actor: Actor, action_id: int, datum: dt.date) -> Action:
    """Mark an action as done (afgerond)."""
    authorize(session, actor, "opdracht_afronden")
    action = _get(session, Action, action_id, "Opdracht")
    datum = _date(datum, "Datum")
    require_household_access(session, actor, action.household_id)
    action.status, action.afgerond_op = "afgerond", datum
    audit.record(session, actor, audit.Event.OPDRACHT_AFRONDEN, "household", action.household_id,
                 nieuw={"action": action.id})  # fmt: skip
    return action


@dataclass(frozen=True)
class ActionRow:
    """An action as listed: who must do what by when, and whether feedback came."""

    action_id: int
    household_id: int
    tafel: str
    omschrijving: str
    ontvanger: str
    eigenaar: str
    deadline: dt.date
    status: str
    terugkoppelingen: int
    dagen_te_laat: int


def _action_rows(session: Session, actor: Actor, stmt, date: dt.date) -> list[ActionRow]:
    if not actor.is_system:
        mine = select(CaseTableMember.case_table_id).where(CaseTableMember.user_id == actor.user_id)
        stmt = stmt.where(AgendaItem.case_table_id.in_(mine))
    fb = select(Feedback.action_id, func.count().label("n")).group_by(Feedback.action_id).subquery()
    rows = session.execute(
        stmt.add_columns(CaseTable.naam, Institution.naam, func.coalesce(fb.c.n, 0))
        .join(AgendaItem, AgendaItem.id == Action.agenda_item_id)
        .join(CaseTable, CaseTable.id == AgendaItem.case_table_id)
        .outerjoin(Institution, Institution.id == Action.institution_id)
        .outerjoin(fb, fb.c.action_id == Action.id)
        .order_by(Action.deadline, Action.id)
    ).all()
    out = []
    seen: list[tuple] = []
    for a, tafel, inst, n in rows:
        late = max((date - a.deadline).days, 0) if a.status == "open" else 0
        out.append(
            ActionRow(
                a.id,
                a.household_id,
                tafel,
                a.omschrijving,
                inst or a.afdeling or "-",
                a.eigenaar,
                a.deadline,
                a.status,
                int(n),
                late,
            )  # fmt: skip
        )
        seen.append((a.household_id, f"casustafel {tafel}"))
    audit.record_list(session, actor, audit.Event.OPDRACHTEN_INZIEN, "household", seen)
    return out


def overdue_actions(session: Session, actor: Actor, date: dt.date) -> list[ActionRow]:
    """Open actions whose deadline is before ``date``, on the actor's tables (gbd)."""
    authorize(session, actor, "opdrachten_inzien")
    stmt = select(Action).where(Action.status == "open", Action.deadline < date)
    return _action_rows(session, actor, stmt, date)


def actions_for(session: Session, actor: Actor, agenda_item_id: int, date: dt.date):
    """The actions of one agenda item (gbd member of its table)."""
    authorize(session, actor, "opdrachten_inzien")
    return _action_rows(
        session, actor, select(Action).where(Action.agenda_item_id == agenda_item_id), date
    )


def feedback_compliance(session: Session, actor: Actor, date: dt.date) -> pd.DataFrame:
    """Per institution: referrals sent (up to ``date``) and those the partner answered in time.

    From the partners' own responses (:mod:`coordination.referral_responses`): a referral
    counts as answered in time when the partner accepted or declined it within 5 Dutch
    working days (:func:`coordination.referral_rules.answered_in_time`), on or before
    ``date``. Counts only, no household identity (gbd and kiss; the steering overview
    suppresses). Columns: ``institution, actions, with_feedback, share`` (share 0..1,
    rounded to 3); ``actions`` counts the referrals.
    """
    authorize(session, actor, "terugkoppeling_overzicht")
    answered = (
        select(ReferralMessage.verwijzing_id, func.min(ReferralMessage.datum).label("op"))
        .where(ReferralMessage.soort.in_(("acceptatie", "afwijzing")),
               ReferralMessage.datum <= date)
        .group_by(ReferralMessage.verwijzing_id)
        .subquery()
    )  # fmt: skip
    rows = session.execute(
        select(Institution.naam, Referral.id, Referral.verstuurd_op, answered.c.op)
        .join(Institution, Institution.id == Referral.institution_id)
        .outerjoin(answered, answered.c.verwijzing_id == Referral.id)
        .where(Referral.verstuurd_op <= date, Referral.status != "ingetrokken")
    ).all()
    df = pd.DataFrame(
        [(naam, rid, answered_in_time(sent, op)) for naam, rid, sent, op in rows],
        columns=["institution", "action_id", "fb"],
    )
    if df.empty:
        return pd.DataFrame({"institution": [], "actions": [], "with_feedback": [], "share": []})
    out = (
        df.groupby("institution")
        .agg(actions=("action_id", "count"), with_feedback=("fb", "sum"))
        .reset_index()
    )
    out["actions"] = out["actions"].astype(int)
    out["with_feedback"] = out["with_feedback"].astype(int)
    out["share"] = (out["with_feedback"] / out["actions"]).round(3)
    return out.sort_values(["share", "institution"]).reset_index(drop=True)


def table_actions(session: Session, actor: Actor, table_id: int, date: dt.date) -> list[ActionRow]:
    """All actions given at one table (members), open ones first by deadline."""
    authorize(session, actor, "opdrachten_inzien")
    require_member(session, actor, table_id, audit.Event.OPDRACHTEN_INZIEN)
    rows = _action_rows(session, actor, select(Action).where(CaseTable.id == table_id), date)
    return sorted(rows, key=lambda r: (r.status != "open", r.deadline, r.action_id))
