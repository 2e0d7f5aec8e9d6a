"""Fixtures of the import tests: the small base every kind refers to."""

from __future__ import annotations

import pytest

from tests.households.test_importing import HOUSEHOLDS, INSTITUTIONS, PERSONS, load


@pytest.fixture
def base(session):
    """Two households, two persons, one institution."""
    load(session, "huishoudens", HOUSEHOLDS)
    load(session, "personen", PERSONS)
    load(session, "instellingen", INSTITUTIONS)
    return session
