"""Complexity rules as data: versioned, one active set, edited by ``beheer``.

A rule set is a plain dict (stored as JSON in ``rule_set.regels``). Each rule
has a toggle (``actief``) and its thresholds; the reason code a rule produces
is its key. The default set is DESIGN.md section 4:

- ``stapeling``: heavy stacking (``n_domains >= min_domeinen``, or
  ``n_domains >= min_domeinen_met_schuld`` and an open debt; by default 3 domains, or
  2 and a debt: the 1-3% "kleinere groep");
- ``veiligheidssignaal``: an open signal of one of ``soorten`` on the date;
- ``herhaalde_hulpvragen``: ``min_aantal`` or more help requests in the
  ``periode_dagen`` days up to the date (the date itself included);
- ``jeugdbescherming``: an active JEUGD provision of ``soort`` together with
  an active provision in any other domain.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from coordination.models import RuleSet
from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import InvalidInput
from households.models import PROVISION_KINDS_BY_DOMAIN, SAFETY_SIGNAL_KINDS, SIGNAL_KINDS
from households.validation import clean_text

__all__ = ["DEFAULT_RULES", "RULE_CODES", "RuleVersion", "active_rules", "save_rules",
           "rule_history", "validate_rules"]  # fmt: skip

DEFAULT_RULES: dict = {
    # complex by stacking: 3 domains, or 2 and an open debt (the local "gestapeld" figure
    # itself is fixed: 2 domains, or 1 and a debt); with the other rules this picks out
    # the "kleinere groep" of K2: 1-3% of the households on the demo data
    "stapeling": {"actief": True, "min_domeinen": 3, "min_domeinen_met_schuld": 2},
    "veiligheidssignaal": {"actief": True, "soorten": list(SAFETY_SIGNAL_KINDS)},
    "herhaalde_hulpvragen": {"actief": True, "min_aantal": 3, "periode_dagen": 365},
    "jeugdbescherming": {"actief": True, "soort": "jeugdbescherming"},
}

RULE_CODES = tuple(DEFAULT_RULES)

RULE_LABELS = {
    "stapeling": "Zware stapeling (standaard 3 domeinen, of 2 domeinen en een schuld)",
    "veiligheidssignaal": "Open veiligheidssignaal",
    "herhaalde_hulpvragen": "Herhaalde hulpvragen",
    "jeugdbescherming": "Jeugdbescherming naast een ander domein",
}

_INT_LIMITS = {
    ("stapeling", "min_domeinen"): (1, 3),
    ("stapeling", "min_domeinen_met_schuld"): (0, 3),
    ("herhaalde_hulpvragen", "min_aantal"): (1, 100),
    ("herhaalde_hulpvragen", "periode_dagen"): (1, 3660),
}


@dataclass(frozen=True)
class RuleVersion:
    """One version of the rules: its number and the rules (a dict like DEFAULT_RULES)."""

    versie: int
    regels: dict = field(default_factory=lambda: copy.deepcopy(DEFAULT_RULES))
    toelichting: str | None = None
    aangemaakt_door: str | None = None
    actief: bool = True


def _listed(names) -> str:
    return ", ".join(f"'{n}'" for n in names)


def validate_rules(regels: dict) -> dict:
    """Return a complete, checked copy of ``regels`` or raise :class:`InvalidInput`.

    Missing rules or keys are taken from :data:`DEFAULT_RULES`. An unknown rule,
    setting, signal kind (:data:`~households.models.SIGNAL_KINDS`) or provision
    kind (:data:`~households.models.PROVISION_KINDS_BY_DOMAIN`) is refused with a
    message naming it and what is allowed: a typo never switches a rule off.

    >>> validate_rules({"herhaalde_hulpvragen": {"min_aantal": 4}})["herhaalde_hulpvragen"]
    {'actief': True, 'min_aantal': 4, 'periode_dagen': 365}
    >>> validate_rules({"jeugdbescherming": {"soort": "jeugdbeschermingg"}})
    Traceback (most recent call last):
    ...
    households.errors.InvalidInput: Regel jeugdbescherming: onbekende soort voorziening \
