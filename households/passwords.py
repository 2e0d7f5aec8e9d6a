"""The password policy for every new password, after NIST SP 800-63B (section 5.1.1.2).

- Length: at least :data:`MIN_LENGTH` characters, at most :data:`MAX_LENGTH`; any characters
  except control characters; no composition rules (no "one capital, one digit").
- Refused: passwords on a list of common and breached passwords (the 30,000 most common
  passwords of the zxcvbn project, plus a Dutch and Brunssum-specific list shipped in
  ``households/reference/wachtwoorden_nl.txt``), also with digits or punctuation added at the
  end ("Welkom2026!"); the user name, or the user name with digits added; one character
  repeated.
- Compared after Unicode NFKC normalisation and in lower case.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from households.errors import InvalidInput

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "check_new_password", "is_common"]

MIN_LENGTH = 12
MAX_LENGTH = 1024
_LIST_NL = Path(__file__).with_name("reference") / "wachtwoorden_nl.txt"
_TAIL = re.compile(r"[\W\d_]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@lru_cache(maxsize=1)
def _blocklist() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    own = (
        line.strip().lower()
        for line in _LIST_NL.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(own)


def _forms(password: str) -> set[str]:
    low = unicodedata.normalize("NFKC", password).lower().strip()
    return {low, _TAIL.sub("", low), re.sub(r"^[\W\d_]+", "", _TAIL.sub("", low))} - {""}


def is_common(password: str) -> bool:
    """True for a common or breached password, also with digits or signs added at the end.

    >>> is_common("Welkom2026!"), is_common("password123"), is_common("Rode-fiets-bij-de-Egge")
    (True, True, False)
    """
    return bool(_forms(password) & _blocklist())


def check_new_password(password: object, user_name: str | None = None) -> str:
    """Return ``password`` when it meets the policy, else raise :class:`InvalidInput` (Dutch)."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise InvalidInput(f"Het wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn.")
    if len(password) > MAX_LENGTH or _CONTROL.search(password):
        raise InvalidInput(
            f"Het wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn, zonder stuurtekens."
        )
    if len(set(password)) == 1:
        raise InvalidInput("Het wachtwoord bestaat uit één teken dat zich herhaalt; kies een zin.")
    if user_name and user_name.lower() in _forms(password):
        raise InvalidInput("Het wachtwoord mag niet (bijna) gelijk zijn aan de gebruikersnaam.")
    if is_common(password):
        raise InvalidInput(
            "Dit wachtwoord staat op de lijst van veelgebruikte of gelekte wachtwoorden. "
            "Kies iets langers en eigens, bijvoorbeeld een zin van een paar woorden."
        )
    return password
