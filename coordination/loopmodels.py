"""Tables of the loop (DESIGN 4.4): the household plan, referrals to partners, escalations
to KISS and systeemknelpunten.

- :class:`HouseholdPlan` — one plan per household (1 huishouden, 1 plan, 1 regisseur);
  :class:`PlanGoal` — a goal per life area, mapped to a corner of the stability triangle,
  with an owner (GBD-er, department or partner institution), a review date and a status;
  :class:`GoalProgress` — the history of a goal (every status change and progress note).
- :class:`Referral` — a task addressed to a partner institution (from a table action or a
  plan goal) that the partner accepts or declines and closes with an outcome;
  :class:`ReferralMessage` — the partner's responses (acceptance, decline, progress, outcome).
- :class:`AgendaParty` — an institution that is party to an agenda item (its members
  "met mandaat" see that item, not the others).
- :class:`Escalation` — a question from a table to KISS (vraagbaak), e.g. after a
  tegenspraak; KISS answers in the app and the answer returns to the table.
- :class:`BlockingRule` — the editable reference list of rules and schemes that can block
  a standard solution; :class:`SystemBottleneck` — one recorded systeemknelpunt.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from households.db import Base, check_in, utcnow

# Zelfredzaamheid-Matrix domains (DESIGN 4.4); the mapping to corners lives in
# coordination/plan.py (one home), the codes here only guard the column.
LIFE_AREAS = (
    "financien", "werk_opleiding", "tijdsbesteding", "huisvesting", "huiselijke_relaties",
    "geestelijke_gezondheid", "lichamelijke_gezondheid", "verslaving", "adl",
    "sociaal_netwerk", "maatschappelijke_participatie", "justitie",
)  # fmt: skip
GOAL_CORNERS = ("bestaanszekerheid", "zorgcontinuiteit", "meedoen", "veiligheid")
GOAL_STATUSES = ("open", "loopt", "bereikt", "niet_bereikt", "vervallen")
REFERRAL_STATUSES = ("verstuurd", "geaccepteerd", "afgewezen", "afgerond", "ingetrokken")
REFERRAL_MESSAGE_KINDS = ("acceptatie", "afwijzing", "voortgang", "afronding")
REFERRAL_OUTCOMES = ("bereikt", "deels_bereikt", "niet_bereikt")


class HouseholdPlan(Base):
    """The one plan of a household."""

    __tablename__ = "huishoudplan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), unique=True)
    aangemaakt_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PlanGoal(Base):
    """One goal of a household plan."""

    __tablename__ = "plan_doel"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("huishoudplan.id"), index=True)
    levensgebied: Mapped[str] = mapped_column(String(40))
    hoek: Mapped[str] = mapped_column(String(20))
    doel: Mapped[str] = mapped_column(Text)
    eigenaar_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    eigenaar_afdeling: Mapped[str | None] = mapped_column(String(120))
    eigenaar_instelling_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    evaluatiedatum: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    # The table decision that created the goal (None: made by the regie holder).
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True)
    aangemaakt_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint(check_in("levensgebied", LIFE_AREAS), name="levensgebied"),
        CheckConstraint(check_in("hoek", GOAL_CORNERS), name="hoek"),
        CheckConstraint(check_in("status", GOAL_STATUSES), name="status"),
        CheckConstraint(
            "eigenaar_user_id IS NOT NULL OR eigenaar_afdeling IS NOT NULL "
            "OR eigenaar_instelling_id IS NOT NULL",
            name="eigenaar",
        ),
        Index("ix_plan_doel_evaluatiedatum", "evaluatiedatum"),
    )


class GoalProgress(Base):
    """One entry in a goal's history: a progress note and/or a status change."""

    __tablename__ = "plan_voortgang"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doel_id: Mapped[int] = mapped_column(ForeignKey("plan_doel.id"), index=True)
    datum: Mapped[dt.date] = mapped_column(Date)
    status_oud: Mapped[str | None] = mapped_column(String(20))
    status_nieuw: Mapped[str] = mapped_column(String(20))
    notitie: Mapped[str | None] = mapped_column(Text)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    door_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    geregistreerd_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (CheckConstraint(check_in("status_nieuw", GOAL_STATUSES), name="status"),)


