"""Reference tables for the synthetic Brunssum data set.

Everything here is fictitious but plausible: wijken and buurten of Brunssum,
street names, Dutch (and Parkstad-typical) names, the partner institutions
named in the ISD BOL policy and the K2 report, provision kinds per domain and
the calibration targets (CBS StatLine 85637NED, Heerlen H1 2023; K2 report on
the ISD BOL debtor file).
"""

from __future__ import annotations

__all__ = [
    "WIJKEN",
    "BUURTEN",
    "STREETS",
    "POSTCODE_NUMBER",
    "COMBINATION_COUNTS",
    "COMBINATION_REFERENCE_HOUSEHOLDS",
    "ISD_DEBTORS_PER_13500",
    "ISD_OUTSTANDING_PER_13500",
    "ISD_PRINCIPAL_PER_13500",
    "DEFAULT_HOUSEHOLDS",
    "INSTITUTIONS",
    "PROVISION_KINDS",
    "CREDITORS",
    "FIRST_NAMES",
    "SURNAMES",
    "INTAKE_STAFF",
]

DEFAULT_HOUSEHOLDS = 13_500  # roughly the number of households in Brunssum

# wijk -> (share of households, buurten). Only real Brunssum (GM0899) buurten. The five
# wijk names are the ones the experiments use ("Noord" and "Oost" are the proeftuinen,
# experiments/registry.py); the buurten sit in the stadsdeel they belong to:
# - Oost: Oude and Nieuwe Egge, Schuttersveld, Oeloven, Op gen Hoes and Kleikoelen (the
#   gemeente's stadsdeelvisie Brunssum-Zuid en -Oost, 2017; Weller: "de Oude Egge in
#   Brunssum-Oost"), Zuid: Langeberg, Rumpen and Bouwberg (same stadsdeelvisie; Rumpen and
#   Bouwberg are old buurtschappen), Noord: Kerkeveld and De Kling (the part of the buurtschap
#   that is Brunssum since 1982), West: Treebeek-Noord and Treebeek-Zuid (the former mining
#   colony, wholly Brunssum since 1982) and Brunssum-West; Centrum: the town centre.
# Shares follow the size of the stadsdelen roughly (Oost and Zuid are the large ones). The
# exact CBS buurtcodes (BU0899xxxx) are not reproduced: check CBS "Kerncijfers wijken en
# buurten" for GM0899 before matching real data on buurt.
WIJKEN: dict[str, tuple[float, tuple[str, ...]]] = {
    "Noord": (0.18, ("Kerkeveld", "Brunssum-Noord", "De Kling")),
    "Oost": (0.26, ("Egge", "Schuttersveld", "Oeloven", "Op gen Hoes", "Kleikoelen")),
    "Centrum": (0.14, ("Centrum",)),
    "Zuid": (0.22, ("Langeberg", "Rumpen", "Bouwberg")),
    "West": (0.20, ("Treebeek-Noord", "Treebeek-Zuid", "Brunssum-West")),
}
BUURTEN: frozenset[str] = frozenset(b for _, buurten in WIJKEN.values() for b in buurten)
"""Every buurt of the synthetic data set (all real Brunssum buurten)."""

# Postcode numbers 6441-6446 are Brunssum's; the split over the wijken is plausible, not exact.
POSTCODE_NUMBER = {"Centrum": 6441, "Noord": 6443, "Oost": 6444, "Zuid": 6442, "West": 6446}
POSTCODE_NUMBER_BUURT = {"Treebeek-Noord": 6445, "Treebeek-Zuid": 6445}

