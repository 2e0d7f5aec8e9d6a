"""The one input normaliser and free-text guard: one rule set for every service and import.

- :func:`normalise_text`: Unicode NFKC (full-width digits are digits, ligatures are
  letters), so every later check sees what a person meant.
- Control characters (C0 except tab, newline and carriage return, DEL, C1) and the
  bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, and the marks
  U+200E, U+200F, U+061C) are refused: they hide or reorder what a reader sees, and
  PostgreSQL refuses NUL outright.
- :func:`contains_bsn`: a nine-digit number in any separator pattern
  (``445-598-177``, ``445/598/177``, ``4455_98177``, spaces, dots, full-width
  digits) that passes the elfproef. A BSN never belongs in free text.
- :func:`scrub_identifiers`: what the ``kiss`` role reads of a story has no numbers,
  dates (of birth) or phone numbers left.
"""

from __future__ import annotations

import re
import unicodedata

from households.bsn import is_valid_bsn
from households.errors import InvalidInput

__all__ = [
    "BSN_IN_TEXT", "INVALID_CHARACTERS", "clean_text", "check_characters", "contains_bsn",
    "has_control_characters", "normalise_text", "replace_control_characters",
    "scrub_identifiers",
]  # fmt: skip

# C0 control characters other than tab, newline and carriage return, DEL and C1; the
# bidirectional embeddings, overrides, isolates and marks.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
INVALID_CHARACTERS = "bevat ongeldige tekens (stuur- of richtingstekens)"

# Nine digits with anything but a letter, digit or line break between them (at most three
# characters each): 123456782, 1234.56.782, 445-598-177, 445/598/177, 4455_98177.
_SEP = r"(?:[^\w\n]|_){0,3}"
_NINE_DIGITS = re.compile(rf"(?<![0-9])[0-9](?:{_SEP}[0-9]){{8}}(?![0-9])")
_NOT_DIGIT = re.compile(r"[^0-9]")
BSN_IN_TEXT = (
    "{label} lijkt een BSN te bevatten; een BSN hoort nooit in vrije tekst. "
    "Laat het nummer weg (het huishouden is al gekoppeld)."
)


def normalise_text(text: str) -> str:
    """``text`` in Unicode NFKC (full-width digits become ASCII digits).

    >>> normalise_text("１２３４５６７８２")
    '123456782'
    """
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def contains_bsn(text: str) -> bool:
    """True when ``text`` holds a nine-digit number (any separators) that passes the elfproef.

    >>> contains_bsn("BSN 445-598-177"), contains_bsn("4455_98177"), contains_bsn("bel 045-5271234")
    (True, True, False)
    """
    text = normalise_text(text)
    return any(is_valid_bsn(_NOT_DIGIT.sub("", m.group())) for m in _NINE_DIGITS.finditer(text))


def has_control_characters(text: str) -> bool:
    r"""True when ``text`` holds a refused control or bidi character (tab and newline are fine).

    >>> has_control_characters("regel 1\nregel 2"), has_control_characters("a\u202eb")
    (False, True)
    """
    return bool(_CONTROL.search(text))


def replace_control_characters(text: str, replacement: str = "\ufffd") -> str:
    r"""``text`` with every refused character replaced (for rows that must be written).

    >>> replace_control_characters("a\x00b", "?")
    'a?b'
    """
    return _CONTROL.sub(replacement, text)


def check_characters(text: str, label: str) -> str:
    r"""``text`` in NFKC, or :class:`InvalidInput` when it holds a control or bidi character.

    >>> check_characters("Ｎoord", "De wijk")
    'Noord'
    """
    text = normalise_text(text)
    if _CONTROL.search(text):
        raise InvalidInput(f"{label} {INVALID_CHARACTERS}.")
    return text


def clean_text(value: object, label: str, minimum: int = 1, maximum: int = 4000) -> str:
    """Trimmed NFKC text of ``minimum``..``maximum`` characters, or :class:`InvalidInput`.

    ``minimum=0`` makes the field optional (an empty string comes back). Control and
    bidi characters and a BSN (any separators) are refused.

    >>> clean_text("  Schuldhulp starten ", "Doel")
    'Schuldhulp starten'
    >>> clean_text("a\\x00b", "Doel")
    Traceback (most recent call last):
    households.errors.InvalidInput: Doel bevat ongeldige tekens (stuur- of richtingstekens).
    """
    text = check_characters(value, label).strip() if isinstance(value, str) else ""
    if len(text) < minimum:
        raise InvalidInput(f"{label} is verplicht (minstens {minimum} tekens).")
    if len(text) > maximum:
        raise InvalidInput(f"{label} is te lang (hoogstens {maximum} tekens).")
    if contains_bsn(text):
        raise InvalidInput(BSN_IN_TEXT.format(label=label))
    return text


_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATE = re.compile(
    r"(?<![0-9])(?:[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
    r"|[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?:[0-9]{4}|[0-9]{2})"
    rf"|[0-9]{{1,2}}\s+(?:{_MONTHS})\.?\s+[0-9]{{2,4}})(?![0-9])",
    re.IGNORECASE,
)
# A number of five or more digits, in any grouping (a BSN, a phone or account number).
_LONG_NUMBER = re.compile(r"\+?(?<![0-9])[0-9](?:[ ./_\-]{0,2}[0-9]){4,}(?![0-9])")


def scrub_identifiers(text: str) -> str:
    """``text`` without dates (of birth), phone numbers, BSNs or other long numbers.

    The one scrub for every story a reader without need-to-know sees (the ``kiss``
    role: evaluation report, lessons).

    >>> scrub_identifiers("BSN 445 598 177, geb. 14-02-1984, tel 06 1234 5678; 3 kinderen")
    'BSN [nummer], geb. [datum], tel [nummer]; 3 kinderen'
    """
    out = _DATE.sub("[datum]", normalise_text(text))
    return _LONG_NUMBER.sub("[nummer]", out)
