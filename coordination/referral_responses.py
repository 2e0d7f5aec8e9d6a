"""The partner's answers to a referral: accept, decline (with a reason), progress, close.

Only a ``partner`` answers, and only referrals addressed to their own institution
(anything else is refused and audited). Each answer writes one ``verwijzing_bericht``,
moves the status on with an optimistic ``versie`` check (an answer to a referral that
changed since it was shown is a :class:`~households.errors.Conflict`; nothing is written)
and is audited. An answer to a referral from a table action is also the action's
terugkoppeling (the table sees it), and closing the referral completes the action. Every
answer is also a note in the history of the plan goal it serves (:func:`_goals_served`), so
the household plan shows it; the goal's status stays with the regie holder.

    verstuurd --accept--> geaccepteerd --progress--> geaccepteerd --close--> afgerond
    verstuurd --decline (reason)--> afgewezen
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coordination.loopmodels import (
    REFERRAL_OUTCOMES,
    GoalProgress,
    PlanGoal,
    Referral,
    ReferralMessage,
)
from coordination.models import Action, Decision, Feedback
from coordination.plan_rules import OPEN_GOAL_STATUSES
from coordination.referrals import MESSAGE_LABELS, OUTCOME_LABELS, own_referral
from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import Conflict, InvalidInput
from households.models import Institution, User
from households.validation import clean_text

__all__ = ["accept_referral", "decline_referral", "report_progress", "close_referral"]

MSG_CHANGED = (
    "Deze verwijzing is intussen gewijzigd (door een collega of een eerdere klik). "
    "De pagina toont nu de actuele stand; er is niets opgeslagen."
)
_DAY = object()  # placeholder in ``values``: the date of the answer


def _wrong_state(status: str, expect: str) -> str:
    if status in ("afgewezen", "afgerond", "ingetrokken"):
        return "Deze verwijzing is al afgesloten; er kan niets meer bij."
    if expect == "verstuurd":
        return "Deze verwijzing is al beantwoord."
    return "Accepteer de verwijzing eerst."


def _day(referral: Referral, date: dt.date | None) -> dt.date:
    day = date or dt.date.today()
    if not isinstance(day, dt.date):
        raise InvalidInput("Geef een geldige datum op.")
    if day < referral.verstuurd_op:
        raise InvalidInput("De datum ligt vóór de datum waarop de verwijzing is verstuurd.")
    if day > dt.date.today():
        raise InvalidInput("De datum ligt in de toekomst.")
    return day


def _answer(
    session: Session,
    actor: Actor,
    referral_id: int,
    versie: int,
    *,
    soort: str,
    expect: str,
    date: dt.date | None,
    tekst: str | None,
    values: dict,
) -> Referral:
    authorize(session, actor, "verwijzing_beantwoorden")
    event = audit.Event.VERWIJZING_BEANTWOORDEN
    referral = own_referral(session, actor, referral_id, event)
    if referral.status != expect:
        raise Conflict(_wrong_state(referral.status, expect))
    day = _day(referral, date)
    values = {k: (day if v is _DAY else v) for k, v in values.items()}
    done = session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.versie == versie)
        .values(**values, versie=Referral.versie + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done != 1:
        raise Conflict(MSG_CHANGED)
    session.refresh(referral)
    session.add(ReferralMessage(verwijzing_id=referral.id, soort=soort, datum=day, tekst=tekst,
                                door_user_id=actor.user_id))  # fmt: skip
    if referral.action_id is not None:
        _to_table(session, actor, referral, soort, day, tekst)
    _to_plan(session, actor, referral, soort, day, tekst)
    session.flush()
    audit.record(
        session, actor, event, "household", referral.household_id, doel=f"verwijzing {referral.id}",
        nieuw={"verwijzing": referral.id, "bericht": soort, "status": referral.status},
    )  # fmt: skip
    return referral


def _goals_served(session: Session, referral: Referral) -> list[PlanGoal]:
    """The goal the referral was made for, or — for a table action — the open goals that the
    decisions on the action's agenda item gave to the same institution."""
    if referral.doel_id is not None:
        return [session.get(PlanGoal, referral.doel_id)]
    if referral.action_id is None:
        return []
    item_id = select(Action.agenda_item_id).where(Action.id == referral.action_id)
    return list(session.scalars(
        select(PlanGoal)
        .join(Decision, Decision.id == PlanGoal.decision_id)
        .where(Decision.agenda_item_id.in_(item_id),
               PlanGoal.eigenaar_instelling_id == referral.institution_id,
               PlanGoal.status.in_(OPEN_GOAL_STATUSES))
        .order_by(PlanGoal.id)
    ))  # fmt: skip


