"""The household plan as screens and the printed plan show it: frozen values, read in one go.

:func:`plan_view` builds a :class:`PlanView` for one household — the plan's goals with
their owners, review dates and history, the regie holder and the overarching goal — and
checks nothing: the caller has checked access and audits the read
(:func:`coordination.plan.read_plan` for the GBD-er; partners and ervaringswerkers read
through their own guarded helpers). Labels, corners, statuses and "due for review" come
from :mod:`coordination.plan_rules` (the one home).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.loopmodels import GOAL_CORNERS, GoalProgress, HouseholdPlan, PlanGoal
from coordination.models import AgendaItem, CaseTable, Decision, Regie
from coordination.plan_rules import (
    CORNER_LABELS,
    LIFE_AREA_LABELS,
    OPEN_GOAL_STATUSES,
    STATUS_LABELS,
    review_due,
)
from coordination.regie import holder_name
from households.models import Household, Institution, Person, User

__all__ = [
    "PlanView", "GoalView", "ProgressView", "plan_view", "goals_by_corner",
    "institution_goals", "ADULT_ROLES",
]  # fmt: skip

ADULT_ROLES = ("hoofdbewoner", "partner")  # the people the printed plan is addressed to


@dataclass(frozen=True)
class ProgressView:
    """One entry in a goal's history (oldest first)."""

    datum: dt.date
    status_oud: str | None
    status_nieuw: str
    notitie: str | None
    door: str | None
    besluit: bool  # written by a table decision


@dataclass(frozen=True)
class GoalView:
    """One goal with its labels, owner and history."""

    id: int
    levensgebied: str
    levensgebied_label: str
    hoek: str
    hoek_label: str
    doel: str
    eigenaar: str
    eigenaar_soort: str  # "gbd", "afdeling" or "instelling"
    eigenaar_user_id: int | None
    eigenaar_instelling_id: int | None
    evaluatiedatum: dt.date
    status: str
    status_label: str
    evaluatie_nodig: bool  # plan_rules.review_due on the view's date
    versie: int
    decision_id: int | None
    tafel: str | None  # the case table whose decision made the goal
    historie: tuple[ProgressView, ...]

    @property
    def open(self) -> bool:
        """Still being worked on (open or loopt)."""
        return self.status in OPEN_GOAL_STATUSES


@dataclass(frozen=True)
class PlanView:
    """A household's plan on a date: who holds regie, the overarching goal, the goals."""

    household_id: int
    huishouden_id: str
    adres: str
    wijk: str
    bewoners: tuple[str, ...]  # names of the adults (for the printed plan)
    peildatum: dt.date
    plan_id: int | None
    regiehouder: str | None  # the active regie holder's name
    regiehouder_user_id: int | None
    regie_doel: str | None  # the regie's overarching goal
    goals: tuple[GoalView, ...]
    may_edit: bool = False  # the viewer holds the active regie

    @property
    def next_review(self) -> dt.date | None:
        """The earliest review date of the goals still open, or None."""
        dates = [g.evaluatiedatum for g in self.goals if g.open]
        return min(dates) if dates else None


def _address(h: Household) -> str:
    street = " ".join(x for x in (h.straat, h.huisnummer) if x)
    postcode = f"{h.postcode[:4]} {h.postcode[4:]}" if h.postcode else ""
    return ", ".join(x for x in (street, f"{postcode} Brunssum".strip()) if x)


def _names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.naam, User.weergavenaam).where(User.id.in_(ids)))
    return {i: w or n for i, n, w in rows}


def _active_regie(session: Session, household_id: int) -> Regie | None:
    return session.scalar(
        select(Regie).where(Regie.household_id == household_id, Regie.actief.is_(True))
    )


def _holder(session: Session, regie: Regie | None) -> str | None:
    return None if regie is None else holder_name(session, regie)


