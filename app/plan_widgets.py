"""The fields of a new plan goal, shared by the Huishouden page and the Casustafel page.

Every choice of a record is a selectbox of ids without a default (``index=None``); the
corner defaults to the life area's corner (:func:`coordination.plan_rules.corner_of`)
unless one is chosen. The service checks everything again (Dutch messages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from coordination.plan_rules import CORNER_LABELS, LIFE_AREA_LABELS, STATUS_LABELS, corner_of
from coordination.regie import gbd_users, institutions
from households.actor import Actor
from households.db import Session

__all__ = ["GoalChoices", "goal_choices", "goal_field_keys", "goal_fields", "OWNER_KINDS"]

OWNER_KINDS = ("GBD-er", "Afdeling", "Instelling")


@dataclass(frozen=True)
class GoalChoices:
    """Who can own a goal: the active GBD-ers and the partner institutions."""

    gbd_users: tuple[tuple[int, str], ...]
    institutions: tuple[tuple[int, str], ...]


def goal_choices(session: Session, actor: Actor) -> GoalChoices:
    """The owners a goal form offers (read inside the page's unit of work)."""
    return GoalChoices(tuple(gbd_users(session, actor)), tuple(institutions(session, actor)))


def goal_field_keys(prefix: str) -> dict[str, object]:
    """The form's widget keys and their empty values (for :class:`app.forms.Form`)."""
    return {
        f"{prefix}_levensgebied": None,
        f"{prefix}_hoek": None,
        f"{prefix}_doel": "",
        f"{prefix}_eigenaar_gbd": None,
        f"{prefix}_afdeling": "",
        f"{prefix}_instelling": None,
        f"{prefix}_evaluatie": None,
    }


def _area_label(code: str) -> str:
    return f"{LIFE_AREA_LABELS[code]} ({CORNER_LABELS[corner_of(code)].lower()})"


def goal_fields(prefix: str, choices: GoalChoices) -> dict[str, object]:
    """Draw the fields of a new goal; return them as keywords for the plan service."""
    c1, c2 = st.columns(2)
    area = c1.selectbox(
        "Levensgebied", list(LIFE_AREA_LABELS), index=None, format_func=_area_label,
        placeholder="Kies een levensgebied", key=f"{prefix}_levensgebied",
    )  # fmt: skip
    corner = c2.selectbox(
        "Hoek van de driehoek", list(CORNER_LABELS), index=None, format_func=CORNER_LABELS.get,
        placeholder="Volgens het levensgebied", key=f"{prefix}_hoek",
        help="Leeg laten: de hoek die bij het levensgebied hoort.",
    )  # fmt: skip
    aim = st.text_area(
        "Doel (concreet, in gewone woorden)", key=f"{prefix}_doel",
        placeholder="Bijvoorbeeld: de huurachterstand is afgelost en de huur wordt op tijd betaald",
    )  # fmt: skip
    c1, c2, c3 = st.columns([1, 2, 1])
    kind = c1.radio("Eigenaar", OWNER_KINDS, key=f"{prefix}_eigenaar_soort")
    owner: dict[str, object] = {}
    if kind == "GBD-er":
        users = dict(choices.gbd_users)
        owner["eigenaar_user_id"] = c2.selectbox(
            "GBD-er", list(users), index=None, format_func=users.get,
            placeholder="Kies een GBD-er", key=f"{prefix}_eigenaar_gbd",
        )  # fmt: skip
    elif kind == "Afdeling":
        owner["eigenaar_afdeling"] = c2.text_input("Afdeling", key=f"{prefix}_afdeling")
    else:
        insts = dict(choices.institutions)
        owner["eigenaar_instelling_id"] = c2.selectbox(
            "Instelling", list(insts), index=None, format_func=insts.get,
            placeholder="Kies een instelling", key=f"{prefix}_instelling",
        )  # fmt: skip
    review = c3.date_input(
        "Evaluatiedatum", value=None, min_value=dt.date.today(), format="DD-MM-YYYY",
        key=f"{prefix}_evaluatie",
    )  # fmt: skip
    return {"levensgebied": area, "hoek": corner, "doel": aim, "evaluatiedatum": review, **owner}


def status_label(code: str | None) -> str:
    """A status as shown (``None``: unchanged)."""
    return "Ongewijzigd" if code is None else STATUS_LABELS[code]
