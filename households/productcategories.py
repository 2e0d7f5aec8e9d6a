"""The iWmo/iJw product-category mapping (table ``productcategorie``), kept by ``beheer``.

Each productcategorie of the code lists WMO020 (iWmo) and JZ020 (iJw) maps to the hub's
(domein, soort): the provision an imported toewijzing becomes. The defaults follow the code
lists (households/istandaarden_codes.py); a gemeente may map a category otherwise (say,
Dagbesteding as ``begeleiding`` or ``vervoer``). The soort must be one of the domain's
provision kinds (:data:`households.models.PROVISION_KINDS_BY_DOMAIN`), and an iWmo category
stays in the Wmo, an iJw one in Jeugd: the standard decides the law, the gemeente the kind.
A change applies to messages imported after it; provisions already imported keep theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import InvalidInput, NotFound
from households.models import PROVISION_KINDS_BY_DOMAIN, ProductCategory

__all__ = ["DOMAIN_OF_STANDARD", "CategoryRow", "list_categories", "update_category"]

DOMAIN_OF_STANDARD = {"iwmo": "WMO", "ijw": "JEUGD"}


@dataclass(frozen=True)
class CategoryRow:
    """One productcategorie as plain values."""

    standaard: str
    code: str
    omschrijving: str
    domein: str
    soort: str


def list_categories(session: Session) -> tuple[CategoryRow, ...]:
    """Every productcategorie, by standard and code (reference data, no personal data)."""
    rows = session.scalars(
        select(ProductCategory).order_by(ProductCategory.standaard.desc(), ProductCategory.code)
    )
    return tuple(CategoryRow(r.standaard, r.code, r.omschrijving, r.domein, r.soort) for r in rows)


def update_category(
    session: Session, actor: Actor, standaard: str, code: str, soort: str | None
) -> CategoryRow:
    """Map productcategorie (``standaard``, ``code``) to ``soort`` (role ``beheer``, audited)."""
    authorize(session, actor, "productcategorie_wijzigen")
    row = session.get(ProductCategory, (standaard, code)) if standaard and code else None
    if row is None:
        raise NotFound("Productcategorie niet gevonden.")
    domein = DOMAIN_OF_STANDARD[row.standaard]
    if soort not in PROVISION_KINDS_BY_DOMAIN[domein]:
        allowed = ", ".join(PROVISION_KINDS_BY_DOMAIN[domein])
        raise InvalidInput(f"Kies een soort voorziening van {domein}: {allowed}.")
    old = {"domein": row.domein, "soort": row.soort}
    row.domein, row.soort = domein, soort
    session.flush()
    new = {"domein": domein, "soort": soort}
    audit.record(session, actor, audit.Event.PRODUCTCATEGORIE_WIJZIGEN, "productcategorie",
                 f"{standaard}:{code}", oud=old, nieuw=new)  # fmt: skip
    return CategoryRow(row.standaard, row.code, row.omschrijving, row.domein, row.soort)
