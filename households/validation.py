"""Validation of free text from forms: one rule set for every service."""

from __future__ import annotations

import re

from households.bsn import is_valid_bsn
from households.errors import InvalidInput

__all__ = [
    "clean_text", "contains_bsn", "has_control_characters", "replace_control_characters",
]  # fmt: skip

# C0 control characters other than tab, newline and carriage return: PostgreSQL
# refuses NUL in text, and none of them belongs in a note a person typed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Nine digits, optionally grouped by a space, dot or dash (123456782, 1234.56.782, 123 456 782).
_NINE_DIGITS = re.compile(r"(?<![0-9])[0-9](?:[ .\-]?[0-9]){8}(?![0-9])")
BSN_IN_TEXT = (
    "{label} lijkt een BSN te bevatten; een BSN hoort nooit in vrije tekst. "
    "Laat het nummer weg (het huishouden is al gekoppeld)."
)


def contains_bsn(text: str) -> bool:
    """True when ``text`` holds a nine-digit number (in any grouping) that passes the elfproef.

    >>> contains_bsn("BSN 1112.22.333 gebeld"), contains_bsn("bel 045-5271234")
    (True, False)
    """
    return any(is_valid_bsn(re.sub(r"[ .\-]", "", m.group())) for m in _NINE_DIGITS.finditer(text))


def has_control_characters(text: str) -> bool:
    r"""True when ``text`` holds a control character other than tab or newline.

    >>> has_control_characters("regel 1\nregel 2"), has_control_characters("a\x00")
    (False, True)
    """
    return bool(_CONTROL.search(text))


def replace_control_characters(text: str, replacement: str = "\ufffd") -> str:
    r"""``text`` with every refused control character replaced (for rows that must be written).

    >>> replace_control_characters("a\x00b", "?")
    'a?b'
    """
    return _CONTROL.sub(replacement, text)


def clean_text(value: object, label: str, minimum: int = 1, maximum: int = 4000) -> str:
    """Trimmed text of ``minimum``..``maximum`` characters, or :class:`InvalidInput`.

    ``minimum=0`` makes the field optional (an empty string comes back).

    >>> clean_text("  Schuldhulp starten ", "Doel")
    'Schuldhulp starten'
    >>> clean_text("a\\x00b", "Doel")
    Traceback (most recent call last):
    households.errors.InvalidInput: Doel bevat ongeldige tekens.
    """
    text = value.strip() if isinstance(value, str) else ""
    if _CONTROL.search(text):
        raise InvalidInput(f"{label} bevat ongeldige tekens.")
    if len(text) < minimum:
        raise InvalidInput(f"{label} is verplicht (minstens {minimum} tekens).")
    if len(text) > maximum:
        raise InvalidInput(f"{label} is te lang (hoogstens {maximum} tekens).")
    if contains_bsn(text):
        raise InvalidInput(BSN_IN_TEXT.format(label=label))
    return text
