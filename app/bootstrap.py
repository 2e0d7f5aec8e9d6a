"""Wiring, in one place: which household access rules exist.

:func:`bootstrap` registers the household rules of every context with the access
core (:mod:`households.access`). ``app/main.py``, the CLI (``app.cli.main``) and
the test fixtures call it; importing a module never registers anything. Without
it nobody but the system actor sees a household (default deny).
"""

from __future__ import annotations

from experiments.access import wire_household_rules

__all__ = ["bootstrap"]


def bootstrap() -> None:
    """Register every context's household rules (idempotent: calling it twice changes nothing)."""
    wire_household_rules()
