"""Who may see an enrolled household: the experiment's own members.

Registered with :func:`coordination.access.register_household_rule` when the
``experiments`` package is imported, so every service that calls
``require_household_access`` applies it:

- an ``ervaringswerker`` sees a household only while it is enrolled (active
  enrolment) in an experiment they are a member of;
- a ``gbd`` coordinator who is a member of an experiment sees its enrolled
  households too.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from coordination.access import register_household_rule
from households import audit
from households.actor import Actor
from households.errors import AccessDenied

__all__ = ["enrolled_in_own_experiment", "require_member", "refuse"]


def enrolled_in_own_experiment(session: Session, actor: Actor, household_id: int) -> bool:
    """True when the household is actively enrolled in an experiment the actor is a member of."""
    from experiments.models import Enrolment, ExperimentMember

    if actor.user_id is None:
        return False
    return bool(
        session.scalar(
            select(
                exists()
                .where(Enrolment.household_id == household_id, Enrolment.actief.is_(True))
                .where(ExperimentMember.experiment_id == Enrolment.experiment_id)
                .where(ExperimentMember.user_id == actor.user_id)
            )
        )
    )


register_household_rule("ervaringswerker", enrolled_in_own_experiment)
register_household_rule("gbd", enrolled_in_own_experiment)


def refuse(session: Session, actor: Actor, actie: str, object_type, object_id, message: str):
    """Audit a refusal (kept even though the unit of work is rolled back) and raise."""
    session.rollback()
    audit.record(session, actor, actie, object_type, object_id, resultaat="geweigerd")
    session.commit()
    raise AccessDenied(message)


def require_member(
    session: Session, actor: Actor, experiment_id: int, *roles: str, actie: str
) -> str | None:
    """Refuse (audited) unless the actor is a member of the experiment with one of ``roles``.

    The system actor always passes (returns None); otherwise returns the member role.
    """
    from experiments.models import ExperimentMember

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
        refuse(session, actor, actie, "experiment", experiment_id,
               "U bent geen (bevoegd) lid van dit experiment.")  # fmt: skip
    return rol
