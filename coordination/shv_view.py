"""Reading schuldhulp for the GBD-er (issue 15): one household's trajectories, and mine.

- :func:`traject_van` — a household's trajectories (the open one first) with their steps,
  the debts in the arrangement, the debts that could go in, the arrears signals an
  aanmelding can name, and the next norm deadline. Access: ``gbd`` with household access;
  one audit row (``schuldhulp_inzien``) with the access reason.
- :func:`mijn_trajecten` / :func:`deadlines` — the GBD-er's open trajectories with their
  step, days in the step and the next norm deadline, crisis first. **Mine** means: a
  trajectory I registered or recorded a step in, or of a household I hold the active regie
  for — and only where I may still see the household (the access rules decide, per row).
  One audit row per view (``schuldhulp_overzicht``) naming the households and why.

The next deadline of a trajectory: :func:`coordination.shv_rules.running_norm` (which norm
runs in which step), :class:`coordination.shv_data.NormTerms` (its term as ``beheer`` set
it) and :func:`coordination.shv_rules.norm_state` (warning or late) — the worklist and the
KISS rows use the same three.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from coordination.models import Regie
from coordination.shv_data import NormTerms, norm_terms
from coordination.shv_rules import (
    CRISIS_LABELS,
    DEBT_STEPS,
    END_REASON_LABELS,
    NORM_LABELS,
    SOURCE_LABELS,
    STEP_LABELS,
    TRANSITIONS,
    days_left,
    norm_state,
    running_norm,
)
from coordination.shvmodels import DebtInArrangement, DebtTrajectory, DebtTrajectoryStep
from households import audit
from households.access import authorize, household_access_reason, require_household_access
from households.actor import Actor
from households.formatting import euro_cents
from households.labels import HouseholdLabel, household_labels
from households.models import ARREARS_SIGNAL_KINDS, Debt, Institution, Person, Signal, User
from households.norms import NORMS
from households.periods import member_of_household_sql, regie_active_sql

__all__ = [
    "Deadline", "StepView", "DebtView", "TrajectView", "HouseholdShv", "MyTrajectory",
    "next_deadline", "traject_van", "mijn_trajecten", "deadlines", "my_trajectory_ids",
]  # fmt: skip


@dataclass(frozen=True)
class Deadline:
    """The next norm deadline of an open trajectory and its state on ``today``."""

    traject_id: int
    household_id: int
    norm: str
    sinds: dt.date
    uiterlijk: dt.date
    werkdagen: bool
    dagen_over: int  # (working) days left; negative: days late
    status: str | None  # te_laat | waarschuwing | None

    @property
    def label(self) -> str:
        """What is due, in Dutch."""
        return NORM_LABELS[self.norm]

    @property
    def text(self) -> str:
        """E.g. ``Eerste gesprek uiterlijk 30-04-2026 (nog 3 werkdagen)``."""
        unit = "werkdagen" if self.werkdagen else "dagen"
        if self.dagen_over < 0:
            when = f"{-self.dagen_over} {unit} te laat"
        elif self.dagen_over == 0:
            when = "vandaag"
        else:
            when = f"nog {self.dagen_over} {unit}"
        return f"{self.label} uiterlijk {self.uiterlijk:%d-%m-%Y} ({when})"


def next_deadline(
    terms: NormTerms, traject_id: int, household_id: int, stap: str, stap_sinds: dt.date,
    aangemeld_op: dt.date, crisis: bool, today: dt.date,
) -> Deadline | None:  # fmt: skip
    """The norm that runs in ``stap`` with its deadline and state on ``today`` (or None)."""
    norm = running_norm(stap, crisis)
    if norm is None:
        return None
    start = aangemeld_op if stap == "aanmelding" else stap_sinds
    werkdagen = NORMS[norm].werkdagen
    due = terms.deadline(norm, start)
    return Deadline(
        traject_id,
        household_id,
        norm,
        start,
        due,
        werkdagen,
        days_left(today, due, werkdagen),
        norm_state(today, due, werkdagen),
    )


@dataclass(frozen=True)
class StepView:
    """One step of the history."""

    stap: str
    datum: dt.date
    door: str | None
    toelichting: str | None

    @property
    def label(self) -> str:
        """The step in Dutch."""
        return STEP_LABELS[self.stap]


@dataclass(frozen=True)
class DebtView:
    """A debt of a household member (in the arrangement when ``opgenomen_op`` is set)."""

    debt_id: int
    schuldeiser: str
    openstaand_cent: int
    sinds: dt.date
    opgenomen_op: dt.date | None = None

    @property
    def label(self) -> str:
        """``creditor — € amount`` for a picker."""
        return f"{self.schuldeiser} — {euro_cents(self.openstaand_cent)}"


@dataclass(frozen=True)
class TrajectView:
    """One trajectory as the household page shows it."""

    traject_id: int
    versie: int
    bron: str
    bron_toelichting: str | None  # the signal or the partner that led to it
    aangemeld_op: dt.date
    stap: str
    stap_sinds: dt.date
    crisis_soort: str | None
    beeindigd_op: dt.date | None
    reden_einde: str | None
    stappen: tuple[StepView, ...]
    schulden: tuple[DebtView, ...]
    deadline: Deadline | None

    @property
    def open(self) -> bool:
        """Not ended."""
        return self.beeindigd_op is None

    @property
    def stap_label(self) -> str:
        """The current step in Dutch."""
        return STEP_LABELS[self.stap]

    @property
    def bron_label(self) -> str:
        """The source in Dutch."""
        return SOURCE_LABELS[self.bron]

    @property
    def crisis_label(self) -> str | None:
        """The crisis in Dutch, or None."""
        return CRISIS_LABELS.get(self.crisis_soort) if self.crisis_soort else None

    @property
    def reden_label(self) -> str | None:
        """The end reason in Dutch, or None."""
        return END_REASON_LABELS.get(self.reden_einde) if self.reden_einde else None

    @property
    def volgende(self) -> tuple[str, ...]:
        """The steps that may follow (``beeindigd`` last)."""
        return TRANSITIONS[self.stap]

    @property
    def schulden_opnemen_mag(self) -> bool:
        """Debts may be taken into the arrangement in the current step."""
        return self.open and self.stap in DEBT_STEPS


@dataclass(frozen=True)
class HouseholdShv:
    """A household's schuldhulp: its trajectories (the open one first) and what forms need."""

    household_id: int
    trajecten: tuple[TrajectView, ...]
    open_schulden: tuple[DebtView, ...]  # open debts of members, not in the open arrangement
    signalen: tuple[tuple[int, str], ...]  # arrears signals: (id, "huurachterstand 03-02-2026")

    @property
    def lopend(self) -> TrajectView | None:
        """The open trajectory, or None."""
        return next((t for t in self.trajecten if t.open), None)


