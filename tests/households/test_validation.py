"""Free text from forms: control characters are refused with a message on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from households.errors import InvalidInput
from households.models import Household, Signal
from households.validation import clean_text


def test_flush_refuses_nul_in_any_text_column(session):
    hh = Household(huishouden_id="HH1", wijk="Noord")
    session.add(hh)
    session.flush()
    session.add(Signal(household_id=hh.id, soort="school", gemeld_op=dt.date(2026, 1, 1),
                       toelichting="te laat\x00"))  # fmt: skip
    with pytest.raises(InvalidInput, match="ongeldige tekens"):
        session.flush()
    session.rollback()
    assert session.query(Signal).count() == 0


@pytest.mark.parametrize(
    ("value", "minimum", "message"),
    [
        ("", 1, "verplicht"),
        ("ab", 3, "minstens 3"),
        ("x" * 11, 0, "te lang"),
        (None, 1, "verplicht"),
    ],
)
def test_clean_text_messages(value, minimum, message):
    with pytest.raises(InvalidInput, match=message):
        clean_text(value, "Toelichting", minimum=minimum, maximum=10)


def test_clean_text_keeps_newlines_and_trims():
    assert clean_text("  regel 1\nregel 2  ", "Verhaal") == "regel 1\nregel 2"