# buurt -> streets (street names found in or typical of the buurt; plausible, not a register)
STREETS: dict[str, tuple[str, ...]] = {
    "Kerkeveld": ("Kerkeveldweg", "Hoefstraat", "Pastoor Savelbergstraat", "Heidestraat"),
    "Brunssum-Noord": ("Noorderstraat", "Kennedylaan", "Beukenlaan", "Ganzenweide"),
    "De Kling": ("Klingstraat", "Grasbroek"),
    "Egge": ("Hofpoelstraat", "Bongardstraat", "Eggerweg", "Mijnwerkersstraat"),
    "Schuttersveld": ("Schuttersveldstraat", "Sportlaan", "Parkstraat", "Kastanjelaan"),
    "Oeloven": ("Oelovenweg", "Vijverweg", "Roodebeekstraat"),
    "Op gen Hoes": ("Op gen Hoes", "Molenweg", "Esdoornstraat"),
    "Kleikoelen": ("Kleikoelenstraat", "Rimburgerweg", "Wilgenstraat"),
    "Centrum": ("Akerstraat", "Kerkstraat", "Lindeplein", "Julianastraat", "Servatiusstraat"),
    "Langeberg": ("Langebergweg", "Prins Hendriklaan", "Emmaplein", "Eikenstraat"),
    "Rumpen": ("Rumpenerstraat", "Kloosterstraat", "Schachtstraat", "Dennenlaan"),
    "Bouwberg": ("Bouwbergstraat", "Hendrikweg"),
    "Treebeek-Noord": ("Treebeekstraat", "Kolenweg", "Gravenweg", "Irenestraat"),
    "Treebeek-Zuid": ("Emmaweg", "Mijnweg", "Veldstraat", "Bergstraat"),
    "Brunssum-West": ("Maastrichterstraat", "Raadhuisstraat", "Kampstraat", "Stationstraat"),
}

# CBS StatLine 85637NED (Heerlen, H1 2023): households by combination of
# provisions (Jeugdwet, Participatiewet via ISD, WMO). Key = sorted domain codes.
COMBINATION_COUNTS: dict[str, int] = {
    "JEUGD": 1_160,
    "ISD": 3_830,
    "WMO": 5_860,
    "ISD+JEUGD": 285,
    "JEUGD+WMO": 90,
    "ISD+WMO": 675,
    "ISD+JEUGD+WMO": 40,
}
COMBINATION_REFERENCE_HOUSEHOLDS = 47_000  # households in Heerlen (~11,940 with a provision)

# K2 report: end of 2024, 349 residents owe ISD BOL ~EUR 1.1 M of EUR 1.5 M principal.
ISD_DEBTORS_PER_13500 = 349
ISD_OUTSTANDING_PER_13500 = 1_100_000.0
ISD_PRINCIPAL_PER_13500 = 1_500_000.0

