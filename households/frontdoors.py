"""The front doors a help request comes through, and how they are named (one home).

The one front door is ``centraal`` (code ``CENTRAAL``, DESIGN 7); "KISS" is the steering
team. Until revision 0016_centraal the one front door was stored as ``KISS``: the import
still accepts that code as an alias, and stores ``CENTRAAL``.

>>> IMPORT_FRONT_DOORS["KISS"], IMPORT_FRONT_DOORS["CENTRAAL"], IMPORT_FRONT_DOORS["WMO"]
('CENTRAAL', 'CENTRAAL', 'WMO')
"""

from __future__ import annotations

__all__ = [
    "FRONT_DOORS", "FRONT_DOOR_LABELS", "IMPORT_FRONT_DOORS", "ONE_FRONT_DOOR",
    "front_door_label", "front_doors_check",
]  # fmt: skip

ONE_FRONT_DOOR = "CENTRAAL"
FRONT_DOORS = ("WMO", "JEUGD", "ISD", ONE_FRONT_DOOR)
# How a front door is named on screen, in charts and in reports.
FRONT_DOOR_LABELS = {
    "WMO": "voordeur Wmo",
    "JEUGD": "voordeur Jeugd",
    "ISD": "voordeur ISD",
    ONE_FRONT_DOOR: "centrale voordeur",
}
# The codes an imported help request may carry (DESIGN 5.2) and the code stored: each
# stored code as itself, and ``KISS`` (files made before 0016_centraal) as the one front door.
IMPORT_FRONT_DOORS = {**{code: code for code in FRONT_DOORS}, "KISS": ONE_FRONT_DOOR}


def front_door_label(code: str | None) -> str:
    """A front door as shown on screen and in charts (an unknown code as itself).

    >>> front_door_label("CENTRAAL"), front_door_label("WMO")
    ('centrale voordeur', 'voordeur Wmo')
    """
    return FRONT_DOOR_LABELS.get(code or "", code or "—")


def front_doors_check() -> str:
    """The CHECK on ``help_request.voordeur``: the stored codes.

    >>> front_doors_check()
    "voordeur IN ('WMO','JEUGD','ISD','CENTRAAL')"
    """
    return "voordeur IN (" + ",".join(f"'{c}'" for c in FRONT_DOORS) + ")"
