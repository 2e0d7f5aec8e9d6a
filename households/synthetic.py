"""Whether the demo generator made the data: the one test every screen and report uses.

``kiss demo`` records an audit row (``demogegevens_geladen``) before it seeds anything;
the audit trail is append-only, so once generated data were loaded the database says so
for good. The page frame shows :data:`BANNER` on every page while this holds.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from households import audit
from households.actor import SYSTEM, Actor
from households.models import AuditEvent

__all__ = ["BANNER", "is_synthetic", "mark_synthetic"]

BANNER = (
    "Demogegevens — synthetisch. Alle huishoudens, personen en cijfers komen uit de "
    "demogenerator. Ingebouwde effecten (zoals de snellere centrale voordeur en de "
    "uitkomsten van de experimenten) zijn gesimuleerd en geen bewijs."
)


def mark_synthetic(session: Session, seed: int, actor: Actor = SYSTEM) -> None:
    """Record that the demo generator made the data (``seed``: the generator's seed)."""
    audit.record(session, actor, audit.Event.DEMOGEGEVENS_GELADEN, "demo", str(seed))


def is_synthetic(session: Session) -> bool:
    """True when the demo generator made (some of) the data (an indexed one-row lookup)."""
    found = session.scalar(
        select(AuditEvent.id).where(AuditEvent.actie == audit.Event.DEMOGEGEVENS_GELADEN.value)
        .limit(1)
    )  # fmt: skip
    return found is not None
