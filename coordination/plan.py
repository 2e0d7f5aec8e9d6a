"""The household plan (DESIGN 4.4: 1 huishouden, 1 plan, 1 regisseur): goals and their history.

Who may write:

- the GBD-er who holds the household's **active regie** adds goals and changes their
  status or notes progress (:func:`add_goal`, :func:`change_goal`);
- a **case table** adds a goal through a decision that is in force (a standaard decision,
  or a maatwerk decision agreed in the four-eyes review, not replaced): any member of the
  table where it was taken (:func:`add_goal_from_decision`; the goal keeps the decision).

A plan belongs to a household with regie: without an active regie nothing is added. Who
may read: anyone with access to the household (:func:`read_plan`, audited with the reason).
Every change writes a ``plan_voortgang`` row (old and new status, note, who, date) and an
audit row; a change to a goal names the version the user saw (``versie``) and a stale
version is a :class:`~households.errors.Conflict` (nothing written). Bad input is an
:class:`~households.errors.InvalidInput` with a Dutch message, checked before anything is
written. Labels, corners, statuses and review rules: :mod:`coordination.plan_rules`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coordination.casetables import decision_status, require_member
from coordination.loopmodels import GoalProgress, HouseholdPlan, PlanGoal
from coordination.models import AgendaItem, CaseTable, Decision, Regie, Review
from coordination.plan_input import change_fields, checked_date, goal_fields
from coordination.plan_print import plan_html
from coordination.plan_view import PlanView, plan_view
from coordination.regie import holder_name
from households import audit
from households.access import authorize, refuse, require_household_access, valid_id
from households.actor import Actor
from households.errors import Conflict, InvalidInput, NotFound
from households.formatting import date as nl_date
from households.models import Household

__all__ = [
    "get_or_create_plan", "add_goal", "add_goal_from_decision", "change_goal", "read_plan",
    "print_plan",
]  # fmt: skip

STALE = (
    "Dit doel is intussen gewijzigd door iemand anders. Er is niets opgeslagen; "
    "bekijk de nieuwe stand en probeer het opnieuw."
)
NO_REGIE = (
    "Dit huishouden heeft geen regiehouder. Wijs eerst regie toe (pagina Regie): "
    "de regiehouder beheert het plan."
)


# --- checks ---------------------------------------------------------------------------------


def _household(session: Session, household_id) -> Household:
    household = session.get(Household, household_id) if valid_id(household_id) else None
    if household is None:
        raise NotFound("Huishouden niet gevonden.")
    return household


def _active_regie(session: Session, household_id: int) -> Regie | None:
    return session.scalar(
        select(Regie).where(Regie.household_id == household_id, Regie.actief.is_(True))
    )


def _require_regie_holder(
    session: Session, actor: Actor, household_id: int, event: audit.Event
) -> Regie:
    """The active regie when ``actor`` holds it; otherwise an audited refusal naming the holder."""
    regie = _active_regie(session, household_id)
    if actor.is_system and regie is not None:
        return regie
    if regie is None:
        refuse(session, actor, event, "household", household_id, NO_REGIE)
    if regie.houder_user_id != actor.user_id:
        name = holder_name(session, regie)
        message = f"Alleen de regiehouder ({name}) kan dit plan wijzigen."
        refuse(session, actor, event, "household", household_id, message)
    return regie


# --- the plan ---------------------------------------------------------------------------------


def _plan_for(session: Session, actor: Actor, household_id: int) -> HouseholdPlan:
    """The household's plan, created (and audited) when missing; a concurrent create is reused."""
    stmt = select(HouseholdPlan).where(HouseholdPlan.household_id == household_id)
    plan = session.scalar(stmt)
    if plan is not None:
        return plan
    plan = HouseholdPlan(household_id=household_id, aangemaakt_door=actor.user_id)
    try:
        with session.begin_nested():
            session.add(plan)
            session.flush()
    except IntegrityError:  # created by someone else at the same moment: one plan
        return session.scalar(stmt)
    audit.record(session, actor, audit.Event.PLAN_AANMAKEN, "household", household_id,
                 nieuw={"plan": plan.id})  # fmt: skip
    return plan