def plan_view(
    session: Session, household_id: int, today: dt.date, *, viewer_user_id: int | None = None
) -> PlanView:
    """The plan of ``household_id`` as shown on ``today`` (no access check, no audit row).

    ``viewer_user_id`` decides :attr:`PlanView.may_edit` (the viewer holds the active regie).
    A household without a plan gets a view without goals (``plan_id`` None).
    """
    household = session.get(Household, household_id)
    regie = _active_regie(session, household_id)
    plan = session.scalar(select(HouseholdPlan).where(HouseholdPlan.household_id == household_id))
    goals = [] if plan is None else list(
        session.scalars(select(PlanGoal).where(PlanGoal.plan_id == plan.id).order_by(PlanGoal.id))
    )  # fmt: skip
    progress: dict[int, list[GoalProgress]] = {g.id: [] for g in goals}
    if goals:
        for p in session.scalars(
            select(GoalProgress)
            .where(GoalProgress.doel_id.in_(list(progress)))
            .order_by(GoalProgress.datum, GoalProgress.id)
        ):
            progress[p.doel_id].append(p)
    users = _names(
        session,
        [g.eigenaar_user_id for g in goals]
        + [p.door_user_id for rows in progress.values() for p in rows],
    )
    institutions = dict(
        session.execute(
            select(Institution.id, Institution.naam).where(
                Institution.id.in_({g.eigenaar_instelling_id for g in goals} - {None})
            )
        ).all()
    )
    tables = dict(
        session.execute(
            select(Decision.id, CaseTable.naam)
            .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
            .join(CaseTable, CaseTable.id == AgendaItem.case_table_id)
            .where(Decision.id.in_({g.decision_id for g in goals} - {None}))
        ).all()
    )
    adults = session.scalars(
        select(Person.naam)
        .where(Person.household_id == household_id, Person.rol.in_(ADULT_ROLES))
        .order_by(Person.rol, Person.id)
    )
    return PlanView(
        household_id=household_id,
        huishouden_id=household.huishouden_id,
        adres=_address(household),
        wijk=household.wijk,
        bewoners=tuple(n for n in adults if n),
        peildatum=today,
        plan_id=None if plan is None else plan.id,
        regiehouder=_holder(session, regie),
        regiehouder_user_id=None if regie is None else regie.houder_user_id,
        regie_doel=None if regie is None else regie.doel,
        goals=tuple(_goal(g, progress[g.id], users, institutions, tables, today) for g in goals),
        may_edit=regie is not None
        and viewer_user_id is not None
        and regie.houder_user_id == viewer_user_id,
    )


def _owner(goal: PlanGoal, users, institutions) -> tuple[str, str]:
    if goal.eigenaar_user_id is not None:
        return users.get(goal.eigenaar_user_id, "GBD-er"), "gbd"
    if goal.eigenaar_instelling_id is not None:
        return institutions.get(goal.eigenaar_instelling_id, "instelling"), "instelling"
    return goal.eigenaar_afdeling or "afdeling", "afdeling"


def _goal(goal: PlanGoal, history, users, institutions, tables, today) -> GoalView:
    owner, kind = _owner(goal, users, institutions)
    return GoalView(
        id=goal.id,
        levensgebied=goal.levensgebied,
        levensgebied_label=LIFE_AREA_LABELS[goal.levensgebied],
        hoek=goal.hoek,
        hoek_label=CORNER_LABELS[goal.hoek],
        doel=goal.doel,
        eigenaar=owner,
        eigenaar_soort=kind,
        eigenaar_user_id=goal.eigenaar_user_id,
        eigenaar_instelling_id=goal.eigenaar_instelling_id,
        evaluatiedatum=goal.evaluatiedatum,
        status=goal.status,
        status_label=STATUS_LABELS[goal.status],
        evaluatie_nodig=review_due(goal.status, goal.evaluatiedatum, today),
        versie=goal.versie,
        decision_id=goal.decision_id,
        tafel=tables.get(goal.decision_id),
        historie=tuple(
            ProgressView(
                p.datum,
                p.status_oud,
                p.status_nieuw,
                p.notitie,
                users.get(p.door_user_id),
                p.decision_id is not None,
            )
            for p in history
        ),  # fmt: skip
    )


def goals_by_corner(
    goals: tuple[GoalView, ...] | list[GoalView],
) -> list[tuple[str, str, tuple[GoalView, ...]]]:
    """The goals per corner of the triangle, in the triangle's order; empty corners left out.

    Within a corner: open goals first, then by review date.
    """
    out = []
    for corner in GOAL_CORNERS:
        mine = sorted(
            (g for g in goals if g.hoek == corner),
            key=lambda g: (not g.open, g.evaluatiedatum, g.id),
        )
        if mine:
            out.append((corner, CORNER_LABELS[corner], tuple(mine)))
    return out


def institution_goals(view: PlanView) -> tuple[GoalView, ...]:
    """Open goals owned by a partner institution: the hook for referrals (coordination.referrals).

    Creating the referral itself belongs to the referral service; this only says which goals
    of a plan are waiting on an institution.
    """
    return tuple(g for g in view.goals if g.open and g.eigenaar_soort == "instelling")
