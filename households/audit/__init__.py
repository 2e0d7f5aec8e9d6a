"""The audit trail: one append-only, hash-chained row per read or change of household data.

The public entry is this package: ``from households import audit;
audit.record(session, actor, audit.Event.REGIE_INZIEN, ...)``.

- :mod:`households.audit.events`: :class:`Event`, every action the trail knows;
- :mod:`households.audit.writer`: :func:`record` / :func:`record_many` (no lock: the
  row is written in the caller's transaction and sealed into the chain afterwards);
- :mod:`households.audit.sealer`: :func:`seal`, the one sealer, and the app's thread;
- :mod:`households.audit.anchor`: anchors of the chain head (``kiss audit anchor``);
- :mod:`households.audit.verify`: :func:`verify_chain` (from the last anchor) and
  :func:`write_anchor`;
- :mod:`households.audit.log`: reading the trail (``beheer``: search, CSV). It is
  not re-exported here because it uses the access core, which itself writes
  audit rows; import it as ``from households.audit.log import search_events``.
"""

from households.audit.anchor import Anchor, AuditAnchor
from households.audit.events import RESULTS, Event
from households.audit.sealer import ChainBroken, seal, start_sealer
from households.audit.verify import ChainReport, verify_chain, write_anchor
from households.audit.writer import (
    GENESIS,
    IDS,
    AuditLock,
    access_refused,
    export_made,
    household_viewed,
    login_attempt,
    record,
    record_list,
    record_many,
)

__all__ = [
    "Event",
    "RESULTS",
    "record",
    "record_list",
    "record_many",
    "household_viewed",
    "export_made",
    "login_attempt",
    "access_refused",
    "verify_chain",
    "ChainReport",
    "GENESIS",
    "IDS",
    "AuditLock",
    "AuditAnchor",
    "Anchor",
    "ChainBroken",
    "seal",
    "start_sealer",
    "write_anchor",
]
