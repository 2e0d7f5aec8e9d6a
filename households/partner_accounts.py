"""A ``partner`` account is bound to one institution (DESIGN 2): the rules of that binding.

Used by :mod:`households.accounts` (creating an account, changing a role) and by the
Gebruikers page (the institution picker). The database refuses a partner without an
institution too (check ``partner_instelling`` on ``app_user``); these functions give the
Dutch message before anything is written.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from households.access import authorize, valid_id
from households.actor import Actor
from households.errors import InvalidInput
from households.models import Institution

__all__ = [
    "DEMO_PARTNER_INSTITUTION",
    "institution_for_role",
    "institution_by_code",
    "demo_institution",
    "institutions",
]

# The demo partner's institution: the woningcorporatie of data/reference.py.
DEMO_PARTNER_INSTITUTION = ("INST-007", "Weller Wonen", "woningcorporatie")
MSG_PARTNER_INSTITUTION = "Kies de instelling van de partner: een partner hoort bij één instelling."


def institution_for_role(session: Session, rol: str, institution_id: object) -> int | None:
    """The institution an account with ``rol`` is bound to: required for ``partner``, else None.

    Raises :class:`InvalidInput` for a partner without an existing institution, and for an
    institution given with another role.
    """
    if rol != "partner":
        if institution_id is not None:
            raise InvalidInput("Alleen een partner wordt aan een instelling gekoppeld.")
        return None
    if not valid_id(institution_id) or session.get(Institution, institution_id) is None:
        raise InvalidInput(MSG_PARTNER_INSTITUTION)
    return institution_id


def institution_by_code(session: Session, value: str | None) -> int | None:
    """The id of the institution with code (``INST-007``) or name ``value``; None for None.

    Raises :class:`InvalidInput` (Dutch) when no institution has that code or name.
    """
    if value is None:
        return None
    key = value.strip()
    found = session.scalar(
        select(Institution.id)
        .where((Institution.instelling_id == key) | (Institution.naam == key))
        .order_by(Institution.id)
        .limit(1)
    )
    if found is None:
        raise InvalidInput(
            f"Instelling {key!r} niet gevonden (geef de code, bijv. INST-007, of de naam)."
        )
    return found


def demo_institution(session: Session) -> int:
    """The id of the demo partner's institution (created when the demo data lack it)."""
    code, naam, soort = DEMO_PARTNER_INSTITUTION
    inst = session.scalar(select(Institution).where(Institution.instelling_id == code))
    if inst is None:
        inst = Institution(instelling_id=code, naam=naam, type=soort)
        session.add(inst)
        session.flush()
    return inst.id


def institutions(session: Session, actor: Actor) -> dict[int, str]:
    """Every institution by name (``beheer``: to bind a partner account). ``{id: naam}``."""
    authorize(session, actor, "gebruikers_inzien")
    return dict(
        session.execute(select(Institution.id, Institution.naam).order_by(Institution.naam)).all()
    )