# (instelling_id, naam, type, contractvorm, essentieel)
INSTITUTIONS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("INST-001", "ISD BOL", "uitvoeringsorganisatie", "gemeenschappelijke regeling", True),
    ("INST-002", "Betere Buren Brunssum", "mensontwikkelbedrijf", "eigen organisatie", True),
    ("INST-003", "Mensontwikkelbedrijf Landgraaf", "mensontwikkelbedrijf", "samenwerking", False),
    ("INST-004", "WSP Parkstad", "werkgeversservicepunt", "gemeenschappelijke regeling", True),
    ("INST-005", "Mondriaan bemoeizorg", "bemoeizorg", "subsidie", True),
    ("INST-006", "Mondriaan GGZ", "ggz", "inkoop", True),
    ("INST-007", "Weller Wonen", "woningcorporatie", "prestatieafspraken", True),
    ("INST-008", "Politie Limburg", "politie", "geen", True),
    ("INST-009", "Impuls maatschappelijk werk", "maatschappelijk werk", "subsidie", True),
    (
        "INST-010",
        "Bondgenootschap Geletterdheid Parkstad",
        "taal en geletterdheid",
        "subsidie",
        False,
    ),
    ("INST-011", "Voedselbank Parkstad", "vrijwilligersorganisatie", "subsidie", False),
    ("INST-012", "Kredietbank Limburg", "schuldhulpverlening", "inkoop", True),
    ("INST-013", "Zuyderland Thuiszorg", "thuisondersteuning", "inkoop", False),
    ("INST-014", "Sevagram Thuis", "thuisondersteuning", "inkoop", False),
    ("INST-015", "Meander Thuiszorg", "thuisondersteuning", "inkoop", False),
    ("INST-016", "Hulpmiddelencentrum Zuid", "hulpmiddelenleverancier", "inkoop", False),
    ("INST-017", "Omnibuzz", "vervoer", "gemeenschappelijke regeling", False),
    ("INST-018", "Xonar Jeugdhulp", "jeugdhulpaanbieder", "inkoop", False),
    ("INST-019", "Mutsaersstichting", "jeugdhulpaanbieder", "inkoop", False),
    ("INST-020", "Mondriaan Jeugd", "jeugdhulpaanbieder", "inkoop", False),
    ("INST-021", "Rubicon Jeugdzorg", "jeugdhulpaanbieder", "inkoop", False),
    ("INST-022", "Jeugdbescherming Limburg", "gecertificeerde instelling", "inkoop", True),
    ("INST-023", "Veilig Thuis Limburg", "veilig thuis", "gemeenschappelijke regeling", True),
    ("INST-024", "Stichting Ambulante Begeleiding Parkstad", "begeleiding", "inkoop", False),
    ("INST-025", "Kindcentrum De Schakel", "onderwijs", "geen", False),
    ("INST-026", "Wonen Limburg", "woningcorporatie", "prestatieafspraken", False),
)

# domain -> ((soort, share, monthly cost range in euro, providers), ...)
PROVISION_KINDS: dict[str, tuple[tuple[str, float, tuple[int, int], tuple[str, ...]], ...]] = {
    "WMO": (
        (
            "huishoudelijke ondersteuning",
            0.36,
            (150, 650),
            (
                "Zuyderland Thuiszorg",
                "Sevagram Thuis",
                "Meander Thuiszorg",
                "Betere Buren Brunssum",
            ),
        ),
        (
            "begeleiding",
            0.20,
            (300, 1_800),
            (
                "Stichting Ambulante Begeleiding Parkstad",
                "Impuls maatschappelijk werk",
                "Mondriaan GGZ",
            ),
        ),
        ("hulpmiddel", 0.24, (20, 250), ("Hulpmiddelencentrum Zuid",)),
        ("woningaanpassing", 0.08, (40, 400), ("Weller Wonen", "Wonen Limburg")),
        ("vervoer", 0.12, (30, 180), ("Omnibuzz",)),
    ),
    "JEUGD": (
        (
            "ambulante jeugdhulp",
            0.58,
            (400, 2_500),
            ("Xonar Jeugdhulp", "Mutsaersstichting", "Rubicon Jeugdzorg"),
        ),
        ("jeugd-ggz", 0.26, (500, 3_000), ("Mondriaan Jeugd", "Mutsaersstichting")),
        ("jeugdhulp met verblijf", 0.09, (4_000, 12_000), ("Xonar Jeugdhulp", "Rubicon Jeugdzorg")),
        ("jeugdbescherming", 0.07, (800, 2_500), ("Jeugdbescherming Limburg",)),
    ),
    "ISD": (
        ("bijstand", 0.46, (900, 1_750), ("ISD BOL",)),
        ("IOAW", 0.03, (900, 1_600), ("ISD BOL",)),
        ("bijzondere bijstand", 0.14, (25, 300), ("ISD BOL",)),
        ("individuele inkomenstoeslag", 0.10, (25, 45), ("ISD BOL",)),
        ("minimaregelingen", 0.17, (10, 60), ("ISD BOL",)),
        ("schuldhulpverlening", 0.07, (80, 250), ("Kredietbank Limburg",)),
        ("loonkostensubsidie", 0.03, (500, 1_400), ("Betere Buren Brunssum", "WSP Parkstad")),
    ),
}