def _steps(session: Session, ids: list[int]) -> dict[int, list[StepView]]:
    rows = session.execute(
        select(DebtTrajectoryStep, func.coalesce(User.weergavenaam, User.naam))
        .outerjoin(User, User.id == DebtTrajectoryStep.door_user_id)
        .where(DebtTrajectoryStep.traject_id.in_(ids))
        .order_by(DebtTrajectoryStep.datum, DebtTrajectoryStep.id)
    )
    out: dict[int, list[StepView]] = {i: [] for i in ids}
    for step, door in rows:
        out[step.traject_id].append(StepView(step.stap, step.datum, door, step.toelichting))
    return out


def _arranged(session: Session, ids: list[int]) -> dict[int, list[DebtView]]:
    rows = session.execute(
        select(DebtInArrangement.traject_id, Debt, DebtInArrangement.opgenomen_op)
        .join(Debt, Debt.id == DebtInArrangement.debt_id)
        .where(DebtInArrangement.traject_id.in_(ids))
        .order_by(Debt.schuldeiser, Debt.id)
    )
    out: dict[int, list[DebtView]] = {i: [] for i in ids}
    for traject_id, d, since in rows:
        out[traject_id].append(DebtView(d.id, d.schuldeiser, d.openstaand_cent, d.sinds, since))
    return out


def _source_note(session: Session, t: DebtTrajectory) -> str | None:
    if t.signal_id is not None:
        s = session.get(Signal, t.signal_id)
        return f"{s.soort} gemeld op {s.gemeld_op:%d-%m-%Y}" if s else None
    if t.institution_id is not None:
        inst = session.get(Institution, t.institution_id)
        return inst.naam if inst else None
    return None


def traject_van(
    session: Session, actor: Actor, household_id: int, today: dt.date | None = None
) -> HouseholdShv:
    """The household's schuldhulp (gbd with household access; one audit row with the reason)."""
    authorize(session, actor, "schuldhulp_inzien")
    event = audit.Event.SCHULDHULP_INZIEN
    reason = require_household_access(session, actor, household_id, event)
    today = today or dt.date.today()
    rows = session.scalars(
        select(DebtTrajectory)
        .where(DebtTrajectory.household_id == household_id)
        .order_by(DebtTrajectory.beeindigd_op.is_not(None), DebtTrajectory.aangemeld_op.desc(),
                  DebtTrajectory.id.desc())
    ).all()  # fmt: skip
    ids = [t.id for t in rows]
    steps, arranged = _steps(session, ids), _arranged(session, ids)
    terms = norm_terms(session)
    views = tuple(
        TrajectView(
            t.id, t.versie, t.bron, _source_note(session, t), t.aangemeld_op, t.stap,
            t.stap_sinds, t.crisis_soort, t.beeindigd_op, t.reden_einde,
            tuple(steps[t.id]), tuple(arranged[t.id]),
            None if t.beeindigd_op else next_deadline(
                terms, t.id, household_id, t.stap, t.stap_sinds, t.aangemeld_op, t.crisis, today
            ),
        )
        for t in rows
    )  # fmt: skip
    taken = {d.debt_id for v in views if v.open for d in v.schulden}
    debts = session.scalars(
        select(Debt)
        .join(Person, Person.id == Debt.person_id)
        .where(Debt.openstaand_cent > 0, member_of_household_sql(household_id, today))
        .order_by(Debt.schuldeiser, Debt.id)
    ).all()
    signals = session.execute(
        select(Signal.id, Signal.soort, Signal.gemeld_op)
        .where(Signal.household_id == household_id, Signal.soort.in_(ARREARS_SIGNAL_KINDS))
        .order_by(Signal.gemeld_op.desc(), Signal.id.desc())
    ).all()
    audit.record(session, actor, event, "household", household_id, doel=reason,
                 nieuw={"trajecten": ids})  # fmt: skip
    return HouseholdShv(
        household_id,
        views,
        tuple(DebtView(d.id, d.schuldeiser, d.openstaand_cent, d.sinds)
              for d in debts if d.id not in taken),
        tuple((s.id, f"{s.soort} {s.gemeld_op:%d-%m-%Y}") for s in signals),
    )  # fmt: skip


