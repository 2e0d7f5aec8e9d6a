"""Consent for sharing a household's details with partner institutions (DESIGN 8.3).

A consent has a scope (which institutions), the day it was given, an expiry and can be
withdrawn; withdrawal ends partner visibility at once. :func:`consent_valid_sql` is the
one definition of "valid consent": not withdrawn, given on or before the day and not yet
expired, with the institution in its scope. A partner sees the name and address of a
referral's household only while it holds (:mod:`coordination.referrals`). The GBD-er with
access to the household records and withdraws it; every step is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from coordination.models import Consent, ConsentScope
from households import audit
from households.access import authorize, require_household_access, valid_id
from households.actor import Actor
from households.db import utcnow
from households.errors import Conflict, InvalidInput, NotFound
from households.models import Institution
from households.validation import clean_text

__all__ = [
    "ConsentRow", "consent_valid", "consent_valid_sql", "household_consents", "record_consent",
    "withdraw_consent",
]  # fmt: skip

MAX_YEARS = 2  # a consent is asked again at least every two years


def consent_valid_sql(household_id, institution_id, day: dt.date) -> ColumnElement[bool]:
    """SQL: the household has a valid consent covering the institution on ``day``."""
    return exists().where(
        Consent.household_id == household_id, Consent.ingetrokken_op.is_(None),
        Consent.gegeven_op <= day, Consent.geldig_tot >= day,
        ConsentScope.toestemming_id == Consent.id,
        ConsentScope.institution_id == institution_id,
    )  # fmt: skip


def consent_valid(session: Session, household_id: int, institution_id: int, day: dt.date) -> bool:
    """True when the household's consent covers ``institution_id`` on ``day``."""
    return bool(session.scalar(select(consent_valid_sql(household_id, institution_id, day))))


@dataclass(frozen=True)
class ConsentRow:
    """A consent as the household page shows it."""

    id: int
    instellingen: tuple[str, ...]
    gegeven_op: dt.date
    geldig_tot: dt.date
    ingetrokken_op: dt.date | None
    toelichting: str | None
    status: str  # geldig | verlopen | ingetrokken | nog niet geldig


def record_consent(
    session: Session,
    actor: Actor,
    household_id: int,
    instellingen: list[int],
    gegeven_op: dt.date,
    geldig_tot: dt.date,
    toelichting: str | None = None,
) -> int:
    """Record the household's consent for the given institutions (gbd with access; audited)."""
    authorize(session, actor, "toestemming_vastleggen")
    ids = sorted({i for i in (instellingen or []) if valid_id(i)})
    if not ids or len(ids) != len(set(instellingen or [])):
        raise InvalidInput("Kies voor welke instellingen de toestemming geldt.")
    known = set(session.scalars(select(Institution.id).where(Institution.id.in_(ids))))
    if known != set(ids):
        raise NotFound("Een gekozen instelling bestaat niet.")
    if not isinstance(gegeven_op, dt.date) or not isinstance(geldig_tot, dt.date):
        raise InvalidInput("Geef de datum van de toestemming en tot wanneer die geldt.")
    if gegeven_op > dt.date.today():
        raise InvalidInput("De toestemming kan niet in de toekomst gegeven zijn.")
    if geldig_tot < gegeven_op:
        raise InvalidInput("De toestemming verloopt vóór de dag waarop die is gegeven.")
    if (geldig_tot - gegeven_op).days > 366 * MAX_YEARS:
        raise InvalidInput(
            f"Een toestemming geldt hoogstens {MAX_YEARS} jaar; vraag die daarna opnieuw."
        )
    note = clean_text(toelichting or "", "De toelichting", 0, 1000) or None
    require_household_access(session, actor, household_id, audit.Event.TOESTEMMING_VASTLEGGEN)
    consent = Consent(household_id=household_id, gegeven_op=gegeven_op, geldig_tot=geldig_tot,
                      toelichting=note, vastgelegd_door=actor.user_id)  # fmt: skip
    session.add(consent)
    session.flush()
    session.add_all(ConsentScope(toestemming_id=consent.id, institution_id=i) for i in ids)
    session.flush()
    audit.record(session, actor, audit.Event.TOESTEMMING_VASTLEGGEN, "household", household_id,
                 nieuw={"toestemming": consent.id, "instellingen": ids,
                        "geldig_tot": geldig_tot.isoformat()})  # fmt: skip
    return consent.id


def withdraw_consent(session: Session, actor: Actor, consent_id: int) -> None:
    """Withdraw a consent now: partners in its scope lose the household's details at once."""
    authorize(session, actor, "toestemming_intrekken")
    if consent_id is None:
        raise InvalidInput("Kies de toestemming die de bewoner intrekt.")
    consent = session.get(Consent, consent_id) if valid_id(consent_id) else None
    if consent is None:
        raise NotFound("Toestemming niet gevonden.")
    require_household_access(session, actor, consent.household_id,
                             audit.Event.TOESTEMMING_INTREKKEN)  # fmt: skip
    if consent.ingetrokken_op is not None:
        raise Conflict("Deze toestemming is al ingetrokken.")
    consent.ingetrokken_op, consent.ingetrokken_door = utcnow(), actor.user_id
    session.flush()
    audit.record(session, actor, audit.Event.TOESTEMMING_INTREKKEN, "household",
                 consent.household_id, nieuw={"toestemming": consent.id})  # fmt: skip


def _status(c: Consent, today: dt.date) -> str:
    if c.ingetrokken_op is not None:
        return "ingetrokken"
    if c.gegeven_op > today:
        return "nog niet geldig"
    return "verlopen" if c.geldig_tot < today else "geldig"


def household_consents(
    session: Session, actor: Actor, household_id: int, today: dt.date | None = None
) -> list[ConsentRow]:
    """The household's consents, newest first (gbd with access; audited)."""
    authorize(session, actor, "toestemmingen_inzien")
    reason = require_household_access(session, actor, household_id,
                                      audit.Event.TOESTEMMINGEN_INZIEN)  # fmt: skip
    today = today or dt.date.today()
    consents = list(session.scalars(
        select(Consent).where(Consent.household_id == household_id)
        .order_by(Consent.gegeven_op.desc(), Consent.id.desc())))  # fmt: skip
    names: dict[int, list[str]] = {}
    if consents:
        for cid, naam in session.execute(
            select(ConsentScope.toestemming_id, Institution.naam)
            .join(Institution, Institution.id == ConsentScope.institution_id)
            .where(ConsentScope.toestemming_id.in_([c.id for c in consents]))
            .order_by(Institution.naam)
        ):  # fmt: skip
            names.setdefault(cid, []).append(naam)
    audit.record(session, actor, audit.Event.TOESTEMMINGEN_INZIEN, "household", household_id,
                 doel=reason)  # fmt: skip
    return [
        ConsentRow(c.id, tuple(names.get(c.id, ())), c.gegeven_op, c.geldig_tot,
                   c.ingetrokken_op.date() if c.ingetrokken_op else None, c.toelichting,
                   _status(c, today))
        for c in consents
    ]  # fmt: skip
