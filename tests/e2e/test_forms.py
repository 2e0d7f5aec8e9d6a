"""Every writing form, in a real browser: a double click writes once, the page then shows the
saved record, and the form is empty again.

The target of a form cannot shift (a write lands on the record the form was filled in for):
that is tested per form in the AppTest suites (``tests/app``), where the rendered ticket can be
replaced; here the browser proves the whole round trip through a real server.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.ui import (
    count_rows,
    double_click,
    eventually,
    field_value,
    fill,
    login,
    main_text,
    metric,
    nothing_picked,
    open_household_at_front_door,
    pick,
    shot,
)

pytestmark = pytest.mark.browser


def test_help_request_double_click_writes_once(page, demo_server):
    login(page, demo_server, "voordeur")
    step = open_household_at_front_door(page, demo_server, "formulier_hulpvraag", 1)
    before = count_rows(demo_server, "SELECT count(*) FROM help_request")
    shown = metric(page, "Aanvragen in 12 maanden")
    pick(page, "aanvraag_domein")
    pick(page, "aanvraag_urgentie", 1)
    fill(page, "aanvraag_omschrijving", "Dubbel geklikt: vraagt hulp bij de post")
    double_click(page, "aanvraag_registreren")
    eventually(lambda: metric(page, "Aanvragen in 12 maanden") == shown + 1, what="(metric)")
    eventually(lambda: field_value(page, "aanvraag_omschrijving") == "", what="(empty form)")
    shot(page, "formulier_hulpvraag", step, "dubbelklik")
    assert count_rows(demo_server, "SELECT count(*) FROM help_request") == before + 1
    assert re.search(r"aanvraag \d+ in 12 maanden", main_text(page), re.IGNORECASE)
    assert nothing_picked(page, "aanvraag_domein")
