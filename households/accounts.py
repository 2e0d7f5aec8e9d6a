"""Accounts: Argon2id password hashes, login with lockout, user administration.

Every login attempt is audited (actie ``inloggen``; resultaat ``ok``, ``mislukt``
or ``geblokkeerd``). An unknown name and a wrong password give the same message
and take the same time (a dummy hash is verified), so the login form does not
reveal which names exist. After :data:`MAX_FAILED_ATTEMPTS` consecutive failures
the account is locked for :data:`LOCKOUT`. The attempted name of an unknown
account is not stored: people type passwords into the name field.

Administration (:func:`create_user`, :func:`set_active`, :func:`reset_lockout`)
is for ``beheer`` and the command-line system actor only, and is audited
without any password.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from households import audit, sessions
from households.access import PERMISSIONS, authorize, current_role
from households.actor import SYSTEM, Actor
from households.db import utcnow
from households.errors import AccessDenied, InvalidInput, NotFound
from households.models import USER_ROLES, User
from households.partner_accounts import demo_institution, institution_for_role
from households.passwords import MAX_LENGTH, MIN_LENGTH, check_new_password
from households.settings import demo_password

__all__ = [
    "MAX_FAILED_ATTEMPTS",
    "LOCKOUT",
    "MIN_PASSWORD_LENGTH",
    "UserInfo",
    "hash_password",
    "create_user",
    "authenticate",
    "create_demo_users",
    "list_users",
    "set_active",
    "reset_lockout",
    "change_role",
    "reset_password",
    "actor_is_current",
]

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = MIN_LENGTH  # households/passwords.py (NIST SP 800-63B)
MAX_PASSWORD_LENGTH = MAX_LENGTH  # Argon2 takes any length; this bounds the work per attempt

# One answer for an unknown name, a wrong password, an inactive and a locked account (and the
# same work: a password hash is verified in every case), so a guesser learns nothing.
MSG_LOGIN_FAILED = (
    "Inloggen is niet gelukt: de naam of het wachtwoord klopt niet, of het account is "
    "tijdelijk geblokkeerd na te veel pogingen. Probeer het over 15 minuten opnieuw of vraag "
    "functioneel beheer om hulp."
)
MSG_LOCKED = MSG_LOGIN_FAILED

_NAME_RE = re.compile(r"[a-z0-9][a-z0-9._@-]{1,79}")
_UNKNOWN = Actor(user_id=None, naam="onbekend", rol="onbekend")

# One (naam, rol, weergavenaam) per role: print-friendly demo accounts.
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    ("voordeur", "voordeur", "Anouk Jansen (voordeur)"),
    ("gbd", "gbd", "Bram Hermans (GBD)"),
    ("ervaringswerker", "ervaringswerker", "Esra Demir (ervaringswerker)"),
    ("partner", "partner", "Petra Wolters (Weller Wonen)"),
    ("kiss", "kiss", "Kees Smeets (KISS)"),
    ("beheer", "beheer", "Bea Vliegen (beheer)"),
)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # Argon2id with argon2-cffi's (RFC 9106 low-memory) defaults


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("dummy-wachtwoord-voor-gelijke-tijd")


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password`` (the only form a password is stored in)."""
    return _hasher().hash(password)


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _normalise_name(naam: object) -> str | None:
    """The canonical login name (stripped, lower case), or None when it cannot be one."""
    if not isinstance(naam, str):
        return None
    key = naam.strip().lower()
    return key if _NAME_RE.fullmatch(key) else None


def _usable_password(password: object) -> bool:
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _has_control_chars(value: str) -> bool:
    return any(ord(c) < 32 or 127 <= ord(c) < 160 or 0xD800 <= ord(c) <= 0xDFFF for c in value)


def actor_is_current(session: Session, actor: Actor) -> bool:
    """True when ``actor`` is the system, or an active account that still has this role.

    The app shell checks this on every rerun, so a deactivated account or a changed
    role takes effect at once instead of at the end of the browser session.
    """
    if current_role(session, actor) is None:
        return False
    if actor.is_system:
        return True
    return session.scalar(select(User.naam).where(User.id == actor.user_id)) == actor.naam


def _check_password(password: object, key: str) -> None:
    """The password rules of every new password (a new account or a reset): NIST SP 800-63B."""
    check_new_password(password, key)


def _validate_new_user(
    session: Session, naam: object, rol: object, password: object, weergavenaam: object
) -> tuple[str, str, str | None]:
    key = _normalise_name(naam)
    if key is None:
        raise InvalidInput(
            "Gebruikersnaam: 2 tot 80 tekens, alleen kleine letters, cijfers en . _ - @ "
            "(beginnend met een letter of cijfer)."
        )
    if rol not in USER_ROLES:
        raise InvalidInput(f"Onbekende rol {rol!r}; kies uit: {', '.join(USER_ROLES)}.")
    if weergavenaam is not None:
        if not isinstance(weergavenaam, str):
            raise InvalidInput("Weergavenaam moet tekst zijn.")
        weergavenaam = weergavenaam.strip() or None
        if weergavenaam and (len(weergavenaam) > 120 or _has_control_chars(weergavenaam)):
            raise InvalidInput("Weergavenaam: hoogstens 120 tekens, zonder stuurtekens.")
    _check_password(password, key)
    if session.scalar(select(User.id).where(User.naam == key)) is not None:
        raise InvalidInput(f"Er bestaat al een gebruiker met de naam {key!r}.")
    return key, rol, weergavenaam


