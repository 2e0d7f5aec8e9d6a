"""The page frame says "Demogegevens — synthetisch" on every page when `kiss demo` made the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from households.accounts import create_demo_users
from households.synthetic import BANNER, is_synthetic, mark_synthetic

MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture
def logins(session) -> dict[str, tuple[str, str]]:
    rows = create_demo_users(session)
    session.commit()
    return {rol: (naam, password) for naam, rol, password in rows}


def _banner(at: AppTest) -> bool:
    return any(w.value.startswith("Demogegevens — synthetisch") for w in at.warning)


def _login(at: AppTest, naam: str, password: str) -> AppTest:
    at.text_input(key="login_naam").input(naam)
    at.text_input(key="login_wachtwoord").input(password)
    return at.button(key="login_knop").click().run()


def test_no_banner_on_real_data(session, logins, db_url):
    assert not is_synthetic(session)
    at = AppTest.from_file(MAIN, default_timeout=60).run()
    assert not at.exception and not _banner(at)


@pytest.mark.parametrize("rol", ["gbd", "kiss", "beheer"])
def test_banner_on_the_login_and_every_landing_page_of_generated_data(session, logins, db_url, rol):
    mark_synthetic(session, seed=2024)
    session.commit()
    assert is_synthetic(session)
    at = AppTest.from_file(MAIN, default_timeout=60).run()
    assert _banner(at)  # already on the login page
    at = _login(at, *logins[rol])
    assert not at.exception
    assert "actor" in at.session_state
    assert _banner(at)
    assert "gesimuleerd" in BANNER and "geen bewijs" in BANNER