def _to_plan(session, actor, referral: Referral, soort: str, day: dt.date, tekst) -> None:
    # A note in the goal's history; the status stays as the regie holder set it.
    inst = session.get(Institution, referral.institution_id)
    text = f"Verwijzing {inst.naam}: {MESSAGE_LABELS[soort]}" + (f" — {tekst}" if tekst else "")
    for goal in _goals_served(session, referral):
        session.add(GoalProgress(doel_id=goal.id, datum=day, status_oud=goal.status,
                                 status_nieuw=goal.status, notitie=text,
                                 door_user_id=actor.user_id))  # fmt: skip


def _to_table(session, actor, referral: Referral, soort: str, day: dt.date, tekst) -> None:
    # The partner's answer is the action's terugkoppeling; closing completes the action.
    inst = session.get(Institution, referral.institution_id)
    user = session.get(User, actor.user_id) if actor.user_id else None
    who = f"{(user.weergavenaam or user.naam) if user else actor.naam} ({inst.naam})"[:120]
    text = MESSAGE_LABELS[soort] + (f": {tekst}" if tekst else "")
    session.add(Feedback(action_id=referral.action_id, tekst=text, datum=day, door=who,
                         geregistreerd_door=actor.user_id))  # fmt: skip
    if soort == "afronding":
        action = session.scalar(select(Action).where(Action.id == referral.action_id))
        action.status, action.afgerond_op = "afgerond", day


def accept_referral(
    session: Session, actor: Actor, referral_id: int, versie: int,
    tekst: str | None = None, date: dt.date | None = None,
) -> Referral:  # fmt: skip
    """Accept a referral (partner of its institution); an optional note."""
    tekst = clean_text(tekst or "", "De toelichting", 0) or None
    return _answer(session, actor, referral_id, versie, soort="acceptatie", expect="verstuurd",
                   date=date, tekst=tekst,
                   values={"status": "geaccepteerd", "geaccepteerd_op": _DAY})  # fmt: skip


def decline_referral(
    session: Session, actor: Actor, referral_id: int, versie: int, reden: str,
    date: dt.date | None = None,
) -> Referral:  # fmt: skip
    """Decline a referral with a reason (required, at least 5 characters)."""
    reden = clean_text(reden, "De reden van de afwijzing", 5)
    return _answer(session, actor, referral_id, versie, soort="afwijzing", expect="verstuurd",
                   date=date, tekst=reden,
                   values={"status": "afgewezen", "afgewezen_op": _DAY,
                           "afwijzing_reden": reden})  # fmt: skip


def report_progress(
    session: Session, actor: Actor, referral_id: int, versie: int, tekst: str,
    date: dt.date | None = None,
) -> Referral:  # fmt: skip
    """Report progress on an accepted referral (the note is required)."""
    tekst = clean_text(tekst, "De voortgang", 3)
    return _answer(session, actor, referral_id, versie, soort="voortgang", expect="geaccepteerd",
                   date=date, tekst=tekst, values={})  # fmt: skip


def close_referral(
    session: Session, actor: Actor, referral_id: int, versie: int, uitkomst: str,
    toelichting: str, date: dt.date | None = None,
) -> Referral:  # fmt: skip
    """Close an accepted referral with an outcome (bereikt, deels bereikt, niet bereikt)."""
    if uitkomst not in REFERRAL_OUTCOMES:
        raise InvalidInput("Kies de uitkomst: " + ", ".join(OUTCOME_LABELS.values()) + ".")
    toelichting = clean_text(toelichting, "De toelichting op de uitkomst", 3)
    return _answer(session, actor, referral_id, versie, soort="afronding", expect="geaccepteerd",
                   date=date, tekst=f"{OUTCOME_LABELS[uitkomst]} — {toelichting}",
                   values={"status": "afgerond", "afgerond_op": _DAY, "uitkomst": uitkomst,
                           "uitkomst_toelichting": toelichting})  # fmt: skip
