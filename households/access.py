"""The access core: who may call which service, and who may see which household. Default deny.

- **Roles** are :data:`households.models.USER_ROLES`. The role that counts is the
  one in the database (``app_user``), re-read per unit of work: an :class:`Actor`
  is only a claim. An inactive account, a changed role or an unknown user id is
  refused everywhere. The command-line :data:`~households.actor.SYSTEM` actor
  always passes.
- **Service actions**: :data:`PERMISSIONS` names, per action, the roles allowed
  and the audit event written; a service calls ``authorize(session, actor,
  "regie_toewijzen")`` first.
- **Households**: :func:`require_household_access` asks the household rules of
  the actor's role (OR-ed) and returns the reason access was granted; the caller
  writes it as the ``doel`` of the read's audit row. ``kiss`` and ``beheer``
  never see a household. The rules themselves live in the contexts that know
  them (``coordination.access``, ``experiments.access``) and are registered by
  ``app.bootstrap.bootstrap()``;
  without it no household rule exists. Each returns the reason it grants:

  - ``voordeur``: households they opened (with a purpose) today -> that purpose;
  - ``gbd``: households they opened -> the latest purpose; households they hold
    regie for -> ``regiehouder``; households on the agenda of a case table they
    sit at -> ``casustafel <naam>``; households enrolled in an experiment of
    theirs -> ``proeftuin <naam>``;
  - ``ervaringswerker``: households enrolled in an experiment of theirs;
  - ``kiss``, ``beheer`` and ``partner``: never (no rule can be registered for them). A
    ``partner`` reads only the minimum data of the referrals addressed to their own
    institution, through :mod:`coordination.referrals` (which refuses everything else).
- **Refusals**: :func:`refuse` is the one way to say no. It rolls the unit of
  work back, commits a ``geweigerd`` audit row and raises ``AccessDenied``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from households import audit
from households.actor import Actor
from households.audit import Event
from households.errors import AccessDenied
from households.models import USER_ROLES, User

__all__ = [
    "ROLES",
    "NEVER_HOUSEHOLD",
    "Permission",
    "PERMISSIONS",
    "authorize",
    "current_role",
    "refuse",
    "HouseholdRule",
    "register_household_rule",
    "household_rules",
    "clear_household_rules",
    "household_access_reason",
    "may_see_household",
    "require_household_access",
    "valid_id",
]

ROLES = USER_ROLES
NEVER_HOUSEHOLD = ("kiss", "beheer", "partner")
SYSTEM_ROLE = "systeem"
MSG_NO_FUNCTION = "U heeft geen toegang tot deze functie."
MSG_NO_HOUSEHOLD = "U heeft geen toegang tot dit huishouden (geen need-to-know)."


@dataclass(frozen=True)
class Permission:
    """Who may call a service action, and what its audit rows (and refusal) are called."""

    roles: tuple[str, ...]
    event: Event
    object_type: str | None = None
    message: str = MSG_NO_FUNCTION


_AUDIT = "Alleen functioneel beheer leest de audittrail."
_BEHEER_USERS = dict(object_type="user", message="U heeft geen toegang tot gebruikersbeheer.")
_BEHEER_AUDIT = dict(object_type="audit", message=_AUDIT)
E = Event

PERMISSIONS: dict[str, Permission] = {
    # households: accounts, audit trail, import, search
    "gebruiker_aanmaken": Permission(("beheer",), E.GEBRUIKER_AANMAKEN, **_BEHEER_USERS),
    "gebruikers_inzien": Permission(("beheer",), E.GEBRUIKERS_INZIEN, **_BEHEER_USERS),
    "gebruiker_activeren": Permission(("beheer",), E.GEBRUIKER_ACTIVEREN, **_BEHEER_USERS),
    "gebruiker_deactiveren": Permission(("beheer",), E.GEBRUIKER_DEACTIVEREN, **_BEHEER_USERS),
    "blokkering_opheffen": Permission(("beheer",), E.BLOKKERING_OPHEFFEN, **_BEHEER_USERS),
    "rol_wijzigen": Permission(("beheer",), E.ROL_WIJZIGEN, **_BEHEER_USERS),
    "wachtwoord_herstellen": Permission(("beheer",), E.WACHTWOORD_HERSTELLEN, **_BEHEER_USERS),
    "identiteit_koppelen": Permission(("beheer",), E.IDENTITEIT_KOPPELEN, **_BEHEER_USERS),
    "auditlog_inzien": Permission(("beheer",), E.AUDITLOG_INZIEN, **_BEHEER_AUDIT),
    "auditlog_exporteren": Permission(("beheer",), E.EXPORTEREN, **_BEHEER_AUDIT),
    "import": Permission(("beheer",), E.IMPORT),
    "productcategorie_wijzigen": Permission(("beheer",), E.PRODUCTCATEGORIE_WIJZIGEN),
    "norm_wijzigen": Permission(("beheer",), E.NORM_WIJZIGEN),
    "inzage": Permission(("beheer",), E.INZAGE),
    "bewaartermijnen": Permission(("beheer",), E.BEWAARTERMIJN),
    "toegangsduur_wijzigen": Permission(("beheer",), E.TOEGANGSDUUR_WIJZIGEN),
    "backup_maken": Permission((), E.BACKUP_MAKEN),  # the CLI (system) only
    "backup_herstellen": Permission((), E.BACKUP_HERSTELLEN),  # the CLI (system) only
    "zoeken": Permission(("voordeur", "gbd"), E.ZOEKEN),
    # coordination: front door, triage, journey
    "huishouden_openen": Permission(("voordeur", "gbd"), E.HUISHOUDEN_OPENEN),
    "huishouden_aanmelden": Permission(("voordeur", "gbd"), E.HUISHOUDEN_AANMELDEN),
    "hulpvraag_registreren": Permission(("voordeur", "gbd"), E.HULPVRAAG_REGISTREREN),
    "melding_registreren": Permission(("voordeur", "gbd"), E.MELDING_REGISTREREN),
    "wgs_opvolging": Permission(("voordeur", "gbd"), E.WGS_OPVOLGING),
    "achterstand_melden": Permission(("partner",), E.ACHTERSTAND_MELDEN),
    "huishoudens_kiezen": Permission(("voordeur", "gbd"), E.HUISHOUDENS_KIEZEN),
    "triage_besluit": Permission(("voordeur", "gbd"), E.TRIAGE_BESLUIT),
    "klantreis_overzicht": Permission(("kiss", "gbd"), E.KLANTREIS_OVERZICHT),
    # coordination: regie
    "regie_toewijzen": Permission(("gbd",), E.REGIE_TOEWIJZEN),
    "regie_beeindigen": Permission(("gbd",), E.REGIE_BEEINDIGEN),
    "regie_overdragen": Permission(("gbd",), E.REGIE_OVERDRAGEN),
    "regie_gaten": Permission(("gbd",), E.REGIE_GATEN),
    "instellingen_kiezen": Permission(("gbd",), E.INSTELLINGEN_KIEZEN),
    # coordination: case tables, decisions, actions, budget
    "casustafels_inzien": Permission(("gbd", "beheer"), E.CASUSTAFELS_INZIEN),
    "overleggen_inzien": Permission(("gbd",), E.CASUSTAFELS_INZIEN),
    "casustafel_maken": Permission(("gbd", "beheer"), E.CASUSTAFEL_MAKEN),
    "casustafel_lid": Permission(("gbd", "beheer"), E.CASUSTAFEL_LID),
    "overleg_plannen": Permission(("gbd",), E.OVERLEG_PLANNEN),
    "agendapunt_toevoegen": Permission(("gbd",), E.AGENDAPUNT_TOEVOEGEN),
    "agenda_inzien": Permission(("gbd",), E.AGENDA_INZIEN),
    "besluiten": Permission(("gbd",), E.BESLUITEN),
    "review": Permission(("gbd",), E.REVIEW),
    "opdracht_geven": Permission(("gbd",), E.OPDRACHT_GEVEN),
    "terugkoppeling": Permission(("gbd",), E.TERUGKOPPELING),
    "opdracht_afronden": Permission(("gbd",), E.OPDRACHT_AFRONDEN),
    "opdrachten_inzien": Permission(("gbd",), E.OPDRACHTEN_INZIEN),
    "terugkoppeling_overzicht": Permission(("gbd", "kiss"), E.TERUGKOPPELING_OVERZICHT),
    "verwijzen": Permission(("gbd",), E.VERWIJZEN),
    "verwijzingen_inzien": Permission(("gbd", "partner"), E.VERWIJZINGEN_INZIEN),
    "verwijzing_inzien": Permission(("gbd", "partner"), E.VERWIJZING_INZIEN),
    "verwijzing_beantwoorden": Permission(("partner",), E.VERWIJZING_BEANTWOORDEN),
    "verwijzingen_escalatie": Permission(("gbd",), E.VERWIJZINGEN_ESCALATIE),
    "agendapartij_toevoegen": Permission(("gbd",), E.AGENDAPARTIJ_TOEVOEGEN),
    "tafelpunten_partner": Permission(("partner",), E.TAFELPUNTEN_PARTNER),
    "budget_vaststellen": Permission(("gbd", "beheer"), E.BUDGET_VASTSTELLEN),
    "budget_inzien": Permission(("gbd", "kiss", "beheer"), E.BUDGET_INZIEN),
    "budget_besteden": Permission(("gbd",), E.BUDGET_BESTEDEN),
    "werklijst": Permission(("gbd",), E.WERKLIJST_INZIEN),
    # coordination: rules, steering figures, reports
    "regels_wijzigen": Permission(("beheer",), E.REGELS_WIJZIGEN),
    "stuurinformatie_inzien": Permission(("kiss",), E.STUURINFORMATIE_INZIEN),
    "wgs_hulpaanbod_overzicht": Permission(("kiss",), E.WGS_HULPAANBOD_OVERZICHT),
    "shv_pipeline_inzien": Permission(("kiss",), E.SHV_PIJPLIJN_INZIEN),
    "niet_gebruik_overzicht": Permission(("kiss",), E.NIET_GEBRUIK_OVERZICHT),
    "netwerk_inzien": Permission(("kiss", "gbd"), E.NETWERK_INZIEN),
    "rapport_stapeling": Permission((), E.RAPPORT_STAPELING),  # the CLI (system) only
    "stuurdoelen_inzien": Permission(("kiss",), E.STUURDOELEN_INZIEN),
    "stuurdoel_aanmaken": Permission(("kiss",), E.STUURDOEL_AANMAKEN),
    "stuurdoel_wijzigen": Permission(("kiss",), E.STUURDOEL_WIJZIGEN),
    "stuurkosten_inzien": Permission(("kiss",), E.STUURKOSTEN_INZIEN),
    # experiments
    "experiment_lid_toevoegen": Permission(("gbd", "beheer"), E.EXPERIMENT_LID_TOEVOEGEN),
    "experiment_aanmaken": Permission(("beheer",), E.EXPERIMENT_AANMAKEN),
    "experiment_wijzigen": Permission(("beheer",), E.EXPERIMENT_WIJZIGEN),
    "les_toevoegen": Permission(("gbd", "ervaringswerker"), E.LES_TOEVOEGEN),
    "stressor_toevoegen": Permission(("beheer", "gbd"), E.STRESSOR_TOEVOEGEN),
    "outreach_lijst": Permission(("gbd",), E.OUTREACH_LIJST),
    "experiment_inschrijven": Permission(("gbd",), E.EXPERIMENT_INSCHRIJVEN),
    "deelnemers_inzien": Permission(("gbd", "ervaringswerker"), E.DEELNEMERS_INZIEN),
    "mijn_huishoudens": Permission(("ervaringswerker", "gbd"), E.MIJN_HUISHOUDENS),
    "logboek_schrijven": Permission(("ervaringswerker",), E.LOGBOEK_SCHRIJVEN),
    "verhaal_selecteren": Permission(("gbd",), E.VERHAAL_SELECTEREN),
    "verhalen_inzien": Permission(("gbd",), E.VERHALEN_INZIEN),
    "experiment_evalueren": Permission(("kiss", "gbd"), E.EXPERIMENT_EVALUEREN),
    "evaluatierapport": Permission(("kiss",), E.EVALUATIERAPPORT),
    # coordination: the household plan (writes also need the regie or a table seat)
    "plan_inzien": Permission(("gbd",), E.PLAN_INZIEN),
    "plan_doel_toevoegen": Permission(("gbd",), E.PLAN_DOEL_TOEVOEGEN),
    "plan_doel_uit_besluit": Permission(("gbd",), E.PLAN_DOEL_UIT_BESLUIT),
    "plan_doel_wijzigen": Permission(("gbd",), E.PLAN_DOEL_WIJZIGEN),
    "plan_afdrukken": Permission(("gbd",), E.PLAN_AFDRUKKEN),
    # the loop (DESIGN 4.4): stability logs at regie and table, safety route, vraagbaak,
    # systeemknelpunten and their reference list
    "stabiliteit_inzien": Permission(("gbd", "ervaringswerker"), E.STABILITEIT_INZIEN),
    "agendapunt_inbrengen": Permission(("ervaringswerker",), E.AGENDAPUNT_INBRENGEN),
    "tafels_kiezen": Permission(("gbd", "ervaringswerker"), E.CASUSTAFELS_INZIEN),
    "besluiten_volgen": Permission(("ervaringswerker",), E.BESLUITEN_VOLGEN),
    "plandoelen_volgen": Permission(("ervaringswerker",), E.PLANDOELEN_VOLGEN),
    "opnieuw_besluiten": Permission(("gbd",), E.OPNIEUW_BESLUITEN),
    "tafel_lus_inzien": Permission(("gbd",), E.TAFEL_LUS_INZIEN),
    "escaleren": Permission(("gbd",), E.ESCALEREN),
    "vraagbaak_inzien": Permission(("kiss",), E.VRAAGBAAK_INZIEN),
    "vraagbaak_antwoorden": Permission(("kiss",), E.VRAAGBAAK_ANTWOORDEN),
    "knelpunt_vastleggen": Permission(("gbd", "ervaringswerker"), E.KNELPUNT_VASTLEGGEN),
    "knelpunten_inzien": Permission(("kiss",), E.KNELPUNTEN_INZIEN),
    "lessen_inzien": Permission(("kiss",), E.LESSEN_INZIEN),
    "knelpuntregels_kiezen": Permission(
        ("gbd", "ervaringswerker", "beheer"), E.REFERENTIELIJST_INZIEN
    ),
    "referentielijst_wijzigen": Permission(("beheer",), E.REFERENTIELIJST_WIJZIGEN),
    # schuldhulpverlening (issue 15): GBD-ers with access to the household; never a partner
    "schuldhulp_inzien": Permission(("gbd",), E.SCHULDHULP_INZIEN),
    "schuldhulp_overzicht": Permission(("gbd",), E.SCHULDHULP_OVERZICHT),
    "schuldhulp_aanmelden": Permission(("gbd",), E.SCHULDHULP_AANMELDEN),
    "schuldhulp_stap": Permission(("gbd",), E.SCHULDHULP_STAP),
    "schuldhulp_schuld_opnemen": Permission(("gbd",), E.SCHULDHULP_SCHULD_OPNEMEN),
    # lawful basis (DESIGN 8.3): consent for sharing with partners (gbd with access)
    "toestemming_vastleggen": Permission(("gbd",), E.TOESTEMMING_VASTLEGGEN),
    "toestemming_intrekken": Permission(("gbd",), E.TOESTEMMING_INTREKKEN),
    "toestemmingen_inzien": Permission(("gbd",), E.TOESTEMMINGEN_INZIEN),
}
del E


# --- the acting user, as the database knows it ---------------------------------------------

_ROLE_CACHE = "access_current_roles"


def is_system(actor: Actor) -> bool:
    """True for the command-line system actor (no user id, role ``systeem``)."""
    return actor.is_system


def current_role(session: Session, actor: Actor) -> str | None:
    """The actor's role as the database has it now, or None when the account may not act.

    None for an unknown user id, an inactive account, or an actor whose claimed role
    is no longer the account's role (a changed role takes effect at once). Read once
    per unit of work (cached in ``session.info``; forgotten when an account is
    flushed, and on commit and rollback). The system actor's role is ``systeem``.
    """
    if is_system(actor):
        return SYSTEM_ROLE
    if not valid_id(actor.user_id):
        return None
    cache: dict[int, str | None] = session.info.setdefault(_ROLE_CACHE, {})
    if actor.user_id not in cache:
        row = session.execute(
            select(User.rol, User.actief).where(User.id == actor.user_id)
        ).one_or_none()
        cache[actor.user_id] = row.rol if row is not None and row.actief else None
    role = cache[actor.user_id]
    return role if role == actor.rol else None


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_roles(session: Session, *_args) -> None:
    session.info.pop(_ROLE_CACHE, None)


@event.listens_for(Session, "after_flush")
def _forget_roles_of_changed_accounts(session: Session, _context) -> None:
    # Every audit row flushes; only a flush that writes an account can change a role.
    if _ROLE_CACHE in session.info and any(
        isinstance(obj, User) for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        session.info.pop(_ROLE_CACHE, None)


def refuse(
    session: Session,
    actor: Actor,
    actie: Event,
    object_type: str | None,
    object_id: object,
    message: str,
) -> NoReturn:
    """End the unit of work with a refusal: roll back, commit one audit row, raise.

    Anything half-done in the session is discarded; the ``geweigerd`` row is kept
    even though the caller's unit of work fails.
    """
    session.rollback()
    audit.access_refused(session, actor, actie, object_type, object_id)
    session.commit()
    raise AccessDenied(message)


def authorize(session: Session, actor: Actor, action: str) -> str:
    """Refuse (audited) unless the actor's current role may perform ``action``; return the role.

    ``action`` is a key of :data:`PERMISSIONS` (an unknown key is a programming
    error: ``KeyError``). The system actor always may (returns ``systeem``).
    """
    permission = PERMISSIONS[action]
    role = current_role(session, actor)
    if role == SYSTEM_ROLE:
        return role
    if role is None or role not in permission.roles:
        refuse(session, actor, permission.event, permission.object_type, None, permission.message)
    return role


# --- households: the rule registry --------------------------------------------------------

HouseholdRule = Callable[[Session, Actor, int], str | None]
"""A household rule returns the reason access is granted (e.g. ``"regiehouder"``), or None."""

_RULES: dict[str, list[HouseholdRule]] = {}


def register_household_rule(role: str, rule: HouseholdRule) -> HouseholdRule:
    """Add a rule that can grant ``role`` access to a household (rules are OR-ed, in order).

    Registering the same rule twice has no effect. ``kiss`` and ``beheer`` never
    see a household, so no rule can be registered for them (a :class:`ValueError`:
    that is a programming error, not user input).
    """
    if role in NEVER_HOUSEHOLD or role not in ROLES:
        raise ValueError(f"no household rule can be registered for role {role!r}")
    rules = _RULES.setdefault(role, [])
    if rule not in rules:
        rules.append(rule)
    return rule


def household_rules() -> dict[str, tuple[HouseholdRule, ...]]:
    """The registered rules per role (a copy)."""
    return {role: tuple(rules) for role, rules in _RULES.items() if rules}


def clear_household_rules() -> None:
    """Forget every rule (tests: without ``bootstrap()`` nobody sees a household)."""
    _RULES.clear()


def valid_id(value: object) -> bool:
    """True for an int id the database can hold (ids come from widgets and URLs)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def household_access_reason(session: Session, actor: Actor, household_id: int) -> str | None:
    """Why ``actor`` may see the household (the first rule that grants), or None. No audit row."""
    role = current_role(session, actor)
    if role == SYSTEM_ROLE:
        return SYSTEM_ROLE
    if role is None or role in NEVER_HOUSEHOLD or not valid_id(household_id):
        return None
    for rule in _RULES.get(role, ()):
        reason = rule(session, actor, household_id)
        if reason:
            return reason
    return None


def may_see_household(session: Session, actor: Actor, household_id: int) -> bool:
    """True when ``actor`` has need-to-know for this household (no audit row)."""
    return household_access_reason(session, actor, household_id) is not None


def require_household_access(
    session: Session, actor: Actor, household_id: int, event: Event = Event.HUISHOUDEN_INZIEN
) -> str:
    """Refuse (audited as ``event``, :class:`AccessDenied`) unless ``actor`` may see the household.

    Returns the reason access is granted (the purpose of the opening, ``regiehouder``,
    ``casustafel <naam>``, ``proeftuin <naam>``, ...): the ``doel`` of the read's audit row.
    """
    reason = household_access_reason(session, actor, household_id)
    if reason is None:
        refuse(session, actor, event, "household", household_id, MSG_NO_HOUSEHOLD)
    return reason
