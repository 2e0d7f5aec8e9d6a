"""The shared language of the logbook: stressors and the 1–5 anchors of the triangle.

The stressor vocabulary is data (table ``stressor_term``); :data:`DEFAULT_STRESSORS`
seeds it and is the fallback while the table is empty. The anchors follow the
Zelfredzaamheid-Matrix: 1 acuut/crisis, 2 niet zelfredzaam, 3 beperkt
zelfredzaam, 4 voldoende zelfredzaam, 5 stabiel/volledig zelfredzaam.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from experiments.models import StressorTerm
from households import audit
from households.access import authorize
from households.actor import Actor
from households.errors import Conflict, InvalidInput

__all__ = [
    "DEFAULT_STRESSORS",
    "ANCHORS",
    "SCORE_LABELS",
    "LEVEL_NAMES",
    "anchor_text",
    "stressor_vocabulary",
    "ensure_vocabulary",
    "add_stressor",
]

DEFAULT_STRESSORS: tuple[str, ...] = (
    "financiële stress",
    "schulden",
    "dreigende huisuitzetting",
    "onzeker inkomen",
    "gezondheid",
    "psychische problemen",
    "verslaving",
    "relatie/gezin",
    "opvoeding",
    "eenzaamheid",
    "veiligheid/geweld",
    "taal en regels",
    "werk",
)

SCORE_LABELS = {
    "bestaanszekerheid": "Bestaanszekerheid",
    "zorgcontinuiteit": "Continuïteit van zorg & ondersteuning",
    "meedoen": "Meedoen",
    "veiligheid": "Veiligheid",
}

LEVEL_NAMES = {
    1: "acuut / crisis",
    2: "niet zelfredzaam",
    3: "beperkt zelfredzaam",
    4: "voldoende zelfredzaam",
    5: "stabiel / volledig zelfredzaam",
}

ANCHORS: dict[str, dict[int, str]] = {
    "bestaanszekerheid": {
        1: "Geen of plotseling weggevallen inkomen; huisuitzetting of afsluiting dreigt; "
        "schulden groeien zonder hulp.",
        2: "Inkomen onvoldoende voor basisbehoeften; betalingsachterstanden; "
        "geen regeling of hulp bij schulden.",
        3: "Inkomen net toereikend met hulp (uitkering, toeslagen, regelingen); "
        "schulden in beeld, regeling loopt of is aangevraagd.",
        4: "Inkomen dekt de vaste lasten; geen nieuwe achterstanden; "
        "schuldregeling wordt nagekomen.",
        5: "Stabiel inkomen, buffer voor tegenvallers; geen problematische schulden.",
    },
    "zorgcontinuiteit": {
        1: "Acute zorg- of steunvraag zonder hulp; hulp is weggevallen of afgewezen; "
        "niemand houdt regie.",
        2: "Hulp versnipperd of met wachttijd; steeds nieuwe gezichten; "
        "huishouden weet niet bij wie het terecht kan.",
        3: "Hulp komt op gang; afspraken met meerdere partijen, maar nog niet op elkaar afgestemd.",
        4: "Vaste hulpverlener(s) en één regiehouder; afspraken worden nagekomen.",
        5: "Passende, doorlopende ondersteuning of geen hulp meer nodig; "
        "huishouden weet zelf de weg.",
    },
    "meedoen": {
        1: "Volledig geïsoleerd; geen contacten, geen dagbesteding, kinderen thuis of verzuim.",
        2: "Weinig contacten; geen werk, school of vrijwilligerswerk; trekt zich terug.",
        3: "Enkele contacten of activiteit, onregelmatig; werk of school wankel.",
        4: "Regelmatige dagbesteding (werk, school, vrijwilligerswerk) en een sociaal netwerk.",
        5: "Doet volwaardig mee; steunt zelf anderen in buurt of netwerk.",
    },
    "veiligheid": {
        1: "Acuut onveilig: geweld, bedreiging of (dreigende) dakloosheid; direct ingrijpen nodig.",
        2: "Onveilige situatie of zorgen over veiligheid van kinderen; "
        "politie of Veilig Thuis betrokken.",
        3: "Risico's bekend en besproken; er is een veiligheidsplan of toezicht.",
        4: "Geen incidenten meer; afspraken worden nagekomen.",
        5: "Veilig en stabiel thuis; geen zorgen over veiligheid.",
    },
}


def anchor_text(score_name: str, level: int) -> str:
    """The anchor text of ``level`` (1–5) for a corner or ``veiligheid``.

    >>> anchor_text("meedoen", 5).startswith("Doet volwaardig mee")
    True
    """
    return ANCHORS[score_name][level]


def stressor_vocabulary(session: Session) -> list[str]:
    """The active stressor terms in display order (defaults while the table is empty)."""
    rows = session.scalars(
        select(StressorTerm.term)
        .where(StressorTerm.actief.is_(True))
        .order_by(StressorTerm.volgorde, StressorTerm.id)
    ).all()
    if rows:
        return list(rows)
    has_any = session.scalar(select(func.count()).select_from(StressorTerm)) or 0
    return [] if has_any else list(DEFAULT_STRESSORS)


def ensure_vocabulary(session: Session) -> None:
    """Seed the default stressor terms (idempotent)."""
    known = set(session.scalars(select(StressorTerm.term)).all())
    for i, term in enumerate(DEFAULT_STRESSORS):
        if term not in known:
            session.add(StressorTerm(term=term, volgorde=i, actief=True))
    session.flush()


def add_stressor(session: Session, actor: Actor, term: str) -> StressorTerm:
    """Extend the vocabulary with a new term (``beheer`` or ``gbd``)."""
    authorize(session, actor, "stressor_toevoegen")
    term = (term or "").strip().lower()
    if not 3 <= len(term) <= 60:
        raise InvalidInput("Een stressor moet 3 tot 60 tekens lang zijn.")
    ensure_vocabulary(session)
    if session.scalar(select(StressorTerm).where(StressorTerm.term == term)) is not None:
        raise Conflict(f"De stressor '{term}' bestaat al.")
    volgorde = (session.scalar(select(func.max(StressorTerm.volgorde))) or 0) + 1
    row = StressorTerm(term=term, volgorde=volgorde, actief=True)
    session.add(row)
    session.flush()
    audit.record(
        session, actor, audit.Event.STRESSOR_TOEVOEGEN, "stressor_term", row.id, nieuw=term
    )
    return row
