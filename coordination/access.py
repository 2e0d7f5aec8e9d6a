"""Need-to-know access, in one place. Default deny.

Every service that returns or changes household data calls
:func:`require_household_access` (or :func:`require_role`) first. A refusal is
audited and raised as :class:`~households.errors.AccessDenied`.

Who may see a household:

- ``voordeur``: households they opened (with a purpose) today;
- ``gbd``: households they opened with a recorded purpose, hold regie for, or
  that are on the agenda of a case table they sit at (rule registered by the
  case-table module);
- ``ervaringswerker``: households enrolled in their own experiments (rule
  registered by ``experiments``, which depends on this package, not vice versa);
- ``kiss``: never a household (aggregates only);
- ``beheer``: no household content.

Other contexts extend the rules with :func:`register_household_rule`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from households import audit
from households.actor import Actor
from households.errors import AccessDenied
from households.models import HouseholdOpening

__all__ = [
    "require_role",
    "require_household_access",
    "may_see_household",
    "register_household_rule",
    "open_household",
]

HouseholdRule = Callable[[Session, Actor, int], bool]
_RULES: dict[str, list[HouseholdRule]] = {}


def register_household_rule(role: str, rule: HouseholdRule) -> HouseholdRule:
    """Add a rule that can grant ``role`` access to a household (rules are OR-ed)."""
    rules = _RULES.setdefault(role, [])
    if rule not in rules:
        rules.append(rule)
    return rule


def _deny(session: Session, actor: Actor, actie: str, object_type, object_id, message: str):
    # A refusal ends the unit of work: discard anything half-done, keep the audit row.
    session.rollback()
    audit.record(session, actor, actie, object_type, object_id, resultaat="geweigerd")
    session.commit()
    raise AccessDenied(message)


def require_role(session: Session, actor: Actor, *roles: str, actie: str = "toegang") -> None:
    """Refuse (audited) unless the actor has one of ``roles`` (the system actor always may)."""
    if actor.is_system or actor.rol in roles:
        return
    _deny(session, actor, actie, None, None, "U heeft geen toegang tot deze functie.")


def _opened(session: Session, actor: Actor, household_id: int, since: dt.datetime | None) -> bool:
    cond = [
        HouseholdOpening.user_id == actor.user_id,
        HouseholdOpening.household_id == household_id,
    ]
    if since is not None:
        cond.append(HouseholdOpening.geopend_op >= since)
    return bool(session.scalar(select(exists().where(*cond))))


def _start_of_today_utc() -> dt.datetime:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _voordeur_rule(session: Session, actor: Actor, household_id: int) -> bool:
    return _opened(session, actor, household_id, _start_of_today_utc())


def _gbd_opened_rule(session: Session, actor: Actor, household_id: int) -> bool:
    return _opened(session, actor, household_id, None)


def _gbd_regie_rule(session: Session, actor: Actor, household_id: int) -> bool:
    from coordination.models import Regie

    return bool(
        session.scalar(
            select(
                exists().where(
                    Regie.household_id == household_id,
                    Regie.houder_user_id == actor.user_id,
                    Regie.actief.is_(True),
                )
            )
        )
    )


register_household_rule("voordeur", _voordeur_rule)
register_household_rule("gbd", _gbd_opened_rule)
register_household_rule("gbd", _gbd_regie_rule)


def may_see_household(session: Session, actor: Actor, household_id: int) -> bool:
    """True when ``actor`` has need-to-know for this household (no audit row)."""
    if actor.is_system:
        return True
    if actor.user_id is None:
        return False
    return any(rule(session, actor, household_id) for rule in _RULES.get(actor.rol, ()))


def require_household_access(
    session: Session, actor: Actor, household_id: int, actie: str = "huishouden_inzien"
) -> None:
    """Refuse (audited, :class:`AccessDenied`) unless ``actor`` may see the household."""
    if not may_see_household(session, actor, household_id):
        _deny(
            session, actor, actie, "household", household_id,
            "U heeft geen toegang tot dit huishouden (geen need-to-know).",
        )  # fmt: skip


def open_household(session: Session, actor: Actor, household_id: int, doel: str) -> None:
    """Record that ``actor`` opens a household for a stated purpose (front door, gbd).

    Only ``voordeur`` and ``gbd`` open households; the purpose is required.
    """
    require_role(session, actor, "voordeur", "gbd", actie="huishouden_openen")
    doel = (doel or "").strip()
    if len(doel) < 5:
        from households.errors import InvalidInput

        raise InvalidInput("Geef het doel op waarvoor u dit huishouden opent (minstens 5 tekens).")
    session.add(HouseholdOpening(user_id=actor.user_id, household_id=household_id, doel=doel))
    audit.record(session, actor, "huishouden_openen", "household", household_id, doel=doel)