'jeugdbeschermingg'. Bekende soorten jeugdhulp: 'ambulante jeugdhulp', 'jeugd-ggz', \
'jeugdhulp met verblijf', 'jeugdbescherming'.
    """
    if not isinstance(regels, dict):
        raise InvalidInput("De regels moeten een verzameling van regels zijn.")
    unknown = sorted(set(regels) - set(DEFAULT_RULES))
    if unknown:
        raise InvalidInput(
            f"Onbekende regel(s): {_listed(unknown)}. Bekende regels: {_listed(DEFAULT_RULES)}."
        )
    out = copy.deepcopy(DEFAULT_RULES)
    for name, given in regels.items():
        if not isinstance(given, dict):
            raise InvalidInput(f"Regel {name}: instellingen ontbreken.")
        extra = sorted(set(given) - set(DEFAULT_RULES[name]))
        if extra:
            raise InvalidInput(
                f"Regel {name}: onbekende instelling(en) {_listed(extra)}. "
                f"Toegestaan: {_listed(DEFAULT_RULES[name])}."
            )
        out[name].update(copy.deepcopy(given))
    for name, rule in out.items():
        if not isinstance(rule["actief"], bool):
            raise InvalidInput(f"Regel {name}: 'actief' moet ja of nee zijn.")
    for (name, key), (lo, hi) in _INT_LIMITS.items():
        value = out[name][key]
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise InvalidInput(f"Regel {name}: {key} moet een geheel getal van {lo} tot {hi} zijn.")
    soorten = out["veiligheidssignaal"]["soorten"]
    if not isinstance(soorten, list) or not soorten:
        raise InvalidInput(
            "Regel veiligheidssignaal: kies een of meer soorten signalen. "
            f"Bekende soorten: {_listed(SIGNAL_KINDS)}."
        )
    wrong = [s for s in soorten if s not in SIGNAL_KINDS]
    if wrong:
        raise InvalidInput(
            f"Regel veiligheidssignaal: onbekende soort(en) signaal {_listed(wrong)}. "
            f"Bekende soorten: {_listed(SIGNAL_KINDS)}."
        )
    soort = out["jeugdbescherming"]["soort"]
    allowed = PROVISION_KINDS_BY_DOMAIN["JEUGD"]
    if not isinstance(soort, str) or soort.strip() not in allowed:
        shown = f"'{soort}'" if isinstance(soort, str) and soort.strip() else "(leeg)"
        raise InvalidInput(
            f"Regel jeugdbescherming: onbekende soort voorziening {shown}. "
            f"Bekende soorten jeugdhulp: {_listed(allowed)}."
        )
    out["jeugdbescherming"]["soort"] = soort.strip()
    return out


def _to_version(row: RuleSet) -> RuleVersion:
    return RuleVersion(
        versie=row.versie,
        regels=validate_rules(row.regels or {}),
        toelichting=row.toelichting,
        aangemaakt_door=row.aangemaakt_door,
        actief=bool(row.actief),
    )


def active_rules(session: Session) -> RuleVersion:
    """The active rule set; creates version 1 from :data:`DEFAULT_RULES` when none exists."""
    row = session.scalar(select(RuleSet).where(RuleSet.actief.is_(True)))
    if row is None:
        if session.scalar(select(RuleSet.id).limit(1)) is None:
            row = RuleSet(
                versie=1,
                regels=copy.deepcopy(DEFAULT_RULES),
                actief=True,
                toelichting="Standaardregels (DESIGN.md §4)",
                aangemaakt_door="systeem",
            )
            session.add(row)
            session.flush()
        else:  # versions exist but none active: the newest counts
            row = session.scalar(select(RuleSet).order_by(RuleSet.versie.desc()).limit(1))
    return _to_version(row)


def rule_history(session: Session) -> list[RuleVersion]:
    """All versions, newest first (rules are not personal data: no access check)."""
    rows = session.scalars(select(RuleSet).order_by(RuleSet.versie.desc())).all()
    return [_to_version(r) for r in rows]


def save_rules(session: Session, actor: Actor, regels: dict, toelichting: str) -> RuleVersion:
    """Save ``regels`` as a new version and make it the active one (``beheer`` only; audited)."""
    authorize(session, actor, "regels_wijzigen")
    checked = validate_rules(regels)
    toelichting = clean_text(toelichting, "De toelichting", 0, 4000)
    if len(toelichting) < 5:
        raise InvalidInput("Geef een toelichting bij de wijziging (minstens 5 tekens).")
    current = active_rules(session)
    versie = (session.scalar(select(RuleSet.versie).order_by(RuleSet.versie.desc())) or 0) + 1
    session.execute(update(RuleSet).where(RuleSet.actief.is_(True)).values(actief=False))
    session.flush()
    session.add(
        RuleSet(
            versie=versie,
            regels=checked,
            actief=True,
            toelichting=toelichting,
            aangemaakt_door=actor.naam,
        )
    )
    session.flush()
    audit.record(
        session, actor, audit.Event.REGELS_WIJZIGEN, "rule_set", versie,
        doel=toelichting, oud=current.regels, nieuw=checked,
    )  # fmt: skip
    return RuleVersion(versie, checked, toelichting, actor.naam, True)
