"""Default retention periods per data category (DESIGN 8.1, 8.4), with their source.

Years after the end of a fact (a provision's end, a signal's closing, a decision, a log
entry). These are the defaults of the ``bewaartermijn`` reference table; the gemeente's
archivist sets the final periods (Archiefwet, the gemeente's selectielijst). Where no law
fixes a period the source says so: that default is the project's proposal, to be confirmed.
"""

from __future__ import annotations

__all__ = ["RETENTION_DEFAULTS"]

# categorie -> (jaren, bron)
RETENTION_DEFAULTS: dict[str, tuple[int, str]] = {
    "basis": (2, "voorstel project: 2 jaar nadat er niets anders meer over het huishouden is"),
    "wmo": (15, "Selectielijst gemeenten, resultaat ondersteuningsplan Wmo: 15 jaar"),
    "jeugd": (20, "Jeugdwet art. 7.3.8: 20 jaar na de laatste jeugdhulp"),
    "jeugdbescherming": (20, "Jeugdwet art. 7.3.8 (minimaal); bij OTS/voogdij langer, "
                             "tot 30 jaar na meerderjarigheid (rijksoverheid.nl)"),
    "participatie": (7, "voorstel project: 7 jaar (fiscale bewaarplicht); bevestigen met de "
                        "archivaris van de ISD"),
    "minima": (7, "voorstel project: 7 jaar (fiscale bewaarplicht)"),
    "schulden": (5, "voorstel project: 5 jaar na afsluiting schuldhulp; bevestigen met de "
                    "archivaris"),
    "veiligheid": (5, "voorstel project: 5 jaar na afsluiting; Veilig Thuis bewaart zelf "
                      "langer (Jeugdwet)"),
    "overlast": (2, "voorstel project: 2 jaar na afsluiting"),
    "isd_boete": (7, "voorstel project: 7 jaar"),
    "stabiliteit": (5, "voorstel project: 5 jaar na het logboekmoment (looptijd experimenten)"),
    "plan": (15, "voorstel project: als het Wmo-ondersteuningsplan, 15 jaar"),
}  # fmt: skip