def create_user(
    session: Session,
    actor: Actor,
    naam: str,
    rol: str,
    password: str,
    weergavenaam: str | None = None,
    institution_id: int | None = None,
) -> User:
    """Create an account (``beheer`` or the system actor only); audited without the password.

    The name is stored in lower case. A ``partner`` is bound to one institution
    (``institution_id``, required for that role only). Raises :class:`InvalidInput` for a
    bad name, unknown role, a taken name, a missing institution or a password shorter than
    12 characters; nothing is written unless everything is valid.
    """
    authorize(session, actor, "gebruiker_aanmaken")
    key, rol, weergavenaam = _validate_new_user(session, naam, rol, password, weergavenaam)
    institution_id = institution_for_role(session, rol, institution_id)
    user = User(
        naam=key,
        rol=rol,
        institution_id=institution_id,
        weergavenaam=weergavenaam,
        wachtwoord_hash=hash_password(password),
        mislukte_pogingen=0,
        actief=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor, audit.Event.GEBRUIKER_AANMAKEN, "user", user.id,
        nieuw={"naam": key, "rol": rol, "weergavenaam": weergavenaam, "instelling": institution_id},
    )  # fmt: skip
    return user


def _fail(session: Session, actor: Actor, user_id, resultaat: str, message: str, **nieuw):
    audit.login_attempt(session, actor, resultaat, user_id=user_id, details=nieuw or None)
    session.commit()  # the failure counts even though the caller's unit of work fails
    raise AccessDenied(message)


def authenticate(
    session: Session, naam: str, password: str, now: dt.datetime | None = None
) -> Actor:
    """Check a name and password; return the :class:`Actor` or raise :class:`AccessDenied`.

    One generic message for an unknown name, an inactive account and a wrong
    password; a lock message while the account is locked. Failures are committed
    (counter and audit row) before the exception; a success resets the counter and
    is audited in the caller's unit of work.
    """
    now = now or utcnow()
    key = _normalise_name(naam)
    user = None
    if key is not None:
        user = session.scalar(select(User).where(User.naam == key).with_for_update())
    if user is None:
        _verify(_dummy_hash(), password if _usable_password(password) else "")
        _fail(session, _UNKNOWN, None, "mislukt", MSG_LOGIN_FAILED)
    actor = Actor(user_id=user.id, naam=user.naam, rol=user.rol)
    if not user.actief:
        _verify(_dummy_hash(), password if _usable_password(password) else "")
        _fail(session, actor, user.id, "mislukt", MSG_LOGIN_FAILED, reden="account inactief")
    if user.geblokkeerd_sinds is not None:
        if now < user.geblokkeerd_sinds + LOCKOUT:
            _verify(_dummy_hash(), password if _usable_password(password) else "")
            _fail(session, actor, user.id, "geblokkeerd", MSG_LOCKED)
        user.geblokkeerd_sinds = None  # the lock has expired: a fresh series of attempts
        user.mislukte_pogingen = 0
        session.flush()
    if not (_usable_password(password) and _verify(user.wachtwoord_hash, password)):
        # Atomic in the database (no read-modify-write): concurrent wrong passwords each count.
        count = session.execute(
            update(User).where(User.id == user.id)
            .values(mislukte_pogingen=func.coalesce(User.mislukte_pogingen, 0) + 1)
            .returning(User.mislukte_pogingen)
        ).scalar_one()  # fmt: skip
        locked = count >= MAX_FAILED_ATTEMPTS
        if locked:
            session.execute(
                update(User).where(User.id == user.id, User.geblokkeerd_sinds.is_(None))
                .values(geblokkeerd_sinds=now)
            )  # fmt: skip
        _fail(
            session, actor, user.id, "mislukt", MSG_LOGIN_FAILED,
            mislukte_pogingen=count, geblokkeerd=locked,
        )  # fmt: skip
    user.mislukte_pogingen = 0
    if _hasher().check_needs_rehash(user.wachtwoord_hash):
        user.wachtwoord_hash = hash_password(password)
    audit.login_attempt(session, actor, "ok", user_id=user.id)
    session.flush()
    return actor


def create_demo_users(session: Session) -> list[tuple[str, str, str]]:
    """One demo account per role; returns ``(naam, rol, wachtwoord)`` rows. Idempotent.

    The password comes from ``KISS_DEMO_PASSWORD`` (default
    :data:`households.settings.DEMO_PASSWORD_DEFAULT`): demo data only, never for real accounts.
    """
    password = demo_password()
    rows = []
    for naam, rol, weergavenaam in DEMO_USERS:
        if session.scalar(select(User.id).where(User.naam == naam)) is None:
            inst = demo_institution(session) if rol == "partner" else None
            create_user(session, SYSTEM, naam, rol, password, weergavenaam, inst)
        rows.append((naam, rol, password))
    return rows


