"""Household access rules of the coordination context, and opening a household.

The access core (roles, the revoked-account check, ``refuse``, the rule
registry, :data:`~households.access.PERMISSIONS`) is :mod:`households.access`.
This module holds the rules that grant a role access to a household; they are
registered by ``app.bootstrap.bootstrap()`` (never by importing this module).
Each returns the reason access is granted, written as the ``doel`` of a read:

- ``voordeur``: households they opened (with a purpose) today -> that purpose;
- ``gbd``: households they opened with a recorded purpose within the period ``beheer``
  sets (default 30 days, :mod:`households.opening_period`) -> the latest purpose;
  households they hold regie for -> ``regiehouder``; households on the agenda of
  a case table they sit at -> ``casustafel <naam>``;
- ``ervaringswerker`` (and ``gbd``): households enrolled in their own experiments
  (:mod:`experiments.access`);
- ``kiss``: never a household (aggregates only); ``beheer``: no household content.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from coordination.models import AgendaItem, CaseTable, CaseTableMember, Regie
from households import audit
from households.access import HouseholdRule, authorize, valid_id
from households.actor import Actor
from households.db import transaction_memo
from households.errors import NotFound
from households.models import Household, HouseholdOpening
from households.opening_period import opening_valid_since, start_of_local_day_utc, today_local
from households.periods import regie_active_sql
from households.validation import clean_text

__all__ = [
    "HOUSEHOLD_RULES", "open_household", "OPENING_PURPOSE_MIN", "OPENING_PURPOSE_MAX",
    "regie_reason", "table_reason",
]  # fmt: skip

OPENING_PURPOSE_MIN, OPENING_PURPOSE_MAX = 5, 500
_OPENED = "geopend"  # households.db.transaction_memo: (user, household, since) -> purpose


def _opened(
    session: Session, actor: Actor, household_id: int, since: dt.datetime | None
) -> str | None:
    # The purpose of the actor's latest opening of the household (since ``since``); read
    # once per transaction (the page's access check and its reasons ask alike), dropped by
    # open_household.
    memo = transaction_memo(session).setdefault(_OPENED, {})
    key = (actor.user_id, household_id, since)
    if key in memo:
        return memo[key]
    stmt = select(HouseholdOpening.doel).where(
        HouseholdOpening.user_id == actor.user_id,
        HouseholdOpening.household_id == household_id,
    )
    if since is not None:
        stmt = stmt.where(HouseholdOpening.geopend_op >= since)
    order = (HouseholdOpening.geopend_op.desc(), HouseholdOpening.id.desc())
    memo[key] = session.scalar(stmt.order_by(*order).limit(1))
    return memo[key]


def _start_of_today_utc() -> dt.datetime:
    # "Today" is the Dutch calendar day; openings are stored in naive UTC.
    return start_of_local_day_utc(today_local())


def _voordeur_rule(session: Session, actor: Actor, household_id: int) -> str | None:
    return _opened(session, actor, household_id, _start_of_today_utc())


def _gbd_opened_rule(session: Session, actor: Actor, household_id: int) -> str | None:
    # An opening gives access for the period beheer sets; regie or a table have their own rule.
    return _opened(session, actor, household_id, opening_valid_since(session))


def regie_reason(session: Session, actor: Actor, household_id: int) -> str | None:
    """Household rule (gbd): an active regie held by the actor -> ``regiehouder``."""
    holds = session.scalar(
        select(
            exists().where(
                Regie.household_id == household_id,
                Regie.houder_user_id == actor.user_id,
                regie_active_sql(Regie, dt.date.today()),
            )
        )
    )
    return "regiehouder" if holds else None


def table_reason(session: Session, actor: Actor, household_id: int) -> str | None:
    """Household rule (gbd): on the agenda of a table the actor sits at -> ``casustafel <naam>``."""
    naam = session.scalar(
        select(CaseTable.naam)
        .join(AgendaItem, AgendaItem.case_table_id == CaseTable.id)
        .join(CaseTableMember, CaseTableMember.case_table_id == CaseTable.id)
        .where(AgendaItem.household_id == household_id, CaseTableMember.user_id == actor.user_id)
        .order_by(CaseTable.id)
        .limit(1)
    )
    return None if naam is None else f"casustafel {naam}"


# The ground each rule gives (coordination/disclosure.py: what of the household is shown).
_voordeur_rule.grond = _gbd_opened_rule.grond = "doel"  # type: ignore[attr-defined]
regie_reason.grond = "regie"  # type: ignore[attr-defined]
table_reason.grond = "tafel"  # type: ignore[attr-defined]

HOUSEHOLD_RULES: tuple[tuple[str, HouseholdRule], ...] = (
    ("voordeur", _voordeur_rule),
    ("gbd", _gbd_opened_rule),
    ("gbd", regie_reason),
    ("gbd", table_reason),
)
"""(role, rule) pairs that ``app.bootstrap.bootstrap()`` registers, in this order."""


def open_household(session: Session, actor: Actor, household_id: int, doel: str) -> None:
    """Record that ``actor`` opens a household for a stated purpose (front door, gbd).

    Only ``voordeur`` and ``gbd`` open households; the purpose (5–500 characters)
    is required and the household must exist. Audited with the purpose.
    """
    authorize(session, actor, "huishouden_openen")
    doel = clean_text(doel, "Het doel", OPENING_PURPOSE_MIN, OPENING_PURPOSE_MAX)
    if not valid_id(household_id) or session.get(Household, household_id) is None:
        raise NotFound("Huishouden niet gevonden.")
    session.add(HouseholdOpening(user_id=actor.user_id, household_id=household_id, doel=doel))
    transaction_memo(session).pop(_OPENED, None)
    audit.record(
        session, actor, audit.Event.HUISHOUDEN_OPENEN, "household", household_id, doel=doel
    )
