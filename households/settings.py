"""Every ``KISS_*`` environment variable, read in one place.

No other module of the product reads a ``KISS_*`` variable: they call the
functions here. Each function reads the environment when it is called (not at
import), so a test or a benchmark that sets a variable is seen at once.
:data:`VARIABLES` lists them all; ``tests/test_docs.py`` checks that each one is
in the README's configuration section.

>>> 'KISS_DATABASE_URL' in VARIABLES
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from households.errors import ConfigurationError

__all__ = [
    "VARIABLES",
    "DEFAULT_DATABASE_URL",
    "DEFAULT_KEY_FILE",
    "DEMO_PASSWORD_DEFAULT",
    "database_url",
    "migration_url",
    "wijken",
    "DEFAULT_WIJKEN",
    "secret_key_text",
    "key_file_path",
    "demo_password",
    "new_password",
    "backup_key_text",
    "backup_key_file_path",
    "point_at",
    "audit_sealer_on",
    "PoolSettings",
    "pool_settings",
    "figures_max_age",
    "facts_cache_bytes",
]

DEFAULT_DATABASE_URL = "sqlite:///kiss.db"
DEFAULT_KEY_FILE = "kiss.key"
DEMO_PASSWORD_DEFAULT = "demo-wachtwoord-2026"
BACKUP_KEY_FILE_NAME = "kiss-backup.key"

#: Every variable the product reads, with what it is for (English; the README says it in Dutch).
VARIABLES: dict[str, str] = {
    "KISS_DATABASE_URL": "SQLAlchemy URL of the database",
    "KISS_SECRET_KEY": "key of the BSN pseudonymisation (wins over the key file)",
    "KISS_KEY_FILE": "key file that `kiss init` creates when there is no KISS_SECRET_KEY",
    "KISS_DEMO_PASSWORD": "password of the demo accounts",
    "KISS_NEW_PASSWORD": "password for `kiss user` without a prompt (scripts)",
    "KISS_BACKUP_KEY": "key that encrypts `kiss backup` files (never the pseudonymisation key)",
    "KISS_AUDIT_SEALER": "`uit`: no audit sealer thread in this process (seal elsewhere)",
    "KISS_DB_POOL_SIZE": "connections each app process keeps open (default 5)",
    "KISS_DB_MAX_OVERFLOW": "extra connections a process may open at a peak (default 10)",
    "KISS_DB_POOL_TIMEOUT": "seconds a request waits for a free connection (default 10)",
    "KISS_DB_POOL_RECYCLE": "seconds after which a connection is replaced (default 1800)",
    "KISS_MIGRATION_URL": "URL of the schema owner; `kiss init` migrates with it (PostgreSQL)",
    "KISS_WIJKEN": "the municipality's wijken, comma-separated (default Brunssum's stadsdelen)",
    "KISS_CIJFERS_MAX_OUD": "seconds steering figures may lag behind writes while newer ones "
    "are computed (default 60; 0 = always wait for the newest)",
    "KISS_FEITEN_CACHE_MB": "megabytes of fact columns each app process keeps for stacking "
    "(default 1024; 0 = off)",
    "KISS_CHROMIUM": "the Chromium of `kiss bench --browsers` (default /usr/bin/chromium)",
}
DEFAULT_WIJKEN = ("Noord", "Oost", "Zuid", "West", "Centrum")


def _get(name: str) -> str | None:
    """The variable's value; unset and empty are the same (None)."""
    assert name in VARIABLES, name  # a new variable is added to VARIABLES (and the README)
    return os.environ.get(name) or None


def audit_sealer_on() -> bool:
    """Whether this process runs the background audit sealer (``KISS_AUDIT_SEALER`` not ``uit``)."""
    return (_get("KISS_AUDIT_SEALER") or "").lower() not in ("uit", "off", "0", "nee")


def database_url() -> str:
    """The database URL from ``KISS_DATABASE_URL`` (default: ``sqlite:///kiss.db``)."""
    return _get("KISS_DATABASE_URL") or DEFAULT_DATABASE_URL


def migration_url() -> str:
    """The schema owner's URL (``KISS_MIGRATION_URL``; default the app's own URL)."""
    return _get("KISS_MIGRATION_URL") or database_url()


def wijken() -> tuple[str, ...]:
    """The municipality's wijken (``KISS_WIJKEN``, comma-separated; default Brunssum's).

    >>> wijken()
    ('Noord', 'Oost', 'Zuid', 'West', 'Centrum')
    """
    raw = _get("KISS_WIJKEN")
    names = tuple(w.strip() for w in raw.split(",") if w.strip()) if raw else ()
    return names or DEFAULT_WIJKEN


