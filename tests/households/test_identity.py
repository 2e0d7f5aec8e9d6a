"""Sign-in through the identity provider: verified claims to an account, refusals audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from households.accounts import authenticate, create_user, set_active
from households.actor import SYSTEM, Actor
from households.errors import AccessDenied, InvalidInput, KissError
from households.identity import (
    MSG_INACTIVE,
    MSG_NO_ROLE,
    MSG_UNKNOWN,
    create_oidc_user,
    link_identity,
    sign_in_with_claims,
)
from households.models import AuditEvent, User


@pytest.fixture
def kees(session) -> User:
    user = create_oidc_user(session, SYSTEM, "kees", "kiss", "Kees.Smeets@Brunssum.nl")
    session.commit()
    return user


def _logins(session) -> list[tuple[str, dict]]:
    rows = session.execute(
        select(AuditEvent.resultaat, AuditEvent.nieuw)
        .where(AuditEvent.actie == "inloggen")
        .order_by(AuditEvent.id)
    ).all()
    return [(r, json.loads(n) if n else {}) for r, n in rows]


def test_the_email_claim_finds_the_account_and_its_role(session, kees):
    actor = sign_in_with_claims(session, {"email": "kees.smeets@brunssum.nl", "sub": "x1"})
    assert actor == Actor(kees.id, "kees", "kiss")
    assert _logins(session) == [("ok", {"via": "oidc"})]


def test_matching_on_sub(session):
    user = create_oidc_user(session, SYSTEM, "bram", "gbd", "AbC-123")
    session.commit()
    actor = sign_in_with_claims(session, {"sub": "AbC-123"}, match_claim="sub")
    assert actor.user_id == user.id
    with pytest.raises(AccessDenied):
        sign_in_with_claims(session, {"sub": "abc-123"}, match_claim="sub")  # sub is exact


def test_an_unknown_account_is_refused_in_dutch_and_audited(session, kees):
    with pytest.raises(AccessDenied) as exc:
        sign_in_with_claims(session, {"email": "onbekend@brunssum.nl"})
    assert str(exc.value) == MSG_UNKNOWN
    assert _logins(session) == [
        ("geweigerd", {"via": "oidc", "reden": "onbekend account", "claim": "onbekend@brunssum.nl"})
    ]


def test_a_deactivated_account_is_refused(session, kees):
    set_active(session, SYSTEM, kees.id, False)
    session.commit()
    with pytest.raises(AccessDenied) as exc:
        sign_in_with_claims(session, {"email": "kees.smeets@brunssum.nl"})
    assert str(exc.value) == MSG_INACTIVE
    assert _logins(session)[-1] == ("geweigerd", {"via": "oidc", "reden": "account inactief"})


def test_a_missing_claim_is_refused(session, kees):
    with pytest.raises(AccessDenied) as exc:
        sign_in_with_claims(session, {"sub": "x"})
    assert "email" in str(exc.value)


def test_the_role_can_come_from_a_claim_and_is_written_to_the_account(session, kees):
    role_map = {"KISS-Voordeur": "voordeur", "KISS-Regie": "kiss"}
    claims = {"email": "kees.smeets@brunssum.nl", "groups": ["Alle medewerkers", "KISS-Voordeur"]}
    actor = sign_in_with_claims(session, claims, role_claim="groups", role_map=role_map)
    assert actor.rol == "voordeur"
    assert session.get(User, kees.id).rol == "voordeur"
    change = session.scalars(
        select(AuditEvent.nieuw).where(AuditEvent.actie == "rol_uit_identiteitsprovider")
    ).one()
    assert json.loads(change) == {"rol": "voordeur"}


def test_no_or_two_roles_in_the_claim_is_refused(session, kees):
    role_map = {"A": "voordeur", "B": "kiss"}
    for groups in ([], ["C"], ["A", "B"]):
        claims = {"email": "kees.smeets@brunssum.nl", "groups": groups}
        with pytest.raises(AccessDenied) as exc:
            sign_in_with_claims(session, claims, role_claim="groups", role_map=role_map)
        assert str(exc.value) == MSG_NO_ROLE
    assert session.get(User, kees.id).rol == "kiss"


def test_an_identity_belongs_to_one_account(session, kees):
    other = create_user(session, SYSTEM, "anna", "gbd", "correct-paard-batterij")
    with pytest.raises(InvalidInput):
        link_identity(session, SYSTEM, other.id, "KEES.smeets@brunssum.nl")


def test_only_beheer_links_identities(session, kees):
    anna = create_user(session, SYSTEM, "anna", "gbd", "correct-paard-batterij")
    session.commit()
    with pytest.raises(KissError):
        link_identity(session, Actor(anna.id, "anna", "gbd"), anna.id, "anna@brunssum.nl")
    assert session.get(User, anna.id).oidc_id is None


def test_an_identity_only_account_cannot_use_the_password_form(session, kees):
    for guess in ("", "kees", "correct-paard-batterij"):
        with pytest.raises(AccessDenied):
            authenticate(session, "kees", guess)