# --- the GBD-er's own trajectories ----------------------------------------------------------


def my_trajectory_ids(actor: Actor, today: dt.date):
    """SQL: ids of the open trajectories that are mine (see the module; access not checked)."""
    stepped = select(DebtTrajectoryStep.traject_id).where(
        DebtTrajectoryStep.door_user_id == actor.user_id
    )
    regie = select(Regie.household_id).where(
        Regie.houder_user_id == actor.user_id, regie_active_sql(Regie, today)
    )
    return select(DebtTrajectory.id).where(
        DebtTrajectory.beeindigd_op.is_(None),
        or_(DebtTrajectory.aangemeld_door == actor.user_id, DebtTrajectory.id.in_(stepped),
            DebtTrajectory.household_id.in_(regie)),
    )  # fmt: skip


@dataclass(frozen=True)
class MyTrajectory:
    """One open trajectory on the GBD-er's Schuldhulp page."""

    traject_id: int
    versie: int
    huishouden: HouseholdLabel
    stap: str
    stap_sinds: dt.date
    dagen_in_stap: int
    crisis_soort: str | None
    deadline: Deadline | None

    @property
    def stap_label(self) -> str:
        """The step in Dutch."""
        return STEP_LABELS[self.stap]

    @property
    def sort_key(self) -> tuple:
        """Crisis first, then late, then the nearest deadline, then the longest in step."""
        due = self.deadline.uiterlijk if self.deadline else dt.date.max
        late = self.deadline is not None and self.deadline.status == "te_laat"
        return (self.crisis_soort is None, not late, due, self.stap_sinds, self.traject_id)


def _mine(session: Session, actor: Actor, today: dt.date):
    rows = session.scalars(
        select(DebtTrajectory).where(DebtTrajectory.id.in_(my_trajectory_ids(actor, today)))
    ).all()
    reasons: dict[int, str] = {}
    visible = []
    for t in rows:
        reason = reasons.get(t.household_id) or household_access_reason(
            session, actor, t.household_id
        )
        if reason is not None:
            reasons[t.household_id] = reason
            visible.append(t)
    terms = norm_terms(session)
    return visible, reasons, terms


def mijn_trajecten(
    session: Session, actor: Actor, today: dt.date | None = None
) -> tuple[MyTrajectory, ...]:
    """My open trajectories, crisis first (gbd; one audit row naming the households and why)."""
    authorize(session, actor, "schuldhulp_overzicht")
    today = today or dt.date.today()
    visible, reasons, terms = _mine(session, actor, today)
    labels = household_labels(session, reasons)
    out = sorted(
        (MyTrajectory(t.id, t.versie, labels[t.household_id], t.stap, t.stap_sinds,
                      (today - t.stap_sinds).days, t.crisis_soort,
                      next_deadline(terms, t.id, t.household_id, t.stap, t.stap_sinds,
                                    t.aangemeld_op, t.crisis, today))
         for t in visible),
        key=lambda m: m.sort_key,
    )  # fmt: skip
    audit.record(session, actor, audit.Event.SCHULDHULP_OVERZICHT, "lijst", "schuldhulp",
                 doel="schuldhulp: mijn trajecten",
                 nieuw={"huishoudens": [[h, r] for h, r in reasons.items()]})  # fmt: skip
    return tuple(out)


def deadlines(session: Session, actor: Actor, today: dt.date | None = None) -> tuple[Deadline, ...]:
    """The next norm deadline of each of my open trajectories, the earliest first.

    No names: ids and dates only. Called by the worklist (which audits its own view);
    authorizes ``schuldhulp_overzicht`` and writes no audit row itself.
    """
    authorize(session, actor, "schuldhulp_overzicht")
    today = today or dt.date.today()
    visible, _reasons, terms = _mine(session, actor, today)
    found = (next_deadline(terms, t.id, t.household_id, t.stap, t.stap_sinds, t.aangemeld_op,
                           t.crisis, today) for t in visible)  # fmt: skip
    return tuple(sorted((d for d in found if d), key=lambda d: (d.uiterlijk, d.traject_id)))
