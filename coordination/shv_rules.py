"""The rules of schuldhulpverlening as a process (issue 15) — one home.

Steps (:data:`coordination.shvmodels.SHV_STEPS`) and which step may follow which
(:data:`TRANSITIONS`); the norms the worklist and the KISS pipeline measure against are
rows of the gemeente's ``norm`` table (households/norms.py, set by ``beheer``):

- ``shv_eerste_gesprek`` — days from aanmelding to the eerste gesprek (default 14, with the
  target that 75% of aanmeldingen are spoken to within it: the quarterly report's norm,
  003 §1.7; the Wgs art. 4a lid 1 allows at most four weeks);
- ``shv_crisis`` — working days from a crisis aanmelding (threatened eviction or
  disconnection of energy, water or health insurance) to the eerste gesprek (default 3
  werkdagen, Wgs art. 4a lid 2);
- ``shv_plan_van_aanpak`` — days from the eerste gesprek to the plan van aanpak
  (default 56, eight weeks: Wgs art. 4a lid 3 "binnen acht weken na het eerste gesprek");
- ``shv_herbeoordeling_budgetbeheer`` — days after the start of budgetbeheer when it is
  re-assessed (default 548, eighteen months: 003 §1.7).
"""

from __future__ import annotations

from coordination.shvmodels import SHV_STEPS

__all__ = [
    "TRANSITIONS", "ARRANGEMENT_STEPS", "STEP_LABELS", "NORM_FIRST_CONVERSATION",
    "NORM_CRISIS", "NORM_PLAN", "NORM_BUDGET_REVIEW", "WARN_DAYS_BEFORE",
    "transition_refusal",
]  # fmt: skip

NORM_FIRST_CONVERSATION = "shv_eerste_gesprek"
NORM_CRISIS = "shv_crisis"
NORM_PLAN = "shv_plan_van_aanpak"
NORM_BUDGET_REVIEW = "shv_herbeoordeling_budgetbeheer"
# The worklist warns this many days before a norm's deadline passes.
WARN_DAYS_BEFORE = 3

STEP_LABELS: dict[str, str] = {
    "aanmelding": "Aanmelding",
    "eerste_gesprek": "Eerste gesprek",
    "plan_van_aanpak": "Plan van aanpak",
    "stabilisatie": "Stabilisatie",
    "budgetbeheer": "Budgetbeheer",
    "beschermingsbewind": "Beschermingsbewind",
    "schuldregeling": "Schuldregeling",
    "saneringskrediet": "Saneringskrediet",
    "wsnp": "Wsnp",
    "nazorg": "Nazorg",
    "beeindigd": "Beëindigd",
}

# The steps in which debts are part of an arrangement with the creditors.
ARRANGEMENT_STEPS = ("schuldregeling", "saneringskrediet", "wsnp")

_AFTER_PLAN = ("stabilisatie", "budgetbeheer", "beschermingsbewind", *ARRANGEMENT_STEPS)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "aanmelding": ("eerste_gesprek", "beeindigd"),
    "eerste_gesprek": ("plan_van_aanpak", "beeindigd"),
    "plan_van_aanpak": (*_AFTER_PLAN, "beeindigd"),
    "stabilisatie": (
        "budgetbeheer",
        "beschermingsbewind",
        *ARRANGEMENT_STEPS,
        "nazorg",
        "beeindigd",
    ),  # fmt: skip
    "budgetbeheer": ("beschermingsbewind", *ARRANGEMENT_STEPS, "nazorg", "beeindigd"),
    "beschermingsbewind": ("budgetbeheer", *ARRANGEMENT_STEPS, "nazorg", "beeindigd"),
    "schuldregeling": ("saneringskrediet", "wsnp", "nazorg", "beeindigd"),
    "saneringskrediet": ("nazorg", "beeindigd"),
    "wsnp": ("nazorg", "beeindigd"),
    "nazorg": ("beeindigd",),
    "beeindigd": (),
}
assert set(TRANSITIONS) == set(SHV_STEPS)


def transition_refusal(current: str, new: str) -> str | None:
    """The Dutch reason why ``new`` may not follow ``current`` (None: allowed).

    >>> transition_refusal("aanmelding", "plan_van_aanpak")
    'Een plan van aanpak kan pas na een eerste gesprek.'
    >>> transition_refusal("eerste_gesprek", "plan_van_aanpak") is None
    True
    >>> transition_refusal("beeindigd", "nazorg")
    'Dit traject is beëindigd; meld het huishouden opnieuw aan.'
    """
    if new not in TRANSITIONS:
        return "Onbekende stap in de schuldhulpverlening."
    if current == "beeindigd":
        return "Dit traject is beëindigd; meld het huishouden opnieuw aan."
    if new in TRANSITIONS[current]:
        return None
    if current == "aanmelding" and new == "plan_van_aanpak":
        return "Een plan van aanpak kan pas na een eerste gesprek."
    if current == "aanmelding" and new in _AFTER_PLAN:
        return "Eerst een eerste gesprek en een plan van aanpak."
    if new in _AFTER_PLAN and current == "eerste_gesprek":
        return "Eerst een plan van aanpak."
    return (
        f"Van {STEP_LABELS[current].lower()} kan het traject niet naar {STEP_LABELS[new].lower()}."
    )
