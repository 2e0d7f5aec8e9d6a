"""The gemeente's identity provider (OpenID Connect through ``st.login`` / ``st.user``).

Switched on by an ``[auth]`` section in ``.streamlit/secrets.toml`` (Streamlit's
own keys: ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
``server_metadata_url``, optionally ``client_kwargs``). How claims become an
account is set in an optional ``[kiss_auth]`` section:

``match_claim``  the claim matched against ``app_user.oidc_id`` (default ``email``)
``role_claim``   a claim that carries the role (default: none, the role is the account's)
``role_map``     a table from the claim's values to roles, e.g. Entra ID group names
``wachtwoord``   ``false`` hides the password form (default ``true``)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from households.actor import Actor
from households.db import session_scope
from households.identity import sign_in_with_claims

__all__ = ["OidcSettings", "settings", "is_signed_in", "claims", "actor_from_provider"]


@dataclass(frozen=True)
class OidcSettings:
    """What the identity-provider sign-in needs beyond Streamlit's ``[auth]`` section."""

    enabled: bool = False
    match_claim: str = "email"
    role_claim: str | None = None
    role_map: dict[str, str] = field(default_factory=dict)
    password_login: bool = True


def _section(name: str) -> dict[str, Any]:
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets.toml at all, or one that does not parse
        return {}
    return value.to_dict() if hasattr(value, "to_dict") else dict(value or {})


def settings() -> OidcSettings:
    """The configured sign-in; ``enabled`` only with an ``[auth]`` section."""
    auth = _section("auth")
    kiss = _section("kiss_auth")
    return OidcSettings(
        enabled=bool(auth),
        match_claim=str(kiss.get("match_claim") or "email"),
        role_claim=kiss.get("role_claim") or None,
        role_map={str(k): str(v) for k, v in (kiss.get("role_map") or {}).items()},
        password_login=bool(kiss.get("wachtwoord", True)) or not auth,
    )


def is_signed_in() -> bool:
    """True when the browser carries Streamlit's identity cookie (``st.user``)."""
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # st.user outside a running app (bare scripts, some tests)
        return False


def claims() -> dict[str, Any]:
    """The verified ID-token claims of the signed-in user (empty when nobody is)."""
    return st.user.to_dict() if is_signed_in() else {}


def actor_from_provider(engine, cfg: OidcSettings) -> Actor:
    """Map the provider's claims to an actor in its own unit of work (raises ``KissError``)."""
    with session_scope(engine) as session:
        return sign_in_with_claims(
            session, claims(), cfg.match_claim, cfg.role_claim, cfg.role_map or None
        )
