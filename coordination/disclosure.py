"""Who sees the content of which data category, and on what recorded reason (DESIGN 8.2).

The one place of the role × category matrix. Access to a household (need-to-know,
:mod:`households.access`) says *whether* a user may open it; this module says *what* of
it they see. Each household rule that grants access has a **ground** (its ``grond``
attribute): ``doel`` (an opening with a typed purpose), ``regie`` (the regie holder),
``tafel`` (the household is on the agenda of a case table the user sits at),
``tafel_veiligheid`` (that table is the Tafel sociale veiligheid) or ``proeftuin``
(enrolled in the user's own experiment). :data:`CONTENT_GROUNDS` names, per category
(:mod:`households.categories`), the grounds that show its content. A user with access
but without such a ground sees only "bekend bij <domein> — contact: <team>" for that
category (like the Verwijsindex); a role without household access sees nothing.

The household views (:mod:`coordination.picture`, :func:`coordination.frontdoor.household_view`,
:func:`coordination.graph.household_graph`) filter through :func:`disclosure` and write
the audit row with :func:`audit_view`: the purpose, the basis (grondslag) and which
categories were shown with content and which as "bekend bij".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

import networkx as nx
from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.casetables import TAFEL_VEILIGHEID
from coordination.models import AgendaItem, CaseTable, CaseTableMember
from households import audit
from households.access import SYSTEM_ROLE, current_role, household_rules
from households.actor import Actor
from households.categories import (
    CATEGORIES,
    category_of_debt,
    category_of_involvement,
    category_of_provision,
    category_of_request,
    category_of_signal,
    known_at,
)

__all__ = [
    "CONTENT_GROUNDS", "GROUND_LABELS", "ROLE_GROUNDS", "Disclosure", "audit_view",
    "disclosure", "filter_graph", "matrix", "matrix_table", "stacking_for", "visibility",
]  # fmt: skip

GROUND_LABELS = {
    "doel": "geopend met een doel", "regie": "regiehouder",
    "tafel": "casustafel (huishouden op de agenda)",
    "tafel_veiligheid": "Tafel sociale veiligheid (huishouden op de agenda)",
    "proeftuin": "proeftuin (ingeschreven, met toestemming)", "systeem": "systeem (beheercommando)",
}  # fmt: skip
#: the grounds a role can have for a household (no ground: the role never sees a household)
ROLE_GROUNDS: dict[str, tuple[str, ...]] = {
    "voordeur": ("doel",),
    "gbd": ("doel", "regie", "tafel", "tafel_veiligheid", "proeftuin"),
    "ervaringswerker": ("proeftuin",),
    "partner": (), "kiss": (), "beheer": (),
}  # fmt: skip

_ALL = frozenset({"regie", "tafel_veiligheid", "systeem"})  # every category's content
_DOOR = _ALL | {"doel", "tafel"}  # the domains a front door and a table work with
#: category -> the grounds that show its content (the matrix; README "Wie ziet wat")
CONTENT_GROUNDS: dict[str, frozenset[str]] = {
    "basis": _DOOR | {"proeftuin"},
    "wmo": _DOOR, "jeugd": _DOOR, "participatie": _DOOR, "minima": _DOOR,
    "schulden": _DOOR, "overlast": _DOOR,
    "jeugdbescherming": _ALL | {"tafel"},  # with regie or at a table with it on the agenda
    "veiligheid": _ALL, "isd_boete": _ALL,  # regie holder and Tafel sociale veiligheid only
    "stabiliteit": _ALL | {"tafel", "proeftuin"},
    "plan": _DOOR | {"proeftuin"},
}  # fmt: skip
assert set(CONTENT_GROUNDS) == set(CATEGORIES)


def visibility(role: str, grounds: frozenset[str] | set[str], category: str) -> str | None:
    """``"inhoud"``, ``"bekend"`` (bekend bij, no content) or None (nothing) for one cell.

    >>> visibility("voordeur", {"doel"}, "veiligheid"), visibility("gbd", {"regie"}, "veiligheid")
    ('bekend', 'inhoud')
    >>> visibility("kiss", set(), "wmo") is None
    True
    """
    if not grounds or (role != SYSTEM_ROLE and not set(grounds) <= set(ROLE_GROUNDS.get(role, ()))):
        return None
    return "inhoud" if CONTENT_GROUNDS[category] & set(grounds) else "bekend"


def matrix() -> list[tuple[str, str, dict[str, str]]]:
    """(role, ground, {category: inhoud/bekend/-}) for every role and each of its grounds."""
    rows = []
    for role, grounds in ROLE_GROUNDS.items():
        for ground in grounds or ("",):
            cells = {c: visibility(role, {ground} if ground else set(), c) or "-"
                     for c in CATEGORIES}  # fmt: skip
            rows.append((role, ground, cells))
    return rows


def matrix_table() -> list[str]:
    """The matrix as the Markdown table of the README ("Wie ziet wat, en waarom")."""
    sym = {"inhoud": "✔", "bekend": "bekend bij", "-": "—"}
    lines = ["| rol — reden | " + " | ".join(f"`{c}`" for c in CATEGORIES) + " |",
             "|---|" + "---|" * len(CATEGORIES)]  # fmt: skip
    for role, ground, cells in matrix():
        label = f"`{role}`" + (f" — {GROUND_LABELS[ground]}" if ground else "")
        lines.append(f"| {label} | " + " | ".join(sym[cells[c]] for c in CATEGORIES) + " |")
    return lines


@dataclass(frozen=True)
class Disclosure:
    """What one user sees of one household: the grounds, the reason and the categories."""

    role: str
    grounds: frozenset[str]
    reden: str
    inhoud: frozenset[str]

    def shows(self, category: str) -> bool:
        """True when the content of ``category`` is shown."""
        return category in self.inhoud

    def known(self, categories) -> tuple[str, ...]:
        """The "bekend bij" lines for the categories present but not shown, in category order."""
        present = set(categories)
        return tuple(known_at(c) for c in CATEGORIES if c in present and c not in self.inhoud)


def _on_safety_table(session: Session, actor: Actor, household_id: int) -> bool:
    return session.scalar(
        select(AgendaItem.id)
        .join(CaseTable, CaseTable.id == AgendaItem.case_table_id)
        .join(CaseTableMember, CaseTableMember.case_table_id == CaseTable.id)
        .where(AgendaItem.household_id == household_id, CaseTable.naam == TAFEL_VEILIGHEID,
               CaseTableMember.user_id == actor.user_id)
        .limit(1)
    ) is not None  # fmt: skip


def disclosure(session: Session, actor: Actor, household_id: int, reden: str) -> Disclosure:
    """The grounds ``actor`` has for the household and the categories whose content they see.

    ``reden`` is the reason :func:`~households.access.require_household_access` returned
    (the caller has checked access). Every registered rule of the role is asked, so a
    user with an opening *and* regie gets the content regie gives.
    """
    role = current_role(session, actor) or ""
    if role == SYSTEM_ROLE:
        grounds = frozenset({"systeem"})
    else:
        found = set()
        for rule in household_rules().get(role, ()):
            if rule(session, actor, household_id):
                found.add(getattr(rule, "grond", "doel"))
        if "tafel" in found and _on_safety_table(session, actor, household_id):
            found.add("tafel_veiligheid")
        grounds = frozenset(found)
    shown = frozenset(c for c in CATEGORIES if visibility(role, grounds, c) == "inhoud")
    return Disclosure(role, grounds, reden, shown)


def audit_view(
    session: Session, actor: Actor, household_id: int, seen: Disclosure, present, grondslag: str
) -> None:
    """The audit row of a household view: purpose and basis, content and "bekend bij" shown."""
    present = set(present)
    audit.record(
        session, actor, audit.Event.HUISHOUDEN_INZIEN, "household", household_id,
        doel=f"{seen.reden} · grondslag: {grondslag}",
        nieuw={"inhoud": sorted(present & seen.inhoud),
               "bekend_bij": sorted(present - seen.inhoud)},
    )  # fmt: skip


def stacking_for(seen: Disclosure, stacking, shown_open_debt: Decimal):
    """The stacking as ``seen`` may show it: without debt content, the open debt is only the
    sum of the debts shown (a hidden ISD fine is not in the total); the reasons name only
    that something exists ("veiligheidssignaal open"), like "bekend bij"."""
    if seen.shows("schulden") and seen.shows("isd_boete"):
        return stacking
    return dataclasses.replace(stacking, debt_outstanding=shown_open_debt)


def _node_category(g: nx.Graph, node: str, a: dict) -> str | None:
    soort = a.get("soort")
    if soort == "voorziening":
        return category_of_provision(a["domein"], a.get("voorziening") or "")
    if soort == "schuldeiser":
        return category_of_debt(a.get("label") or "")
    if soort == "signaal":
        return category_of_signal(a.get("label") or "")
    if soort == "hulpvraag":
        return category_of_request(a.get("domein") or "")
    if soort == "regie":
        return "plan"
    return None if soort == "instelling" else "basis"


def filter_graph(g: nx.Graph, seen: Disclosure) -> set[str]:
    """Remove from ``g`` what ``seen`` may not show; return every category present in it.

    An institution stays while it delivers a provision that is shown or is involved
    (politie, Veilig Thuis ...) in a category that is shown.
    """
    present: set[str] = set()
    hidden = []
    for node, a in g.nodes(data=True):
        cat = _node_category(g, node, a)
        if cat is not None:
            present.add(cat)
            if not seen.shows(cat):
                hidden.append(node)
    root = f"huishouden:{g.graph.get('household_id')}"
    hidden_set = set(hidden)
    for node, a in list(g.nodes(data=True)):
        if a.get("soort") != "instelling":
            continue
        keep = False
        for other in g.neighbors(node):
            if other == root:
                cat = category_of_involvement(g.edges[node, other].get("relatie", ""),
                                              a.get("type"))  # fmt: skip
                present.add(cat)
                keep = keep or seen.shows(cat)
            elif other not in hidden_set:
                keep = True
        if not keep:
            hidden.append(node)
    g.remove_nodes_from(hidden)
    return present
