"""Domain exceptions: their message is Dutch and is shown to the user as is."""

from __future__ import annotations


class KissError(Exception):
    """An error a user can cause; ``str(exc)`` is a Dutch message fit to show."""


class InvalidInput(KissError):
    """Input that breaks a rule of the domain or the interchange format."""


class NotFound(KissError):
    """The thing asked for does not exist (or is not visible to the caller)."""


class AccessDenied(KissError):
    """The acting user has no need-to-know for this data. Always audited."""


class Conflict(KissError):
    """A concurrent or conflicting change (e.g. someone else already holds regie)."""


class StorageFull(KissError):
    """The database's disk (or its size limit) is full; the unit of work was rolled back."""


class Busy(KissError):
    """No database connection came free in time (the pool is exhausted); nothing was written."""


class ConfigurationError(KissError, ValueError):
    """The installation is not set up for this (no key file, a setting that is no number)."""
