"""Debt history (schuldstanden, DESIGN 5.4) and the gemeente's norms (re-exported by
households.models).

A :class:`DebtSnapshot` is the outstanding amount of one debt on one date (``peildatum``).
The amount of a debt on a date is the latest snapshot on or before that date: one rule, in
:func:`households.periods.debt_amount_on`. A :class:`Norm` is a number of days the gemeente
sets (``beheer``), such as the term for the Wgs offer of help after an arrears signal.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from households.db import Base

__all__ = ["DebtSnapshot", "Norm"]


class DebtSnapshot(Base):
    """The outstanding amount (cents) of a debt on ``peildatum`` (a ``schuldstanden`` row).

    ``sleutel`` is the debt's ``bron_id`` and the ISO date (``S1:2025-03-31``): importing the
    same debt and peildatum again updates that one row, never adds a second.
    """

    __tablename__ = "schuldstand"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(80), unique=True)
    debt_id: Mapped[int] = mapped_column(ForeignKey("debt.id"))
    peildatum: Mapped[dt.date] = mapped_column(Date)
    openstaand_cent: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_schuldstand_debt_peildatum", "debt_id", "peildatum"),
        CheckConstraint("openstaand_cent >= 0", name="openstaand"),
    )


class Norm(Base):
    """A term in days the gemeente sets (reference data ``beheer`` edits)."""

    __tablename__ = "norm"

    naam: Mapped[str] = mapped_column(String(40), primary_key=True)
    dagen: Mapped[int] = mapped_column(Integer)
    toelichting: Mapped[str | None] = mapped_column(Text)
    # The share (percent) of cases that should meet the term (None: the default of the norm).
    doel_pct: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("dagen >= 1 AND dagen <= 1095", name="dagen"),
        CheckConstraint("doel_pct IS NULL OR (doel_pct >= 1 AND doel_pct <= 100)", name="doel_pct"),
    )
