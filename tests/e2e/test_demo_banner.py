"""In the browser: every page of the demo says "Demogegevens — synthetisch" (accessible)."""

from __future__ import annotations

import pytest

from tests.e2e.test_accessibility import describe, scan
from tests.e2e.ui import goto, login, shot, sidebar_titles, wait_idle

pytestmark = pytest.mark.browser

BANNER = "Demogegevens — synthetisch"


def _banner_shown(page) -> bool:
    alerts = page.locator("[data-testid='stAlert']").all_inner_texts()
    return any(BANNER in text and "gesimuleerd" in text for text in alerts)


def test_the_banner_is_on_the_login_and_on_every_page_of_the_kiss_role(page, demo_server):
    page.goto(demo_server.url)
    wait_idle(page)
    assert _banner_shown(page)  # before anyone logs in
    login(page, demo_server, "kiss")
    for step, title in enumerate(sidebar_titles(page), start=1):
        goto(page, title)
        assert _banner_shown(page), title
        if step == 1:
            shot(page, "demo_banner", step, "kiss")
            violations = scan(page)
            assert not violations, describe(title, violations)
