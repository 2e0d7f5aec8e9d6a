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
import re
from collections.abc import Callable

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from households import audit
from households.accounts import account_revoked
from households.actor import Actor
from households.bsn import is_valid_bsn
from households.errors import InvalidInput, NotFound
from households.models import USER_ROLES, Household, HouseholdOpening
from households.periods import regie_active_sql
from households.validation import clean_text

__all__ = [
    "require_role",
    "require_household_access",
    "may_see_household",
    "register_household_rule",
    "open_household",
]

NEVER_HOUSEHOLD = ("kiss", "beheer")
OPENING_PURPOSE_MIN, OPENING_PURPOSE_MAX = 5, 500

HouseholdRule = Callable[[Session, Actor, int], bool]
_RULES: dict[str, list[HouseholdRule]] = {}


def register_household_rule(role: str, rule: HouseholdRule) -> HouseholdRule:
    """Add a rule that can grant ``role`` access to a household (rules are OR-ed).

    ``kiss`` and ``beheer`` never see a household, so no rule can be registered
    for them (a :class:`ValueError`: that is a programming error, not user input).
    """
    if role in NEVER_HOUSEHOLD or role not in USER_ROLES:
        raise ValueError(f"no household rule can be registered for role {role!r}")
    rules = _RULES.setdefault(role, [])
    if rule not in rules:
        rules.append(rule)
    return rule


def _deny(session: Session, actor: Actor, actie: str, object_type, object_id, message: str):
    # A refusal ends the unit of work: discard anything half-done, keep the audit row.
    audit.refuse(session, actor, actie, object_type, object_id, message)


def require_role(session: Session, actor: Actor, *roles: str, actie: str = "toegang") -> None:
    """Refuse (audited) unless the actor has one of ``roles`` (the system actor always may)."""
    if actor.is_system or (actor.rol in roles and not account_revoked(session, actor)):
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
    # "Today" is the Dutch calendar day; openings are stored in naive UTC.
    try:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo("Europe/Amsterdam")
    except Exception:  # no tz database on this machine: UTC days
        tz = dt.UTC
    local_midnight = dt.datetime.now(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return local_midnight.astimezone(dt.UTC).replace(tzinfo=None)


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
                    regie_active_sql(Regie, dt.date.today()),
                )
            )
        )
    )


register_household_rule("voordeur", _voordeur_rule)
register_household_rule("gbd", _gbd_opened_rule)
register_household_rule("gbd", _gbd_regie_rule)


def _valid_id(value: object) -> bool:
    # Ids come from widgets and URLs: keep out-of-range numbers away from the database.
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def may_see_household(session: Session, actor: Actor, household_id: int) -> bool:
    """True when ``actor`` has need-to-know for this household (no audit row)."""
    if actor.is_system:
        return True
    if actor.user_id is None or actor.rol in NEVER_HOUSEHOLD or not _valid_id(household_id):
        return False
    if account_revoked(session, actor):
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

    Only ``voordeur`` and ``gbd`` open households; the purpose (5–500 characters)
    is required and the household must exist. Audited with the purpose.
    """
    require_role(session, actor, "voordeur", "gbd", actie="huishouden_openen")
    doel = clean_text(doel, "Het doel", OPENING_PURPOSE_MIN, OPENING_PURPOSE_MAX)
    if any(is_valid_bsn(m) for m in re.findall(r"\d{9}", doel.replace(".", "").replace(" ", ""))):
        raise InvalidInput("Noem geen BSN in het doel; beschrijf waarvoor u het huishouden opent.")
    if not _valid_id(household_id) or session.get(Household, household_id) is None:
        raise NotFound("Huishouden niet gevonden.")
    session.add(HouseholdOpening(user_id=actor.user_id, household_id=household_id, doel=doel))
    audit.record(session, actor, "huishouden_openen", "household", household_id, doel=doel)