# (schuldeiser, share among non-ISD debts, principal median in euro)
CREDITORS: tuple[tuple[str, float, int], ...] = (
    ("Belastingdienst Toeslagen", 0.22, 2_400),
    ("VGZ zorgverzekeraar", 0.12, 900),  # the main insurer in Zuid-Limburg
    ("CZ zorgverzekeraar", 0.10, 850),
    ("Zilveren Kruis zorgverzekeraar", 0.06, 900),
    ("Weller Wonen", 0.14, 1_300),
    ("Essent energieleverancier", 0.12, 700),
    ("CJIB", 0.12, 450),
    ("WML waterbedrijf", 0.05, 250),
    ("Telecomprovider (incasso)", 0.07, 600),
)

FIRST_NAMES_MALE = (
    "Jan",
    "Piet",
    "Sjef",
    "Harrie",
    "Jo",
    "Wim",
    "Frans",
    "Ger",
    "Hub",
    "Jos",
    "Mark",
    "Kevin",
    "Dennis",
    "Tim",
    "Luuk",
    "Daan",
    "Sem",
    "Noah",
    "Thijs",
    "Bram",
    "Rik",
    "Mohammed",
    "Mehmet",
    "Tomasz",
    "Pawel",
    "Ahmed",
    "Stefan",
    "Rob",
    "Ton",
    "Roel",
)
FIRST_NAMES_FEMALE = (
    "Maria",
    "Anna",
    "Mia",
    "Truus",
    "Els",
    "Marij",
    "Ine",
    "Yvonne",
    "Sandra",
    "Linda",
    "Sanne",
    "Lotte",
    "Emma",
    "Julia",
    "Tess",
    "Sophie",
    "Fleur",
    "Noor",
    "Anouk",
    "Kim",
    "Fatima",
    "Ayse",
    "Agnieszka",
    "Katarzyna",
    "Nadia",
    "Petra",
    "Monique",
    "Bianca",
    "Chantal",
    "Ria",
)
FIRST_NAMES = FIRST_NAMES_MALE + FIRST_NAMES_FEMALE

SURNAMES = (
    "Janssen",
    "Jansen",
    "Smeets",
    "Hendriks",
    "Peters",
    "Willems",
    "Vincken",
    "Bemelmans",
    "Schepers",
    "Dassen",
    "Kleijnen",
    "Houben",
    "Coenen",
    "Ramakers",
    "Lemmens",
    "Custers",
    "Wetzels",
    "Bogaers",
    "Vos",
    "Claessen",
    "Pelzer",
    "Meertens",
    "Frijns",
    "Schreurs",
    "Brouns",
    "Gulikers",
    "Jacobs",
    "Huppertz",
    "Lataster",
    "Muijrers",
    "Kusters",
    "Bisschops",
    "de Jong",
    "van den Berg",
    "de Vries",
    "Bakker",
    "Visser",
    "Mulder",
    "van Dijk",
    "Dijkstra",
    "Nowak",
    "Kowalski",
    "Wisniewski",
    "Yilmaz",
    "Kaya",
    "El Amrani",
    "Boukhari",
    "Demir",
    "Palmen",
    "Quaedvlieg",
    "Reinartz",
    "Stassen",
    "Thewissen",
    "Vliegen",
    "Wolters",
    "Zelissen",
)

# Front door -> intake staff (fictitious).
INTAKE_STAFF: dict[str, tuple[str, ...]] = {
    "WMO": (
        "A. Janssen (Wmo-consulent)",
        "M. Smeets (Wmo-consulent)",
        "R. Kleijnen (Wmo-consulent)",
    ),
    "JEUGD": ("S. Houben (jeugdconsulent)", "L. Dassen (jeugdconsulent)"),
    "ISD": ("P. Coenen (ISD BOL)", "K. Ramakers (ISD BOL)", "T. Frijns (ISD BOL)"),
}
