"""The rules of schuldhulpverlening as a process (issue 15) — one home.

Steps (:data:`coordination.shvmodels.SHV_STEPS`) and which step may follow which
(:data:`TRANSITIONS`); the norms the worklist and the KISS pipeline measure against are
rows of the gemeente's ``norm`` table (households/norms.py, set by ``beheer``):

- ``shv_eerste_gesprek`` — days from aanmelding to the eerste gesprek (default 14, with the
  target that 75% of aanmeldingen are spoken to within it: the quarterly report's norm,
  003 §1.7; the Wgs allows at most four weeks after the request);
- ``shv_crisis`` — working days from a crisis aanmelding (threatened eviction or
  disconnection of energy, water or health insurance) to the eerste gesprek (default 3
  werkdagen: the Wgs term for threatening debts such as rent, energy and water);
- ``shv_plan_van_aanpak`` — days from the eerste gesprek to the plan van aanpak
  (default 56, eight weeks: the Wgs term for the decision on the request after the eerste
  gesprek, which the plan van aanpak carries);
- ``shv_herbeoordeling_budgetbeheer`` — days after the start of budgetbeheer when it is
  re-assessed (default 548, eighteen months: 003 §1.7).

Also here: which norm runs in which step (:func:`running_norm`), its last day on time
(:func:`deadline_of`, Dutch working days where the norm says so), the (working) days left
and the worklist state — ``waarschuwing`` from :data:`WARN_DAYS_BEFORE` (working) days before
the last day, ``te_laat`` after it (:func:`norm_state`); in which steps debts may be taken
into the arrangement (:data:`DEBT_STEPS`, :func:`debt_refusal`) and that an arrangement step
needs at least one (:func:`arrangement_refusal`); the Dutch labels of sources, crises and end
reasons.
"""

from __future__ import annotations

import datetime as dt

from coordination.shvmodels import SHV_STEPS
from households.workdays import add_working_days, working_days_between

