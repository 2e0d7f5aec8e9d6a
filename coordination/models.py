"""Tables of the coordination context: regie, triage rule sets, case tables.

Regie uniqueness is enforced by the database: a partial unique index on
``regie(household_id) WHERE actief`` on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from households.db import Base


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


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
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)

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
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)

    __table_args__ = (
        Index(
            "uq_rule_set_one_active",
            "actief",
            unique=True,
            sqlite_where=text("actief"),
            postgresql_where=text("actief"),
        ),
    )
