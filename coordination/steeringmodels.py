"""Tables of KISS steering: goals with a target, a deadline and tussendoelen.

A :class:`SteeringGoal` binds a target to one indicator (``coordination.indicators``):
its progress is always computed from the data, never typed in. The target is either
an absolute value in the indicator's unit (``absoluut``: 80 %) or a change against
the value at the goal's start (``relatief``: -50 %). Tussendoelen are
:class:`SteeringMilestone` rows in the same kind as the target.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from households.db import Base, utcnow

TARGET_KINDS = ("absoluut", "relatief")


class SteeringGoal(Base):
    """A KISS goal: indicator, start, deadline and target (absolute or relative)."""

    __tablename__ = "stuurdoel"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    titel: Mapped[str] = mapped_column(String(160), unique=True)
    indicator: Mapped[str] = mapped_column(String(40))
    start: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    doelsoort: Mapped[str] = mapped_column(String(10))
    streefwaarde: Mapped[float] = mapped_column(Float)
    toelichting: Mapped[str | None] = mapped_column(Text)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("doelsoort IN ('absoluut','relatief')", name="doelsoort"),
        CheckConstraint("deadline > start", name="periode"),
    )


class SteeringMilestone(Base):
    """A tussendoel of a goal: a value (same kind as the goal's target) by a date."""

    __tablename__ = "stuurdoel_tussendoel"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("stuurdoel.id"), index=True)
    datum: Mapped[dt.date] = mapped_column(Date)
    streefwaarde: Mapped[float] = mapped_column(Float)

    __table_args__ = (UniqueConstraint("goal_id", "datum", name="uq_stuurdoel_tussendoel_datum"),)
