"""Bookkeeping and reference tables of the households context: processed form submissions,
the iWmo/iJw product categories, the retention periods and the settings ``beheer`` sets
(re-exported by households.models)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from households.db import Base, utcnow

__all__ = ["AppSetting", "ProductCategory", "RetentionPeriod", "Submission"]


class Submission(Base):
    """One processed form submission: its token is unique, so a form is written once.

    Every writing form carries a random token issued when it was rendered; the
    write and the claim of its token are one transaction. A double click, a
    resubmitted form or a retried request presents the same token again and is
    refused by the unique constraint (see :mod:`households.submissions`).
    """

    __tablename__ = "inzending"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    formulier: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    verwerkt_op: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ProductCategory(Base):
    """iWmo/iJw productcategorie -> (domein, soort) of the hub; reference data ``beheer`` edits.

    Defaults from the iStandaarden code lists WMO020 and JZ020 (households/istandaarden_codes.py).
    """

    __tablename__ = "productcategorie"

    standaard: Mapped[str] = mapped_column(String(4), primary_key=True)  # iwmo | ijw
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    omschrijving: Mapped[str] = mapped_column(String(120))
    domein: Mapped[str] = mapped_column(String(8))
    soort: Mapped[str] = mapped_column(String(80))


class RetentionPeriod(Base):
    """How many years after its end a fact of a category is kept (DESIGN 8.4); reference data.

    Defaults and sources in households/retention_defaults.py; ``kiss retention run`` uses it.
    """

    __tablename__ = "bewaartermijn"

    categorie: Mapped[str] = mapped_column(String(20), primary_key=True)
    jaren: Mapped[int] = mapped_column(Integer)
    bron: Mapped[str] = mapped_column(Text)


class AppSetting(Base):
    """One setting that ``beheer`` sets on a page (a whole number), e.g. how long an opening
    gives access; defaults and bounds in households/opening_period.py. Changes are audited."""

    __tablename__ = "instelling"

    sleutel: Mapped[str] = mapped_column(String(60), primary_key=True)
    waarde: Mapped[int] = mapped_column(Integer)
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(DateTime)
    gewijzigd_door: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