def get_or_create_plan(session: Session, actor: Actor, household_id: int) -> HouseholdPlan:
    """The household's plan; the regie holder creates it when missing (audited)."""
    authorize(session, actor, "plan_doel_toevoegen")
    _household(session, household_id)
    require_household_access(session, actor, household_id, audit.Event.PLAN_AANMAKEN)
    _require_regie_holder(session, actor, household_id, audit.Event.PLAN_AANMAKEN)
    return _plan_for(session, actor, household_id)


def _write_goal(session, actor, household_id, fields, today, decision_id, note, event):
    plan = _plan_for(session, actor, household_id)
    goal = PlanGoal(plan_id=plan.id, status="open", decision_id=decision_id,
                    aangemaakt_door=actor.user_id, versie=1, **fields)  # fmt: skip
    session.add(goal)
    session.flush()
    session.add(GoalProgress(doel_id=goal.id, datum=today, status_oud=None, status_nieuw="open",
                             notitie=note, decision_id=decision_id,
                             door_user_id=actor.user_id))  # fmt: skip
    session.flush()
    audit.record(session, actor, event, "household", household_id,
                 nieuw={"doel": goal.id, "levensgebied": goal.levensgebied, "hoek": goal.hoek,
                        "besluit": decision_id})  # fmt: skip
    return goal


def add_goal(
    session: Session,
    actor: Actor,
    household_id: int,
    *,
    levensgebied: str,
    doel: str,
    evaluatiedatum: dt.date,
    eigenaar_user_id: int | None = None,
    eigenaar_afdeling: str | None = None,
    eigenaar_instelling_id: int | None = None,
    hoek: str | None = None,
    date: dt.date | None = None,
) -> PlanGoal:
    """Add a goal to the household's plan (the regie holder; audited).

    ``hoek`` defaults to the life area's corner (:func:`coordination.plan_rules.corner_of`);
    one owner; the review date lies between ``date`` (today) and two years ahead.
    """
    authorize(session, actor, "plan_doel_toevoegen")
    today = checked_date(date or dt.date.today(), "De datum")
    _household(session, household_id)
    owner = (eigenaar_user_id, eigenaar_afdeling, eigenaar_instelling_id)
    fields = goal_fields(session, levensgebied, hoek, doel, evaluatiedatum, today, owner)
    event = audit.Event.PLAN_DOEL_TOEVOEGEN
    require_household_access(session, actor, household_id, event)
    _require_regie_holder(session, actor, household_id, event)
    return _write_goal(session, actor, household_id, fields, today, None, "Doel opgesteld", event)


def _decision_in_force(session: Session, decision: Decision) -> None:
    review = session.scalar(select(Review).where(Review.decision_id == decision.id))
    status = decision_status(decision, review)
    if status != "in werking":
        raise InvalidInput(
            "Dit besluit is nog niet in werking (een maatwerkbesluit geldt pas na akkoord in de "
            f"review; nu: {status}). Er is geen doel toegevoegd."
        )
    replaced = session.scalar(select(exists().where(Decision.vervangt_id == decision.id)))
    if replaced:
        raise InvalidInput("Dit besluit is vervangen door een nieuw besluit: kies dat besluit.")


def add_goal_from_decision(
    session: Session,
    actor: Actor,
    decision_id: int,
    *,
    levensgebied: str,
    doel: str,
    evaluatiedatum: dt.date,
    eigenaar_user_id: int | None = None,
    eigenaar_afdeling: str | None = None,
    eigenaar_instelling_id: int | None = None,
    hoek: str | None = None,
    date: dt.date | None = None,
) -> PlanGoal:
    """Add a goal from a table decision in force (a member of that table; audited).

    The goal keeps ``decision_id``; the household must have an active regie (its holder
    carries the goal on). Same fields and checks as :func:`add_goal`.
    """
    authorize(session, actor, "plan_doel_uit_besluit")
    today = checked_date(date or dt.date.today(), "De datum")
    decision = session.get(Decision, decision_id) if valid_id(decision_id) else None
    if decision is None:
        raise NotFound("Besluit niet gevonden.")
    item = session.get(AgendaItem, decision.agenda_item_id)
    owner = (eigenaar_user_id, eigenaar_afdeling, eigenaar_instelling_id)
    fields = goal_fields(session, levensgebied, hoek, doel, evaluatiedatum, today, owner)
    _decision_in_force(session, decision)
    event = audit.Event.PLAN_DOEL_UIT_BESLUIT
    require_member(session, actor, item.case_table_id, event)
    require_household_access(session, actor, item.household_id, event)
    if _active_regie(session, item.household_id) is None:
        raise InvalidInput(NO_REGIE)
    table = session.get(CaseTable, item.case_table_id)
    note = f"Doel uit besluit van {table.naam} ({nl_date(decision.besloten_op)})"
    return _write_goal(session, actor, item.household_id, fields, today, decision.id, note, event)