def secret_key_text() -> str | None:
    """The pseudonymisation key from ``KISS_SECRET_KEY``, or None (then the key file counts)."""
    return _get("KISS_SECRET_KEY")


def key_file_path() -> Path:
    """Where the key file lives (``KISS_KEY_FILE`` or ``./kiss.key``)."""
    return Path(_get("KISS_KEY_FILE") or DEFAULT_KEY_FILE)


def demo_password() -> str:
    """Password of the demo accounts (``KISS_DEMO_PASSWORD``; demo data only)."""
    return _get("KISS_DEMO_PASSWORD") or DEMO_PASSWORD_DEFAULT


def new_password() -> str | None:
    """Password for ``kiss user`` from ``KISS_NEW_PASSWORD``; None means: ask for it."""
    return _get("KISS_NEW_PASSWORD")


def backup_key_text() -> str | None:
    """The backup key from ``KISS_BACKUP_KEY``, or None (then the backup key file counts)."""
    return _get("KISS_BACKUP_KEY")


def backup_key_file_path() -> Path:
    """The backup key file: ``kiss-backup.key`` beside the pseudonymisation key file.

    >>> backup_key_file_path().name
    'kiss-backup.key'
    """
    return key_file_path().with_name(BACKUP_KEY_FILE_NAME)


def point_at(name: str, value: str) -> None:
    """Set a variable for this process and the processes it starts (benchmarks, scratch data).

    >>> point_at("KISS_UNKNOWN_", "x")
    Traceback (most recent call last):
    ...
    ValueError: KISS_UNKNOWN_
    """
    if name not in VARIABLES:
        raise ValueError(name)
    os.environ[name] = value


@dataclass(frozen=True)
class PoolSettings:
    """The connection pool of one process (SQLAlchemy ``QueuePool``)."""

    size: int = 5
    max_overflow: int = 10
    timeout: float = 10.0
    recycle: int = 1800


def _number(name: str, default: float, minimum: float, cast=int):
    raw = _get(name)
    if raw is None:
        return default
    try:
        value = cast(raw)
    except ValueError:
        raise ConfigurationError(f"{name} moet een getal zijn (nu: {raw!r}).") from None
    if value < minimum:
        raise ConfigurationError(f"{name} moet minstens {minimum} zijn (nu: {raw}).")
    return value


def pool_settings() -> PoolSettings:
    """The pool per process from ``KISS_DB_POOL_SIZE``, ``KISS_DB_MAX_OVERFLOW``,
    ``KISS_DB_POOL_TIMEOUT`` and ``KISS_DB_POOL_RECYCLE``.

    Size it per process: every process has its own pool, so the database sees up to
    ``processes x (size + max_overflow)`` connections (keep that under PostgreSQL's
    ``max_connections``, minus a few for ``kiss`` commands and backups).

    >>> pool_settings().size
    5
    """
    d = PoolSettings()
    return PoolSettings(
        size=_number("KISS_DB_POOL_SIZE", d.size, 1),
        max_overflow=_number("KISS_DB_MAX_OVERFLOW", d.max_overflow, 0),
        timeout=_number("KISS_DB_POOL_TIMEOUT", d.timeout, 0.1, float),
        recycle=_number("KISS_DB_POOL_RECYCLE", d.recycle, 1),
    )


def chromium_path() -> str:
    """The Chromium `kiss bench --browsers` drives (``KISS_CHROMIUM``; Debian's by default)."""
    return _get("KISS_CHROMIUM") or "/usr/bin/chromium"


def figures_max_age() -> float:
    """Seconds steering figures may lag behind the data (``KISS_CIJFERS_MAX_OUD``, default 60).

    Only for figures that take long to compute, served with the time they were computed
    while newer ones are computed in the background (households/figurecache.py).

    >>> figures_max_age() >= 0
    True
    """
    return _number("KISS_CIJFERS_MAX_OUD", 60.0, 0.0, float)


def facts_cache_bytes() -> int:
    """Bytes of fact columns a process keeps for stacking (``KISS_FEITEN_CACHE_MB``, default
    1024; 0 = no cache; coordination/factcache.py).

    >>> facts_cache_bytes() >= 0
    True
    """
    return int(_number("KISS_FEITEN_CACHE_MB", 1024, 0, int)) * 1024 * 1024
