"""BSN handling: the elfproef and the keyed hash. A BSN is never stored in clear.

The key comes from ``KISS_SECRET_KEY`` or from a key file (``KISS_KEY_FILE``,
default ``kiss.key`` in the working directory) that ``kiss init`` creates.
The key lives outside the database, so a copy of the database alone cannot be
joined back to BSNs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from functools import lru_cache
from pathlib import Path

from households import settings
from households.errors import ConfigurationError

__all__ = ["is_valid_bsn", "hash_bsn", "secret_key", "ensure_key_file", "normalise_bsn"]


def normalise_bsn(value: str) -> str:
    """NFKC (full-width digits are digits), strip whitespace and dots; left-pad 8 digits.

    >>> normalise_bsn(" 11.12.22.333 ")
    '111222333'
    >>> normalise_bsn("12345672")
    '012345672'
    >>> normalise_bsn("１２３４５６７８２")
    '123456782'
    """
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    digits = value.strip().replace(".", "").replace(" ", "")
    if digits.isdigit() and len(digits) == 8:
        digits = "0" + digits
    return digits


def is_valid_bsn(value: str) -> bool:
    """True when ``value`` is 9 digits passing the elfproef (11-check).

    >>> is_valid_bsn("111222333")
    True
    >>> is_valid_bsn("111222334")
    False
    >>> is_valid_bsn("000000000")
    False
    """
    if len(value) != 9 or not (value.isascii() and value.isdigit()) or value == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(value[:8], range(9, 1, -1), strict=True))
    total -= int(value[8])
    return total % 11 == 0


def ensure_key_file() -> Path | None:
    """Create a random key file when no key is configured; return its path (or None)."""
    if settings.secret_key_text():
        return None
    path = settings.key_file_path()
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    secret_key.cache_clear()
    return path


@lru_cache(maxsize=4)
def _key_for(env_key: str | None, path: str) -> bytes:
    if env_key:
        return env_key.encode()
    p = Path(path)
    if not p.exists():
        raise ConfigurationError(
            f"Geen sleutel voor BSN-pseudonimisering ({path} bestaat niet): zet "
            "KISS_SECRET_KEY of KISS_KEY_FILE, of voer 'kiss init' uit."
        )
    return p.read_text().strip().encode()


def secret_key() -> bytes:
    """The pseudonymisation key (from the environment or the key file)."""
    return _key_for(settings.secret_key_text(), str(settings.key_file_path()))


secret_key.cache_clear = _key_for.cache_clear  # type: ignore[attr-defined]


def hash_bsn(bsn: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 of a (normalised) BSN, hex; the only form a BSN is stored in.

    >>> len(hash_bsn("111222333", key=b"k"))
    64
    >>> hash_bsn("111222333", key=b"k") == hash_bsn("111222333", key=b"other")
    False
    """
    return hmac.new(key or secret_key(), normalise_bsn(bsn).encode(), hashlib.sha256).hexdigest()
