"""Tables of schuldhulpverlening (Wgs) as a process per household (issue 15).

- :class:`DebtTrajectory` (``schuldhulptraject``) — one trajectory of a household from
  aanmelding to beëindigd, with its source (self, arrears signal, GBD-er, partner), the
  current step and the date it was reached, a crisis flag (threatened eviction or
  disconnection) with its own short deadline, and the end reason. At most one open
  trajectory per household (partial unique index).
- :class:`DebtTrajectoryStep` (``schuldhulp_stap``) — the history: every step reached, with
  its date, who recorded it and a note.
- :class:`DebtInArrangement` (``schuldhulp_schuld``) — which of the household's debts are
  in the trajectory's arrangement (schuldregeling, saneringskrediet, Wsnp).

The steps, the allowed transitions and the norm names live in
:mod:`coordination.shv_rules` (one home); the codes here only guard the columns.
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from households.db import Base, check_in, utcnow

__all__ = [
    "SHV_STEPS", "SHV_SOURCES", "CRISIS_KINDS", "END_REASONS",
    "DebtTrajectory", "DebtTrajectoryStep", "DebtInArrangement",
]  # fmt: skip

# In process order (DESIGN-independent; the quarterly report's categories, 003 §1.7).
SHV_STEPS = (
    "aanmelding", "eerste_gesprek", "plan_van_aanpak", "stabilisatie", "budgetbeheer",
    "beschermingsbewind", "schuldregeling", "saneringskrediet", "wsnp", "nazorg", "beeindigd",
)  # fmt: skip
SHV_SOURCES = ("zelf", "signaal", "gbd", "partner")
CRISIS_KINDS = ("ontruiming", "afsluiting_energie", "afsluiting_water", "zorgverzekering")
END_REASONS = (
    "schuldenvrij", "regeling_afgerond", "stabiel_zonder_regeling", "geen_vervolg",
    "uitgevallen", "afgewezen", "verhuisd", "overleden", "doorverwezen",
)  # fmt: skip


class DebtTrajectory(Base):
    """One schuldhulp trajectory of a household."""

    __tablename__ = "schuldhulptraject"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    bron: Mapped[str] = mapped_column(String(10))
    # The arrears signal that led to the aanmelding (bron "signaal").
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signal.id"))
    # The partner institution that referred the household (bron "partner").
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    aangemeld_op: Mapped[dt.date] = mapped_column(Date)
    aangemeld_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    stap: Mapped[str] = mapped_column(String(24), default="aanmelding")
    stap_sinds: Mapped[dt.date] = mapped_column(Date)
    crisis: Mapped[bool] = mapped_column(Boolean, default=False)
    crisis_soort: Mapped[str | None] = mapped_column(String(24))
    beeindigd_op: Mapped[dt.date | None] = mapped_column(Date)
    reden_einde: Mapped[str | None] = mapped_column(String(30))
    versie: Mapped[int] = mapped_column(Integer, default=1)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(check_in("bron", SHV_SOURCES), name="bron"),
        CheckConstraint(check_in("stap", SHV_STEPS), name="stap"),
        CheckConstraint(
            f"crisis_soort IS NULL OR {check_in('crisis_soort', CRISIS_KINDS)}", name="crisis_soort"
        ),
        CheckConstraint(
            f"reden_einde IS NULL OR {check_in('reden_einde', END_REASONS)}", name="reden_einde"
        ),
        CheckConstraint(
            "(stap = 'beeindigd') = (beeindigd_op IS NOT NULL AND reden_einde IS NOT NULL)",
            name="einde",
        ),
        CheckConstraint(
            "(crisis AND crisis_soort IS NOT NULL) OR (NOT crisis AND crisis_soort IS NULL)",
            name="crisis",
        ),  # fmt: skip
        Index(
            "uq_schuldhulptraject_open",
            "household_id",
            unique=True,
            sqlite_where=text("beeindigd_op IS NULL"),
            postgresql_where=text("beeindigd_op IS NULL"),
        ),
        Index("ix_schuldhulptraject_aangemeld_op", "aangemeld_op"),
    )


class DebtTrajectoryStep(Base):
    """One step a trajectory reached (its history; the first row is the aanmelding)."""

    __tablename__ = "schuldhulp_stap"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    traject_id: Mapped[int] = mapped_column(ForeignKey("schuldhulptraject.id"), index=True)
    stap: Mapped[str] = mapped_column(String(24))
    datum: Mapped[dt.date] = mapped_column(Date)
    door_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    toelichting: Mapped[str | None] = mapped_column(Text)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (CheckConstraint(check_in("stap", SHV_STEPS), name="stap"),)


class DebtInArrangement(Base):
    """A debt of the household that is part of the trajectory's arrangement."""

    __tablename__ = "schuldhulp_schuld"

    traject_id: Mapped[int] = mapped_column(ForeignKey("schuldhulptraject.id"), primary_key=True)
    debt_id: Mapped[int] = mapped_column(ForeignKey("debt.id"), primary_key=True, index=True)
    opgenomen_op: Mapped[dt.date] = mapped_column(Date)
