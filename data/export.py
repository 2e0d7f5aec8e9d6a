"""Write a generated data set as interchange-format v1 CSV files (DESIGN §5).

Delimiter ``,``, UTF-8, ISO dates, ``.`` decimal mark with two decimals,
``ja``/``nee`` for booleans, empty for unknown. The files contain clear BSNs
(synthetic ones): they exist to exercise ``kiss import``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data.generator import DemoData

__all__ = ["EXPORT_FILES", "export_csv"]

# file stem -> (frame attribute, columns in order)
EXPORT_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "instellingen": (
        "institutions",
        ("instelling_id", "naam", "type", "contractvorm", "essentieel"),
    ),
    "huishoudens": ("households", ("huishouden_id", "wijk", "buurt", "postcode", "huisnummer")),
    "personen": ("persons", ("bsn", "huishouden_id", "geboortejaar", "rol", "naam")),
    "voorzieningen": (
        "provisions",
        (
            "bron_id",
            "bsn",
            "domein",
            "soort",
            "start",
            "einde",
            "aanbieder",
            "maatwerk",
            "kosten_per_maand",
        ),
    ),
    "schulden": (
        "debts",
        ("bron_id", "bsn", "schuldeiser", "hoofdsom", "openstaand", "sinds", "in_regeling"),
    ),
}
_BOOLEAN = {"essentieel", "maatwerk", "in_regeling"}
_AMOUNT = {"kosten_per_maand", "hoofdsom", "openstaand"}


def _text_column(series: pd.Series, column: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        arr = series.to_numpy().astype("datetime64[D]")
        out = np.datetime_as_string(arr).astype(object)
        out[np.isnat(arr)] = ""
        return pd.Series(out, index=series.index)
    if column in _BOOLEAN:
        return series.map({True: "ja", False: "nee"}).fillna("")
    if column in _AMOUNT:
        cents = np.rint(series.to_numpy(dtype=float) * 100).astype(np.int64)
        return pd.Series(
            [f"{c // 100}.{c % 100:02d}" for c in cents.tolist()], index=series.index, dtype=object
        )
    return series.astype(object).where(series.notna(), "")


def export_csv(data: DemoData, directory: str | Path) -> list[Path]:
    """Write the five interchange files into ``directory`` (created if needed).

    Returns the written paths in import order (instellingen, huishoudens,
    personen, voorzieningen, schulden).
    """
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, (attribute, columns) in EXPORT_FILES.items():
        frame = getattr(data, attribute)
        out = pd.DataFrame({c: _text_column(frame[c], c) for c in columns})
        path = target / f"{stem}.csv"
        out.to_csv(path, sep=",", index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    return written
