"""The words and tables beside every chart (pure functions in app/, doctested here)."""

from __future__ import annotations

import datetime as dt
import doctest
from types import SimpleNamespace as N

import pandas as pd
import pytest

import app.chart_text
import app.charts
import app.format
from app.chart_text import graph_outline, graph_summary, timeline_table, triangle_summary


@pytest.mark.parametrize("module", [app.chart_text, app.charts, app.format])
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def _node(i, soort, label, actief=True, ouder=None):
    return N(id=i, soort=soort, label=label, actief=actief, ouder=ouder)


def test_graph_summary_and_list_tell_ended_from_active_in_words():
    nodes = [
        _node("h", "huishouden", "H7"), _node("p", "persoon", "Bo", ouder="h"),
        _node("v1", "voorziening", "WMO: hulp", ouder="p"),
        _node("v2", "voorziening", "JEUGD: begeleiding", False, "p"),
        _node("s", "schuldeiser", "Woonpunt", True, "p"),
        _node("i", "instelling", "Radar", True, "v1"), _node("r", "regie", "Gerda", ouder="h"),
    ]  # fmt: skip
    assert graph_summary(nodes) == (
        "Huishouden H7 met 1 persoon. 2 voorzieningen: 1 actief (1 Wmo), 1 beëindigd (1 Jeugd). "
        "1 schuldeiser (1 met openstaande schuld). 1 instelling betrokken. Regie: Gerda."
    )
    assert graph_outline(nodes) == [
        "- Huishouden: H7",
        "  - Persoon: Bo",
        "    - Voorziening: WMO: hulp",
        "    - Voorziening: JEUGD: begeleiding — beëindigd",
        "    - Schuldeiser: Woonpunt — openstaande schuld",
        "- Instelling: Radar",
        "- Regiehouder: Gerda",
    ]


def test_timeline_table_is_dutch():
    rows = [N(domein="WMO", voorziening="hulp", aanbieder=None, van=dt.date(2024, 1, 5),
              tot=dt.date(2026, 11, 26), lopend=True, actief=True)]  # fmt: skip
    assert timeline_table(rows).iloc[0].tolist() == [
        "Wmo", "hulp", "—", "05-01-2024", "loopt nog", "actief",
    ]  # fmt: skip


def test_triangle_summary_compares_the_last_log_with_the_first():
    trend = pd.DataFrame({"datum": [dt.date(2026, 1, 5), dt.date(2026, 3, 1),
                                    dt.date(2026, 6, 1)], "meedoen": [4, 1, 2]})  # fmt: skip
    assert triangle_summary(trend, {"meedoen": "Meedoen"}).endswith(
        "Eerste → laatste: meedoen 4 → 2 (slechter)."
    )
