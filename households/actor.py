"""The acting user, passed first to every service function."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user (or the system, for CLI jobs).

    ``user_id`` is None for the system actor (imports and reports from the CLI).
    """

    user_id: int | None
    naam: str
    rol: str

    @property
    def is_system(self) -> bool:
        """True for the command-line system actor (role ``systeem`` and no user id)."""
        return self.rol == "systeem" and self.user_id is None


SYSTEM = Actor(user_id=None, naam="systeem", rol="systeem")