__all__ = [
    "TRANSITIONS", "ARRANGEMENT_STEPS", "DEBT_STEPS", "STEP_LABELS", "SOURCE_LABELS",
    "CRISIS_LABELS", "END_REASON_LABELS", "NORM_FIRST_CONVERSATION", "NORM_CRISIS",
    "NORM_PLAN", "NORM_BUDGET_REVIEW", "NORM_LABELS", "WARN_DAYS_BEFORE",
    "transition_refusal", "debt_refusal", "arrangement_refusal", "running_norm", "deadline_of",
    "days_left", "norm_state",
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

SOURCE_LABELS: dict[str, str] = {
    "zelf": "Zelf aangemeld",
    "signaal": "Signaal betalingsachterstand",
    "gbd": "Via de GBD-er",
    "partner": "Via een partner",
}
CRISIS_LABELS: dict[str, str] = {
    "ontruiming": "Dreigende ontruiming",
    "afsluiting_energie": "Dreigende afsluiting energie",
    "afsluiting_water": "Dreigende afsluiting water",
    "zorgverzekering": "Dreigende schorsing zorgverzekering",
}
END_REASON_LABELS: dict[str, str] = {
    "schuldenvrij": "Schuldenvrij",
    "regeling_afgerond": "Regeling afgerond",
    "stabiel_zonder_regeling": "Stabiel zonder regeling",
    "geen_vervolg": "Zonder vervolg",
    "uitgevallen": "Uitgevallen",
    "afgewezen": "Afgewezen",
    "verhuisd": "Verhuisd",
    "overleden": "Overleden",
    "doorverwezen": "Doorverwezen",
}

# The steps in which debts are part of an arrangement with the creditors.
ARRANGEMENT_STEPS = ("schuldregeling", "saneringskrediet", "wsnp")
# The steps in which a debt may be taken into the arrangement: from the plan van aanpak
# (the debts are inventoried for the coming regeling) up to and including the
# arrangement itself; not before the plan, not in nazorg or after the end.
DEBT_STEPS = (
    "plan_van_aanpak", "stabilisatie", "budgetbeheer", "beschermingsbewind", *ARRANGEMENT_STEPS,
)  # fmt: skip

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


def debt_refusal(step: str) -> str | None:
    """The Dutch reason why no debt may be taken into the arrangement in ``step`` (None: may).

    >>> debt_refusal("schuldregeling") is None, debt_refusal("eerste_gesprek")
    (True, 'Schulden worden opgenomen vanaf het plan van aanpak.')
    """
    if step in DEBT_STEPS:
        return None
    if step in ("aanmelding", "eerste_gesprek"):
        return "Schulden worden opgenomen vanaf het plan van aanpak."
    return "Na de regeling (nazorg of beëindigd) worden geen schulden meer opgenomen."


def arrangement_refusal(new: str, debts_in_arrangement: int) -> str | None:
    """An arrangement step needs at least one debt in the arrangement (None: allowed).

    >>> arrangement_refusal("schuldregeling", 0)
    'Neem eerst de schulden op die in de schuldregeling komen.'
    >>> arrangement_refusal("nazorg", 0) is None
    True
    """
    if new in ARRANGEMENT_STEPS and debts_in_arrangement < 1:
        return f"Neem eerst de schulden op die in de {STEP_LABELS[new].lower()} komen."
    return None


# --- norms and their deadlines ------------------------------------------------------------

NORM_LABELS: dict[str, str] = {
    NORM_FIRST_CONVERSATION: "Eerste gesprek",
    NORM_CRISIS: "Eerste gesprek (crisis)",
    NORM_PLAN: "Plan van aanpak",
    NORM_BUDGET_REVIEW: "Herbeoordeling budgetbeheer",
}


def running_norm(step: str, crisis: bool) -> str | None:
    """The norm that runs while a trajectory is in ``step`` (None: no norm runs).

    In ``aanmelding`` the eerste gesprek is due (the crisis norm when the aanmelding is a
    crisis); in ``eerste_gesprek`` the plan van aanpak; in ``budgetbeheer`` its
    re-assessment. Every other step has no term.

    >>> running_norm("aanmelding", True), running_norm("stabilisatie", False)
    ('shv_crisis', None)
    """
    if step == "aanmelding":
        return NORM_CRISIS if crisis else NORM_FIRST_CONVERSATION
    return {"eerste_gesprek": NORM_PLAN, "budgetbeheer": NORM_BUDGET_REVIEW}.get(step)


def deadline_of(start: dt.date, days: int, werkdagen: bool) -> dt.date:
    """The last day on time of a term of ``days`` (working) days from ``start``.

    >>> deadline_of(dt.date(2026, 4, 24), 3, True)  # Friday; Monday 27 April is Koningsdag
    datetime.date(2026, 4, 30)
    >>> deadline_of(dt.date(2026, 4, 24), 14, False)
    datetime.date(2026, 5, 8)
    """
    if werkdagen:
        return add_working_days(start, days)
    return start + dt.timedelta(days=days)


def days_left(today: dt.date, deadline: dt.date, werkdagen: bool) -> int:
    """(Working) days from ``today`` to ``deadline``; negative (days late) when it has passed.

    >>> days_left(dt.date(2026, 4, 24), dt.date(2026, 4, 30), True)
    3
    >>> days_left(dt.date(2026, 5, 4), dt.date(2026, 4, 30), True)
    -2
    """
    if werkdagen:
        if today > deadline:
            return -working_days_between(deadline, today)
        return working_days_between(today, deadline)
    return (deadline - today).days


def norm_state(today: dt.date, deadline: dt.date, werkdagen: bool) -> str | None:
    """``te_laat`` (the deadline has passed), ``waarschuwing`` (at most
    :data:`WARN_DAYS_BEFORE` (working) days left, the deadline itself included) or None.

    >>> [norm_state(dt.date(2026, 5, d), dt.date(2026, 5, 8), False) for d in (4, 5, 8, 9)]
    [None, 'waarschuwing', 'waarschuwing', 'te_laat']
    """
    if today > deadline:
        return "te_laat"
    if days_left(today, deadline, werkdagen) <= WARN_DAYS_BEFORE:
        return "waarschuwing"
    return None
