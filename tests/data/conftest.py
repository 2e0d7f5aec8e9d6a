"""Shared generated data sets for the data tests (generated once per session)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from data.generator import DemoData, generate
from households.db import make_engine

REFERENCE_DATE = dt.date(2025, 6, 30)


@pytest.fixture(scope="session")
def brunssum() -> DemoData:
    """The default-size data set (13,500 households), seed 2024."""
    return generate(13_500, seed=2024, reference_date=REFERENCE_DATE)


@pytest.fixture(scope="session")
def small() -> DemoData:
    """A small data set for database round trips (600 households)."""
    return generate(600, seed=7, reference_date=REFERENCE_DATE)


@pytest.fixture
def twin_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A second fresh migrated database on the backend under test (next to ``engine``)."""
    from tests.conftest import _fresh_url, backend

    where = tmp_path / "twin"
    where.mkdir()
    eng = make_engine(_fresh_url(request, where, backend()))
    yield eng
    eng.dispose()
