"""Reference data of the iStandaarden (release 3.2) the hub needs, with their sources.

- Berichtcodes (Vektis COD002): WMO301 414, WMO305 418, WMO307 420; JW301 436, JW305 438,
  JW307 440.
- Productcategorieën: iWmo codelijst WMO020 and iJw codelijst JZ020 (release 3.2). Each is
  mapped to the hub's (domein, soort) of :data:`households.models.PROVISION_KINDS_BY_DOMAIN`;
  these are the defaults of the ``productcategorie`` reference table, which ``beheer``
  maintains (a municipality may map, say, Dagbesteding differently).
"""

from __future__ import annotations

__all__ = ["MESSAGES", "PRODUCT_CATEGORIES"]

# (standaard, bericht) -> (namespace, BerichtCode)
MESSAGES: dict[tuple[str, str], tuple[str, str]] = {
    ("iwmo", "301"): ("http://www.istandaarden.nl/iwmo/3_2/wmo301/schema", "414"),
    ("iwmo", "305"): ("http://www.istandaarden.nl/iwmo/3_2/wmo305/schema", "418"),
    ("iwmo", "307"): ("http://www.istandaarden.nl/iwmo/3_2/wmo307/schema", "420"),
    ("ijw", "301"): ("http://www.istandaarden.nl/ijw/3_2/jw301/schema", "436"),
    ("ijw", "305"): ("http://www.istandaarden.nl/ijw/3_2/jw305/schema", "438"),
    ("ijw", "307"): ("http://www.istandaarden.nl/ijw/3_2/jw307/schema", "440"),
}
BASE_NAMESPACES = {
    "iwmo": "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema",
    "ijw": "http://www.istandaarden.nl/ijw/3_2/basisschema/schema",
}

_WMO = "WMO"
_JEUGD = "JEUGD"
# (standaard, code, omschrijving volgens de codelijst, domein, soort in de hub)
PRODUCT_CATEGORIES: tuple[tuple[str, str, str, str, str], ...] = (
    ("iwmo", "01", "Hulp bij het huishouden", _WMO, "huishoudelijke ondersteuning"),
    ("iwmo", "02", "Begeleiding", _WMO, "begeleiding"),
    ("iwmo", "03", "Persoonlijke verzorging", _WMO, "begeleiding"),
    ("iwmo", "04", "Kortdurend verblijf", _WMO, "begeleiding"),
    ("iwmo", "05", "Woondiensten", _WMO, "woningaanpassing"),
    ("iwmo", "06", "Overige ondersteuning gericht op het individu of huishouden/gezin", _WMO,
     "begeleiding"),
    ("iwmo", "07", "Dagbesteding", _WMO, "begeleiding"),
    ("iwmo", "08", "Vervoerdiensten", _WMO, "vervoer"),
    ("iwmo", "09", "Overige groepsgerichte ondersteuning", _WMO, "begeleiding"),
    ("iwmo", "10", "Overige maatwerk arrangementen", _WMO, "begeleiding"),
    ("iwmo", "11", "Rolstoelen", _WMO, "hulpmiddel"),
    ("iwmo", "12", "Vervoervoorzieningen", _WMO, "vervoer"),
    ("iwmo", "13", "Woonvoorzieningen", _WMO, "woningaanpassing"),
    ("iwmo", "14", "Overige hulpmiddelen", _WMO, "hulpmiddel"),
    ("iwmo", "15", "Beschermd wonen", _WMO, "begeleiding"),
    ("iwmo", "16", "Opvang", _WMO, "begeleiding"),
    ("iwmo", "17", "Spoedopvang", _WMO, "begeleiding"),
    ("iwmo", "18", "Overige beschermd wonen en opvang", _WMO, "begeleiding"),
    ("ijw", "31", "Zonder verblijf: uitgevoerd door wijk- of buurtteam", _JEUGD,
     "ambulante jeugdhulp"),
    ("ijw", "32", "Zonder verblijf: ambulante jeugdhulp op locatie van de aanbieder", _JEUGD,
     "ambulante jeugdhulp"),
    ("ijw", "33", "Zonder verblijf: daghulp op locatie van de aanbieder", _JEUGD,
     "ambulante jeugdhulp"),
    ("ijw", "34", "Zonder verblijf: jeugdhulp in het netwerk van de jeugdige", _JEUGD,
     "ambulante jeugdhulp"),
    ("ijw", "35", "Met verblijf: pleegzorg", _JEUGD, "jeugdhulp met verblijf"),
    ("ijw", "36", "Met verblijf: gezinsgericht", _JEUGD, "jeugdhulp met verblijf"),
    ("ijw", "37", "Met verblijf: gesloten plaatsing", _JEUGD, "jeugdhulp met verblijf"),
    ("ijw", "38", "Met verblijf: overig residentieel", _JEUGD, "jeugdhulp met verblijf"),
    ("ijw", "40", "Persoonlijke verzorging", _JEUGD, "ambulante jeugdhulp"),
    ("ijw", "41", "Dagbehandeling", _JEUGD, "ambulante jeugdhulp"),
    ("ijw", "42", "Vervoerdiensten", _JEUGD, "ambulante jeugdhulp"),
    ("ijw", "43", "Jeugdhulp verblijf (incl. behandeling)", _JEUGD, "jeugdhulp met verblijf"),
    ("ijw", "44", "Jeugdhulp verblijf (excl. behandeling)", _JEUGD, "jeugdhulp met verblijf"),
    ("ijw", "45", "Jeugdhulp ambulant", _JEUGD, "ambulante jeugdhulp"),
    ("ijw", "46", "Jeugdhulp crisis", _JEUGD, "jeugdhulp met verblijf"),
    ("ijw", "47", "Jeugdreclassering", _JEUGD, "jeugdbescherming"),
    ("ijw", "48", "Jeugdbescherming", _JEUGD, "jeugdbescherming"),
    ("ijw", "49", "Activiteiten in het preventief justitieel kader", _JEUGD, "jeugdbescherming"),
    ("ijw", "50", "Maatwerkarrangementen jeugd", _JEUGD, "ambulante jeugdhulp"),
    ("ijw", "51", "Generalistische basis-ggz", _JEUGD, "jeugd-ggz"),
    ("ijw", "52", "Specialistische ggz", _JEUGD, "jeugd-ggz"),
    ("ijw", "53", "Kindergeneeskunde", _JEUGD, "ambulante jeugdhulp"),
    ("ijw", "54", "Jeugd-ggz", _JEUGD, "jeugd-ggz"),
    ("ijw", "55", "Landelijk ingekochte zorg", _JEUGD, "jeugdhulp met verblijf"),
)  # fmt: skip
