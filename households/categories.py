"""Data categories (DESIGN 8.1): every stored fact belongs to exactly one.

The one home of the classification. Retention (``experiments.retention``), the
"who sees what" matrix (``coordination.disclosure``), inzage and the README use these
functions; nothing else decides a category.

- ``basis``: the household, its persons and address, the involvement of a general
  institution (maatschappelijk werk, bemoeizorg);
- ``wmo``, ``jeugd``, ``participatie``, ``minima``: provisions and help requests by domain;
- ``jeugdbescherming``: a jeugdbescherming measure or a gecertificeerde instelling;
- ``schulden``: debts, arrears signals, schuldhulpverlening;
- ``veiligheid``: politie, huiselijk geweld, Veilig Thuis, an acute safety log;
- ``overlast``: overlast, verward gedrag, woningvervuiling;
- ``isd_boete``: a fine (boete) of the ISD BOL (a fraud sanction, not an ordinary debt);
- ``stabiliteit``: the ervaringswerker's logbook; ``plan``: regie and the household plan.
"""

from __future__ import annotations

__all__ = [
    "CATEGORIES", "CATEGORY_LABELS", "category_of_debt", "category_of_involvement",
    "category_of_provision", "category_of_request", "category_of_signal", "known_at",
]  # fmt: skip

CATEGORIES: tuple[str, ...] = (
    "basis", "wmo", "jeugd", "jeugdbescherming", "participatie", "minima", "schulden",
    "veiligheid", "overlast", "isd_boete", "stabiliteit", "plan",
)  # fmt: skip

#: category -> (where it is known, the team to contact): the "bekend bij" line (DESIGN 8.2).
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "basis": ("Basisregistratie", "team KISS"),
    "wmo": ("Wmo", "team Wmo"),
    "jeugd": ("Jeugd", "team Jeugd"),
    "jeugdbescherming": ("Jeugdbescherming", "team Jeugd"),
    "participatie": ("ISD BOL (Participatiewet)", "team Werk en Inkomen ISD BOL"),
    "minima": ("ISD BOL (minimaregelingen)", "team Werk en Inkomen ISD BOL"),
    "schulden": ("Schuldhulpverlening", "team Schuldhulp"),
    "veiligheid": ("Zorg en Veiligheid (politie, Veilig Thuis)", "team Zorg en Veiligheid"),
    "overlast": ("Zorg en Veiligheid (overlast)", "team Zorg en Veiligheid"),
    "isd_boete": ("ISD BOL (handhaving)", "team Handhaving ISD BOL"),
    "stabiliteit": ("Proeftuin (ervaringswerker)", "de regiehouder"),
    "plan": ("Regie (gecoördineerde aanpak)", "de regiehouder"),
}

_MINIMA = {"bijzondere bijstand", "individuele inkomenstoeslag", "minimaregelingen"}
_NUISANCE = {"overlast", "verward_gedrag", "woningvervuiling"}
_SAFETY = {"politie", "huiselijk_geweld", "veilig_thuis", "veiligheid_logboek"}
_REQUEST = {"WMO": "wmo", "JEUGD": "jeugd", "ISD": "participatie"}
# institution type (data/reference.py) -> category of an involvement
_INSTITUTION_TYPE = {
    "politie": "veiligheid", "veilig thuis": "veiligheid",
    "gecertificeerde instelling": "jeugdbescherming", "jeugdhulpaanbieder": "jeugd",
    "schuldhulpverlening": "schulden", "woningcorporatie": "schulden",
    "mensontwikkelbedrijf": "participatie", "werkgeversservicepunt": "participatie",
    "taal en geletterdheid": "participatie", "vrijwilligersorganisatie": "minima",
    "uitvoeringsorganisatie": "participatie", "thuisondersteuning": "wmo",
    "hulpmiddelenleverancier": "wmo", "vervoer": "wmo", "begeleiding": "wmo", "ggz": "wmo",
    "onderwijs": "jeugd",
}  # fmt: skip
_INVOLVEMENT = {"politiecontact": "veiligheid", "huurachterstandsgesprek": "schulden",
                "voedselpakket": "minima"}  # fmt: skip


def category_of_provision(domein: str, soort: str) -> str:
    """The category of a provision.

    >>> category_of_provision("JEUGD", "jeugdbescherming"), category_of_provision("ISD", "minimaregelingen")
    ('jeugdbescherming', 'minima')
    >>> category_of_provision("ISD", "schuldhulpverlening"), category_of_provision("WMO", "vervoer")
    ('schulden', 'wmo')
    """  # noqa: E501
    if domein == "WMO":
        return "wmo"
    if domein == "JEUGD":
        return "jeugdbescherming" if soort == "jeugdbescherming" else "jeugd"
    if soort == "schuldhulpverlening":
        return "schulden"
    return "minima" if soort in _MINIMA else "participatie"


def category_of_signal(soort: str) -> str:
    """The category of a signal (melding).

    >>> [category_of_signal(s) for s in ("veilig_thuis", "huurachterstand", "school", "overlast")]
    ['veiligheid', 'schulden', 'jeugd', 'overlast']
    """
    if soort in _SAFETY:
        return "veiligheid"
    if soort in _NUISANCE:
        return "overlast"
    return "jeugd" if soort == "school" else "schulden"


def category_of_debt(schuldeiser: str) -> str:
    """The category of a debt: a fine of the ISD is ``isd_boete``, every other debt ``schulden``.

    >>> category_of_debt("ISD BOL boete"), category_of_debt("ISD BOL terugvordering")
    ('isd_boete', 'schulden')
    """
    words = (schuldeiser or "").lower()
    return "isd_boete" if "isd" in words and "boete" in words else "schulden"


def category_of_request(domein: str) -> str:
    """The category of a help request (by its domain; not yet known: ``basis``).

    >>> category_of_request("JEUGD"), category_of_request("ONBEKEND")
    ('jeugd', 'basis')
    """
    return _REQUEST.get(domein, "basis")


def category_of_involvement(soort: str, institution_type: str | None) -> str:
    """The category of an involvement without a provision (by its kind, else the institution).

    >>> category_of_involvement("politiecontact", "politie"), category_of_involvement("x", None)
    ('veiligheid', 'basis')
    >>> category_of_involvement("onderzoek", "gecertificeerde instelling")
    'jeugdbescherming'
    """
    if soort in _INVOLVEMENT:
        return _INVOLVEMENT[soort]
    return _INSTITUTION_TYPE.get((institution_type or "").lower(), "basis")


def known_at(category: str) -> str:
    """The "bekend bij" line for a category whose content is not shown (DESIGN 8.2).

    >>> known_at("jeugdbescherming")
    'bekend bij Jeugdbescherming — contact: team Jeugd'
    """
    where, contact = CATEGORY_LABELS[category]
    return f"bekend bij {where} — contact: {contact}"