class Referral(Base):
    """A task for a partner institution (verwijzing), from a table action or a plan goal."""

    __tablename__ = "verwijzing"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id"), unique=True)
    doel_id: Mapped[int | None] = mapped_column(ForeignKey("plan_doel.id"), index=True)
    taak: Mapped[str] = mapped_column(Text)
    # Who the partner contacts at the gemeente (the regie holder, by name and channel).
    contact: Mapped[str] = mapped_column(String(160))
    verstuurd_op: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="verstuurd")
    geaccepteerd_op: Mapped[dt.date | None] = mapped_column(Date)
    afgewezen_op: Mapped[dt.date | None] = mapped_column(Date)
    afwijzing_reden: Mapped[str | None] = mapped_column(Text)
    afgerond_op: Mapped[dt.date | None] = mapped_column(Date)
    uitkomst: Mapped[str | None] = mapped_column(String(20))
    uitkomst_toelichting: Mapped[str | None] = mapped_column(Text)
    aangemaakt_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    versie: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint(check_in("status", REFERRAL_STATUSES), name="status"),
        CheckConstraint(
            f"uitkomst IS NULL OR {check_in('uitkomst', REFERRAL_OUTCOMES)}", name="uitkomst"
        ),
        CheckConstraint("status <> 'afgewezen' OR afwijzing_reden IS NOT NULL", name="reden"),
        CheckConstraint("status <> 'afgerond' OR uitkomst IS NOT NULL", name="afronding"),
        Index("ix_verwijzing_institution_status", "institution_id", "status"),
    )


class ReferralMessage(Base):
    """A partner's response to a referral: acceptance, decline, progress or outcome."""

    __tablename__ = "verwijzing_bericht"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verwijzing_id: Mapped[int] = mapped_column(ForeignKey("verwijzing.id"), index=True)
    soort: Mapped[str] = mapped_column(String(20))
    datum: Mapped[dt.date] = mapped_column(Date)
    tekst: Mapped[str | None] = mapped_column(Text)
    door_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    geregistreerd_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (CheckConstraint(check_in("soort", REFERRAL_MESSAGE_KINDS), name="soort"),)


class AgendaParty(Base):
    """An institution that is party to an agenda item."""

    __tablename__ = "agenda_partij"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)

    __table_args__ = (
        UniqueConstraint(
            "agenda_item_id", "institution_id", name="uq_agenda_partij_item_instelling"
        ),
    )


class Escalation(Base):
    """A question from a case table to KISS (vraagbaak); the answer returns to the table."""

    __tablename__ = "escalatie"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_table_id: Mapped[int] = mapped_column(ForeignKey("case_table.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    # The question as KISS reads it: in general terms, never a name or a BSN.
    vraag: Mapped[str] = mapped_column(Text)
    gesteld_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    gesteld_op: Mapped[dt.date] = mapped_column(Date)
    antwoord: Mapped[str | None] = mapped_column(Text)
    beantwoord_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    beantwoord_op: Mapped[dt.date | None] = mapped_column(Date)
    versie: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("(antwoord IS NULL) = (beantwoord_op IS NULL)", name="antwoord"),
    )


class BlockingRule(Base):
    """A rule or scheme that can block a standard solution (editable reference list)."""

    __tablename__ = "knelpunt_regel"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    naam: Mapped[str] = mapped_column(String(160))
    omschrijving: Mapped[str | None] = mapped_column(Text)
    domein: Mapped[str | None] = mapped_column(String(40))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)


class SystemBottleneck(Base):
    """A systeemknelpunt: a rule that blocked a standard solution, with a description.

    Recorded with a decision, a budget spend or by an ervaringswerker in an experiment;
    KISS sees these counted and described per rule, never the household behind them.
    """

    __tablename__ = "systeemknelpunt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regel_id: Mapped[int | None] = mapped_column(ForeignKey("knelpunt_regel.id"), index=True)
    omschrijving: Mapped[str] = mapped_column(Text)
    datum: Mapped[dt.date] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), index=True)
    spend_id: Mapped[int | None] = mapped_column(ForeignKey("tws_spend.id"), index=True)
    experiment_id: Mapped[int | None] = mapped_column(ForeignKey("experiment.id"), index=True)
    door_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
