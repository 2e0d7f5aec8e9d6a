"""Demo data for the lawful basis (DESIGN 8.3), seeded last by ``kiss demo``.

- every household with a referral gets a consent for sharing with the institutions it is
  referred to (given 30 days ago, valid for a year), so partners see name and address;
- a help request at the one front door (voordeur KISS) records that the resident was told
  on the day of the request that the domains are combined (the basis of the household view).

Idempotent: a household that already has a consent is skipped.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coordination.consent import record_consent
from coordination.loopmodels import Referral
from coordination.models import Consent
from households.actor import SYSTEM
from households.models import HelpRequest

__all__ = ["seed_lawful"]


def seed_lawful(session: Session, today: dt.date | None = None) -> dict[str, int]:
    """Record the demo consents and bases; returns the counts."""
    today = today or dt.date.today()
    scopes: dict[int, set[int]] = {}
    for hid, inst in session.execute(select(Referral.household_id, Referral.institution_id)):
        scopes.setdefault(hid, set()).add(inst)
    done = set(session.scalars(select(Consent.household_id)))
    n = 0
    for hid, insts in sorted(scopes.items()):
        if hid not in done:
            record_consent(session, SYSTEM, hid, sorted(insts), today - dt.timedelta(days=30),
                           today + dt.timedelta(days=365),
                           "Toestemming gevraagd bij het opstellen van het plan.")  # fmt: skip
            n += 1
    told = session.execute(
        update(HelpRequest)
        .where(HelpRequest.voordeur == "KISS", HelpRequest.bewoner_geinformeerd_op.is_(None))
        .values(bewoner_geinformeerd_op=HelpRequest.ontvangen_op)
    ).rowcount
    return {"toestemmingen": n, "grondslag hulpvraag": told or 0}
