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
        """True for THE command-line system actor :data:`SYSTEM` only.

        Identity, not equality: an ``Actor(None, "systeem", "systeem")`` made by hand
        is an unknown user like any other (the access core refuses it).
        """
        return self is SYSTEM

    def __reduce__(self):
        # A pickled or copied SYSTEM stays the one SYSTEM (worker processes, deepcopy).
        if self is SYSTEM:
            return "SYSTEM"
        return (Actor, (self.user_id, self.naam, self.rol))


SYSTEM = Actor(user_id=None, naam="systeem", rol="systeem")
