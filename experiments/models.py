"""Tables of the experiments context: proeftuinen, members, lessons, enrolments, logs.

An :class:`Experiment` (proeftuin) runs in one or more wijken. Its members are
app users with a role in the experiment (``ervaringswerker`` or
``coordinator``). Households join through an :class:`Enrolment` (route
``outreach`` or ``voordeur``, with consent). Ervaringswerkers write
:class:`StabilityLog` rows: one observation of the stability triangle
(DESIGN §4) on one date.
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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from households.db import Base, utcnow

EXPERIMENT_STATUSES = ("gepland", "actief", "afgerond")
MEMBER_ROLES = ("ervaringswerker", "coordinator")
ROUTES = ("outreach", "voordeur")
CORNERS = ("bestaanszekerheid", "zorgcontinuiteit", "meedoen")
SCORES = (*CORNERS, "veiligheid")


class Experiment(Base):
    """A proeftuin in Noord/Oost: period, status, hypotheses, outreach criteria."""

    __tablename__ = "experiment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    naam: Mapped[str] = mapped_column(String(120), unique=True)
    wijken: Mapped[list] = mapped_column(JSON)
    start: Mapped[dt.date | None] = mapped_column(Date)
    einde: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="gepland")
    hypotheses: Mapped[list] = mapped_column(JSON)
    beschrijving: Mapped[str | None] = mapped_column(Text)
    criteria: Mapped[str | None] = mapped_column(String(40))  # key into enrolment.CRITERIA
    volgorde: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        CheckConstraint("status IN ('gepland','actief','afgerond')", name="status"),
        CheckConstraint("einde IS NULL OR start IS NULL OR einde >= start", name="period"),
    )


class ExperimentMember(Base):
    """A user taking part in an experiment as ervaringswerker or coordinator (GBD-er)."""

    __tablename__ = "experiment_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiment.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    rol: Mapped[str] = mapped_column(String(20))
    wijk: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        UniqueConstraint("experiment_id", "user_id", name="uq_experiment_member_user"),
        CheckConstraint("rol IN ('ervaringswerker','coordinator')", name="rol"),
    )


class Lesson(Base):
    """A lesson learned, written down before anything is fixed in rules."""

    __tablename__ = "experiment_lesson"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiment.id"), index=True)
    datum: Mapped[dt.date] = mapped_column(Date)
    les: Mapped[str] = mapped_column(Text)
    verandering_werkwijze: Mapped[str | None] = mapped_column(Text)
    door_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    door_naam: Mapped[str] = mapped_column(String(120))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Enrolment(Base):
    """A household taking part in an experiment, with route and consent."""

    __tablename__ = "experiment_enrolment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiment.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    datum: Mapped[dt.date] = mapped_column(Date)
    route: Mapped[str] = mapped_column(String(10))
    toestemming: Mapped[bool] = mapped_column(Boolean)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    einde: Mapped[dt.date | None] = mapped_column(Date)
    ingeschreven_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("experiment_id", "household_id", name="uq_experiment_enrolment_hh"),
        CheckConstraint("route IN ('outreach','voordeur')", name="route"),
        CheckConstraint("toestemming", name="toestemming"),
    )


class StabilityLog(Base):
    """One observation of a household's stability triangle by one ervaringswerker."""

    __tablename__ = "stability_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiment.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    datum: Mapped[dt.date] = mapped_column(Date)
    door_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    bestaanszekerheid: Mapped[int] = mapped_column(Integer)
    zorgcontinuiteit: Mapped[int] = mapped_column(Integer)
    meedoen: Mapped[int] = mapped_column(Integer)
    veiligheid: Mapped[int] = mapped_column(Integer)
    stressoren: Mapped[list] = mapped_column(JSON)
    acute_problemen: Mapped[str | None] = mapped_column(Text)
    wat_gedaan: Mapped[str | None] = mapped_column(Text)
    verhaal: Mapped[str | None] = mapped_column(Text)
    verhaal_geselecteerd: Mapped[bool] = mapped_column(Boolean, default=False)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index("ix_stability_log_household_date", "household_id", "datum"),
        *(
            CheckConstraint(f"{c} BETWEEN 1 AND 5", name=f"{c}_score")
            for c in ("bestaanszekerheid", "zorgcontinuiteit", "meedoen", "veiligheid")
        ),
    )


class StressorTerm(Base):
    """One term of the stressor vocabulary (data, extensible)."""

    __tablename__ = "stressor_term"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String(60), unique=True)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