# --- changing a goal --------------------------------------------------------------------------


def change_goal(
    session: Session,
    actor: Actor,
    goal_id: int,
    versie: int,
    *,
    status: str | None = None,
    notitie: str | None = None,
    evaluatiedatum: dt.date | None = None,
    date: dt.date | None = None,
) -> PlanGoal:
    """Change a goal's status and/or note progress and/or set a new review date (regie holder).

    ``versie`` is the version the user saw: a goal changed since is a :class:`Conflict`.
    At least one change is needed; 'niet bereikt' and 'vervallen' need a note. Writes one
    ``plan_voortgang`` row and one audit row.
    """
    authorize(session, actor, "plan_doel_wijzigen")
    today = checked_date(date or dt.date.today(), "De datum")
    goal = session.get(PlanGoal, goal_id) if valid_id(goal_id) else None
    if goal is None:
        raise NotFound("Doel niet gevonden.")
    household_id = session.get(HouseholdPlan, goal.plan_id).household_id
    new_status, note, new_date = change_fields(goal, status, notitie, evaluatiedatum, today)
    event = audit.Event.PLAN_DOEL_WIJZIGEN
    require_household_access(session, actor, household_id, event)
    _require_regie_holder(session, actor, household_id, event)
    if not isinstance(versie, int) or isinstance(versie, bool):
        raise Conflict(STALE)
    old_status = goal.status
    # Compare-and-set in the database: of two saves of the same version only one matches.
    written = session.execute(
        update(PlanGoal)
        .where(PlanGoal.id == goal.id, PlanGoal.versie == versie)
        .values(status=new_status, evaluatiedatum=new_date, versie=versie + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if written != 1:
        raise Conflict(STALE)
    session.refresh(goal)
    session.add(GoalProgress(doel_id=goal.id, datum=today, status_oud=old_status,
                             status_nieuw=new_status, notitie=note,
                             door_user_id=actor.user_id))  # fmt: skip
    session.flush()
    audit.record(session, actor, event, "household", household_id,
                 oud={"doel": goal.id, "status": old_status},
                 nieuw={"doel": goal.id, "status": new_status, "versie": goal.versie})  # fmt: skip
    return goal


# --- reading and printing ---------------------------------------------------------------------


def _checked_view(session, actor, household_id, today, event) -> tuple[PlanView, str]:
    """Check household access (refusals audited as ``event``) and build the view; the caller
    has authorized its own action. Returns the view and the access reason for the audit row."""
    _household(session, household_id)
    reason = require_household_access(session, actor, household_id, event)
    view = plan_view(session, household_id, today or dt.date.today(),
                     viewer_user_id=actor.user_id)  # fmt: skip
    return view, reason


def read_plan(
    session: Session, actor: Actor, household_id: int, today: dt.date | None = None
) -> PlanView:
    """The household's plan with goals and history (anyone with household access; audited)."""
    authorize(session, actor, "plan_inzien")
    event = audit.Event.PLAN_INZIEN
    view, reason = _checked_view(session, actor, household_id, today, event)
    audit.record(session, actor, event, "household", household_id, doel=reason)
    return view


def print_plan(
    session: Session, actor: Actor, household_id: int, today: dt.date | None = None
) -> str:
    """The one-page printable plan (HTML) to discuss with the household (audited as a print)."""
    authorize(session, actor, "plan_afdrukken")
    event = audit.Event.PLAN_AFDRUKKEN
    view, reason = _checked_view(session, actor, household_id, today, event)
    audit.record(session, actor, event, "household", household_id,
                 doel=f"plan afdrukken voor gesprek met huishouden ({reason})",
                 nieuw={"doelen": len(view.goals)})  # fmt: skip
    return plan_html(view)
