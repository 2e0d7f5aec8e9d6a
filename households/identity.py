"""Sign-in through the gemeente's identity provider (OpenID Connect): claims to an actor.

The identity provider says *who* someone is; the KISS hub decides whether
they may enter. A user is let in only when an active account in ``app_user``
carries the verified claim (``match_claim``, e.g. ``email`` or ``sub``) in its
``oidc_id`` column. The role comes from that account, or — when a
``role_claim`` is configured — from the provider's claim (mapped through
``role_map``); the account is then updated to that role (audited), so the
user table stays the one place where roles are read.

Every attempt is audited with :func:`households.audit.login_attempt`
(``via: oidc``); a refusal is committed before it is raised, like a failed
password login.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize
from households.accounts import create_user
from households.actor import Actor
from households.errors import AccessDenied, InvalidInput, NotFound
from households.models import USER_ROLES, User

__all__ = [
    "MSG_UNKNOWN",
    "MSG_INACTIVE",
    "MSG_NO_CLAIM",
    "MSG_NO_ROLE",
    "normalise_oidc_id",
    "sign_in_with_claims",
    "link_identity",
    "create_oidc_user",
]

MSG_UNKNOWN = (
    "U bent bij de gemeente aangemeld, maar u heeft (nog) geen account in de KISS hub. "
    "Vraag functioneel beheer om u toe te voegen."
)
MSG_INACTIVE = "Uw account in de KISS hub is uitgeschakeld. Neem contact op met functioneel beheer."
MSG_NO_CLAIM = (
    "De identiteitsprovider van de gemeente gaf geen {claim} door; inloggen is niet mogelijk. "
    "Neem contact op met functioneel beheer."
)
MSG_NO_ROLE = (
    "Uw account bij de gemeente geeft geen (eenduidige) rol voor de KISS hub. "
    "Neem contact op met functioneel beheer."
)
_MAX_ID_LENGTH = 255
_UNKNOWN = Actor(user_id=None, naam="onbekend", rol="onbekend")


def normalise_oidc_id(value: object) -> str | None:
    """The stored form of a claim value: stripped; an e-mail address in lower case.

    >>> normalise_oidc_id("  A.Jansen@Brunssum.NL ")
    'a.jansen@brunssum.nl'
    >>> normalise_oidc_id("Xy-123") is None, normalise_oidc_id("")
    (False, None)
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > _MAX_ID_LENGTH or not value.isprintable():
        return None
    return value.lower() if "@" in value else value


def _refuse(
    session: Session, actor: Actor, user_id: int | None, message: str, **details: Any
) -> None:
    session.rollback()
    audit.login_attempt(
        session, actor, "geweigerd", user_id=user_id, details={"via": "oidc", **details}
    )
    session.commit()  # the refusal is kept even though the caller's unit of work fails
    raise AccessDenied(message)


def _role_from_claim(value: object, role_map: Mapping[str, str] | None) -> str | None:
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    mapping = dict(role_map) if role_map else {r: r for r in USER_ROLES}
    roles = {mapping[v] for v in values if isinstance(v, str) and v in mapping}
    roles &= set(USER_ROLES)
    return roles.pop() if len(roles) == 1 else None


def sign_in_with_claims(
    session: Session,
    claims: Mapping[str, Any],
    match_claim: str = "email",
    role_claim: str | None = None,
    role_map: Mapping[str, str] | None = None,
) -> Actor:
    """The :class:`Actor` for verified ID-token claims, or :class:`AccessDenied` (audited).

    Refused in Dutch: a missing claim, no account with this ``oidc_id``, an
    inactive account, or (with ``role_claim``) no single known role. The claim
    value of an unknown account is audited so beheer can see who tried.
    """
    key = normalise_oidc_id(claims.get(match_claim))
    if key is None:
        _refuse(session, _UNKNOWN, None, MSG_NO_CLAIM.format(claim=match_claim), reden="geen claim")
    user = session.scalar(select(User).where(User.oidc_id == key).with_for_update())
    if user is None:
        _refuse(session, _UNKNOWN, None, MSG_UNKNOWN, reden="onbekend account", claim=key)
    actor = Actor(user_id=user.id, naam=user.naam, rol=user.rol)
    if not user.actief:
        _refuse(session, actor, user.id, MSG_INACTIVE, reden="account inactief")
    if role_claim:
        rol = _role_from_claim(claims.get(role_claim), role_map)
        if rol is None or (rol == "partner" and user.institution_id is None):
            _refuse(session, actor, user.id, MSG_NO_ROLE, reden="geen rol in claim")
        if rol != user.rol:
            audit.record(
                session, actor, audit.Event.ROL_UIT_IDENTITEITSPROVIDER, "user", user.id,
                oud={"rol": user.rol}, nieuw={"rol": rol},
            )  # fmt: skip
            user.rol = rol
            actor = Actor(user_id=user.id, naam=user.naam, rol=rol)
    audit.login_attempt(session, actor, "ok", user_id=user.id, details={"via": "oidc"})
    session.flush()
    return actor


def link_identity(session: Session, actor: Actor, user_id: int, oidc_id: str | None) -> None:
    """Set or clear the identity-provider claim of an account (``beheer`` only). Audited."""
    authorize(session, actor, "identiteit_koppelen")
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound("Gebruiker niet gevonden.")
    key = None
    if oidc_id is not None:
        key = normalise_oidc_id(oidc_id)
        if key is None:
            raise InvalidInput("Identiteit bij de gemeente: 1 tot 255 leesbare tekens.")
        taken = session.scalar(select(User.id).where(User.oidc_id == key, User.id != user.id))
        if taken is not None:
            raise InvalidInput("Deze identiteit is al aan een ander account gekoppeld.")
    old = user.oidc_id
    user.oidc_id = key
    audit.record(
        session, actor, audit.Event.IDENTITEIT_KOPPELEN, "user", user.id,
        oud={"oidc_id": old}, nieuw={"oidc_id": key},
    )  # fmt: skip


def create_oidc_user(
    session: Session,
    actor: Actor,
    naam: str,
    rol: str,
    oidc_id: str,
    weergavenaam: str | None = None,
    institution_id: int | None = None,
) -> User:
    """An account that signs in through the identity provider only (``beheer``). Audited.

    Its password is a random secret that is never shown, so the password form
    cannot be used for it.
    """
    user = create_user(
        session, actor, naam, rol, secrets.token_urlsafe(32), weergavenaam, institution_id
    )
    link_identity(session, actor, user.id, oidc_id)
    return user
