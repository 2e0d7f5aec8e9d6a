"""The search key of a person's name, so that front-door name search uses an index.

The key is the lower-cased name with its last word (the core of the surname)
first: "Jan de Vries" -> "vries jan de". A search for "vries", "de vries" or
"jan de vries" then becomes an indexed prefix range on the surname, narrowed by
the other words. The database compares the key bytewise (collation "C" on
PostgreSQL, binary on SQLite), so a prefix is a plain range.
"""

from __future__ import annotations

__all__ = ["name_key", "name_terms", "prefix_upper_bound"]


def name_key(naam: str | None) -> str | None:
    """Search key of a name: lower case, single spaces, last word first.

    >>> name_key("Jan  de Vries")
    'vries jan de'
    >>> name_key("  ") is None
    True
    """
    words = (naam or "").lower().split()
    if not words:
        return None
    return " ".join([words[-1], *words[:-1]])


def name_terms(term: str) -> tuple[str, list[str]]:
    """Split a search term into the surname prefix and the other words.

    >>> name_terms("de Vries")
    ('vries', ['de'])
    """
    words = term.lower().split()
    return words[-1], words[:-1]


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string that starts with ``prefix`` (bytewise).

    >>> prefix_upper_bound("vries")
    'vriet'
    """
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
