"""The one CSV writer's fast path (Arrow) writes exactly what pandas' ``to_csv`` writes."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from households.csvwriter import frame_csv as _csv_text


def _pandas(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


@pytest.mark.parametrize(
    "wijk",
    [["Noord", "Oost", ""], ["Noord", None, "Oost"], ["Noord, west", "Oost", "Zuid"],
     ['Het "Dorp"', "Oost", "Zuid"], ["Noord\nwest", "Oost", "Zuid"], ["Brunssum-Noord", "Ä", "é"]],
)  # fmt: skip
def test_same_text_as_pandas(wijk):
    frame = pd.DataFrame({
        "huishouden_id": ["H1", "H2", "H3"], "wijk": wijk, "n_provisions": [0, 3, 12],
        "domains": ["", "ISD+WMO", "ISD+JEUGD+WMO"], "debt_outstanding": ["0.00", "12.05", "-1.50"],
        "stacked": ["false", "true", "true"], "complex_reasons": ["", "stapeling;veiligheid", ""],
    })  # fmt: skip
    assert _csv_text(frame) == _pandas(frame)


def test_empty_table_has_only_the_header():
    frame = pd.DataFrame(
        {"huishouden_id": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")}
    )
    assert _csv_text(frame) == _pandas(frame) == "huishouden_id,n\n"