@dataclass(frozen=True)
class UserInfo:
    """An account as the beheer page shows it (never the hash)."""

    id: int
    naam: str
    weergavenaam: str | None
    rol: str
    actief: bool
    mislukte_pogingen: int
    geblokkeerd: bool
    aangemaakt_op: dt.datetime
    oidc_id: str | None = None  # the identity at the gemeente's identity provider, if linked


def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    """All accounts, by name (``beheer`` only). ``geblokkeerd`` means locked right now."""
    authorize(session, actor, "gebruikers_inzien")
    now = utcnow()
    return [
        UserInfo(
            id=u.id,
            naam=u.naam,
            weergavenaam=u.weergavenaam,
            rol=u.rol,
            actief=u.actief,
            mislukte_pogingen=u.mislukte_pogingen or 0,
            geblokkeerd=u.geblokkeerd_sinds is not None and now < u.geblokkeerd_sinds + LOCKOUT,
            aangemaakt_op=u.aangemaakt_op,
            oidc_id=u.oidc_id,
        )
        for u in session.scalars(select(User).order_by(User.naam))
    ]


def _get_user(session: Session, user_id: object) -> User:
    valid = isinstance(user_id, int) and not isinstance(user_id, bool) and 0 < user_id < 2**31
    user = session.get(User, user_id) if valid else None
    if user is None:
        raise NotFound("Gebruiker niet gevonden.")
    return user


def set_active(session: Session, actor: Actor, user_id: int, actief: bool) -> None:
    """Activate or deactivate an account (``beheer`` only; not one's own). Audited."""
    actie = "gebruiker_activeren" if actief else "gebruiker_deactiveren"
    authorize(session, actor, actie)
    user = _get_user(session, user_id)
    if not actief and user.id == actor.user_id:
        raise InvalidInput("U kunt uw eigen account niet uitschakelen.")
    old = user.actief
    user.actief = bool(actief)
    if not user.actief:  # every tab of this account is signed out at once
        sessions.end_all_for_user(session, user.id, sessions.ACCOUNT_CHANGED)
    audit.record(
        session,
        actor,
        PERMISSIONS[actie].event,
        "user",
        user.id,
        oud={"actief": old},
        nieuw={"actief": user.actief},
    )


def reset_lockout(session: Session, actor: Actor, user_id: int) -> None:
    """Lift a lock and reset the failure counter (``beheer`` only). Audited."""
    authorize(session, actor, "blokkering_opheffen")
    user = _get_user(session, user_id)
    old = {
        "mislukte_pogingen": user.mislukte_pogingen,
        "geblokkeerd": user.geblokkeerd_sinds is not None,
    }
    user.mislukte_pogingen = 0
    user.geblokkeerd_sinds = None
    audit.record(
        session, actor, audit.Event.BLOKKERING_OPHEFFEN, "user", user.id,
        oud=old, nieuw={"mislukte_pogingen": 0, "geblokkeerd": False},
    )  # fmt: skip


def change_role(
    session: Session, actor: Actor, user_id: int, rol: str, institution_id: int | None = None
) -> None:
    """Give an account another role (``beheer`` only; not one's own). Audited old/new.

    The app shell re-reads the role on every rerun, so the change takes effect at once.
    A ``partner`` needs ``institution_id`` (their one institution); other roles lose it.
    """
    authorize(session, actor, "rol_wijzigen")
    user = _get_user(session, user_id)
    if user.id == actor.user_id:
        raise InvalidInput("U kunt uw eigen rol niet wijzigen.")
    if rol not in USER_ROLES:
        raise InvalidInput(f"Onbekende rol {rol!r}; kies uit: {', '.join(USER_ROLES)}.")
    if rol == user.rol:
        raise InvalidInput(f"{user.naam} heeft de rol {rol} al.")
    institution_id = institution_for_role(session, rol, institution_id)
    old, user.rol, user.institution_id = user.rol, rol, institution_id
    new = {"rol": rol} if institution_id is None else {"rol": rol, "instelling": institution_id}
    audit.record(
        session, actor, audit.Event.ROL_WIJZIGEN, "user", user.id, oud={"rol": old}, nieuw=new
    )  # fmt: skip


def reset_password(session: Session, actor: Actor, user_id: int, password: str) -> int:
    """Set a new password (``beheer`` only; the rules of :func:`create_user`). Audited.

    Ends every open login session of the account; returns how many. The audit row
    never holds the password or its hash.
    """
    authorize(session, actor, "wachtwoord_herstellen")
    user = _get_user(session, user_id)
    _check_password(password, user.naam)
    user.wachtwoord_hash = hash_password(password)
    ended = sessions.end_all_for_user(session, user.id, sessions.ACCOUNT_CHANGED)
    audit.record(
        session, actor, audit.Event.WACHTWOORD_HERSTELLEN, "user", user.id,
        nieuw={"sessies_beeindigd": ended},
    )  # fmt: skip
    return ended
