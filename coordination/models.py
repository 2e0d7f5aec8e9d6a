"""Tables of the coordination context: regie, triage rule sets, case tables, budget.

Regie uniqueness is enforced by the database: a partial unique index on
``regie(household_id) WHERE actief`` on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from households.db import Base, utcnow


class Regie(Base):
    """Who holds regie for a household, with the overarching goal and route."""

    __tablename__ = "regie"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    houder_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    houder_instelling_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    houder_contact: Mapped[str | None] = mapped_column(String(120))
    doel: Mapped[str] = mapped_column(Text)
    route: Mapped[str | None] = mapped_column(Text)
    start: Mapped[dt.date] = mapped_column(Date)
    einde: Mapped[dt.date | None] = mapped_column(Date)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    einde_reden: Mapped[str | None] = mapped_column(Text)
    aangemaakt_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # The decision for a gecoördineerde aanpak (DESIGN 8.3): why the problems are multiple and
    # connected. Required when regie is assigned (coordination/regie.py); NULL before 0018.
    samenhang: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index(
            "uq_regie_one_active_per_household",
            "household_id",
            unique=True,
            sqlite_where=text("actief"),
            postgresql_where=text("actief"),
        ),
        CheckConstraint("houder_user_id IS NOT NULL OR houder_contact IS NOT NULL", name="houder"),
    )


class RegieParty(Base):
    """A party taking part under a regie, with its task (taakverdeling)."""

    __tablename__ = "regie_party"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regie_id: Mapped[int] = mapped_column(ForeignKey("regie.id"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    partij: Mapped[str] = mapped_column(String(160))
    taak: Mapped[str] = mapped_column(Text)


class RuleSet(Base):
    """A versioned set of complexity/triage rules (data, editable by ``beheer``)."""

    __tablename__ = "rule_set"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    versie: Mapped[int] = mapped_column(Integer, unique=True)
    regels: Mapped[dict] = mapped_column(JSON)
    actief: Mapped[bool] = mapped_column(Boolean, default=False)
    toelichting: Mapped[str | None] = mapped_column(Text)
    aangemaakt_door: Mapped[str | None] = mapped_column(String(80))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index(
            "uq_rule_set_one_active",
            "actief",
            unique=True,
            sqlite_where=text("actief"),
            postgresql_where=text("actief"),
        ),
    )


class CaseTable(Base):
    """A fixed case table (casustafel/overlegtafel) where coordinators meet partners."""

    __tablename__ = "case_table"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    naam: Mapped[str] = mapped_column(String(120), unique=True)
    omschrijving: Mapped[str | None] = mapped_column(Text)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)


class CaseTableMember(Base):
    """A member of a case table: a GBD-er, an ervaringswerker, or a partner "met mandaat".

    A partner member sees only the agenda items their institution is party to.
    """

    __tablename__ = "case_table_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_table_id: Mapped[int] = mapped_column(ForeignKey("case_table.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    mandaat: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        UniqueConstraint("case_table_id", "user_id", name="uq_case_table_member_table_user"),
    )


class Meeting(Base):
    """One meeting (overleg) of a case table on a date."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_table_id: Mapped[int] = mapped_column(ForeignKey("case_table.id"), index=True)
    datum: Mapped[dt.date] = mapped_column(Date)
    aangemaakt_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class AgendaItem(Base):
    """A household with a question on a case table's agenda (optionally from a request)."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_table_id: Mapped[int] = mapped_column(ForeignKey("case_table.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_request.id"))
    vraag: Mapped[str] = mapped_column(Text)
    toegevoegd_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    toegevoegd_op: Mapped[dt.date] = mapped_column(Date)


class Decision(Base):
    """A decision (besluit) on an agenda item; maatwerk needs a four-eyes review."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    tekst: Mapped[str] = mapped_column(Text)
    soort: Mapped[str] = mapped_column(String(10))
    besloten_door: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    besloten_op: Mapped[dt.date] = mapped_column(Date)
    # After a tegenspraak the table can decide again: the new decision replaces this one
    # and both stay in the history.
    vervangt_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"), unique=True)

    __table_args__ = (CheckConstraint("soort IN ('standaard','maatwerk')", name="soort"),)


class Review(Base):
    """The second coordinator's review of a decision: agreement or dissent (tegenspraak)."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), unique=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    akkoord: Mapped[bool] = mapped_column(Boolean)
    reden: Mapped[str | None] = mapped_column(Text)
    datum: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (CheckConstraint("akkoord OR reden IS NOT NULL", name="tegenspraak_reden"),)


class Action(Base):
    """An action (opdracht) for a department or institution, with owner and due date."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    omschrijving: Mapped[str] = mapped_column(Text)
    afdeling: Mapped[str | None] = mapped_column(String(120))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    eigenaar: Mapped[str] = mapped_column(String(120))
    deadline: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    aangemaakt_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    aangemaakt_op: Mapped[dt.date] = mapped_column(Date)
    afgerond_op: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("status IN ('open','afgerond')", name="status"),
        CheckConstraint("afdeling IS NOT NULL OR institution_id IS NOT NULL", name="ontvanger"),
    )


class Feedback(Base):
    """Feedback (terugkoppeling) from the party an action was given to."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    tekst: Mapped[str] = mapped_column(Text)
    datum: Mapped[dt.date] = mapped_column(Date)
    door: Mapped[str] = mapped_column(String(120))
    geregistreerd_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Budget(Base):
    """The Tussen-wal-en-schip-budget of one year (cents)."""

    __tablename__ = "tws_budget"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaar: Mapped[int] = mapped_column(Integer, unique=True)
    bedrag_cent: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (CheckConstraint("bedrag_cent >= 0", name="bedrag"),)


class BudgetSpend(Base):
    """One spend from the Tussen-wal-en-schip-budget, tied to a reviewed maatwerk decision."""

    __tablename__ = "tws_spend"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jaar: Mapped[int] = mapped_column(Integer, index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    bedrag_cent: Mapped[int] = mapped_column(BigInteger)
    verantwoording: Mapped[str] = mapped_column(Text)
    datum: Mapped[dt.date] = mapped_column(Date)
    door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (CheckConstraint("bedrag_cent > 0", name="bedrag"),)


class Consent(Base):
    """A household's consent to share its details with partner institutions (DESIGN 8.3).

    Valid from ``gegeven_op`` up to and including ``geldig_tot`` for the institutions in its
    scope (:class:`ConsentScope`), until it is withdrawn (``ingetrokken_op``: at once).
    """

    __tablename__ = "toestemming"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    gegeven_op: Mapped[dt.date] = mapped_column(Date)
    geldig_tot: Mapped[dt.date] = mapped_column(Date)
    toelichting: Mapped[str | None] = mapped_column(Text)
    vastgelegd_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    vastgelegd_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ingetrokken_op: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ingetrokken_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (CheckConstraint("geldig_tot >= gegeven_op", name="periode"),)


class ConsentScope(Base):
    """One institution a consent covers."""

    __tablename__ = "toestemming_instelling"

    toestemming_id: Mapped[int] = mapped_column(ForeignKey("toestemming.id"), primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id"), primary_key=True, index=True
    )
