"""Who may see an enrolled household: the experiment's own members.

:data:`HOUSEHOLD_RULES` is registered with the access core
(:mod:`households.access`) by ``app.bootstrap.bootstrap()``, so every service
that calls ``require_household_access`` applies it:

- an ``ervaringswerker`` sees a household only while it is enrolled (active
  enrolment) in an experiment they are a member of;
- a ``gbd`` coordinator who is a member of an experiment sees its enrolled
  households too.

The reason written on a read is ``proeftuin <naam van het experiment>``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from experiments.models import Enrolment, Experiment, ExperimentMember
from households.access import HouseholdRule, refuse
from households.actor import Actor
from households.audit import Event

__all__ = [
    "HOUSEHOLD_RULES", "enrolled_in_own_experiment", "require_member", "wire_household_rules",
]  # fmt: skip


def enrolled_in_own_experiment(session: Session, actor: Actor, household_id: int) -> str | None:
    """``proeftuin <naam>`` when the household is enrolled (active) in an experiment of theirs."""
    if actor.user_id is None:
        return None
    naam = session.scalar(
        select(Experiment.naam)
        .join(Enrolment, Enrolment.experiment_id == Experiment.id)
        .join(ExperimentMember, ExperimentMember.experiment_id == Experiment.id)
        .where(Enrolment.household_id == household_id, Enrolment.actief.is_(True))
        .where(ExperimentMember.user_id == actor.user_id)
        .order_by(Experiment.id)
        .limit(1)
    )
    return None if naam is None else f"proeftuin {naam}"


enrolled_in_own_experiment.grond = "proeftuin"  # type: ignore[attr-defined]  # disclosure

HOUSEHOLD_RULES: tuple[tuple[str, HouseholdRule], ...] = (
    ("ervaringswerker", enrolled_in_own_experiment),
    ("gbd", enrolled_in_own_experiment),
)
"""(role, rule) pairs that ``app.bootstrap.bootstrap()`` registers."""


def require_member(
    session: Session, actor: Actor, experiment_id: int, *roles: str, event: Event
) -> str | None:
    """Refuse (audited) unless the actor is a member of the experiment with one of ``roles``.

    The system actor always passes (returns None); otherwise returns the member role.
    The refusal is audited as ``event``.
    """
    if actor.is_system:
        return None
    rol = None
    if actor.user_id is not None:
        rol = session.scalar(
            select(ExperimentMember.rol).where(
                ExperimentMember.experiment_id == experiment_id,
                ExperimentMember.user_id == actor.user_id,
            )
        )
    if rol is None or (roles and rol not in roles):
        refuse(session, actor, event, "experiment", experiment_id,
               "U bent geen (bevoegd) lid van dit experiment.")  # fmt: skip
    return rol


def wire_household_rules() -> None:
    """Register the household rules of every context (coordination's and these) with the
    access core; idempotent. ``app.bootstrap`` calls it, as does a benchmark's child process."""
    from coordination import access as coordination_access
    from households.access import register_household_rule

    for rules in (coordination_access.HOUSEHOLD_RULES, HOUSEHOLD_RULES):
        for role, rule in rules:
            register_household_rule(role, rule)
