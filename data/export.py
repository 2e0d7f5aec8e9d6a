"""Write a generated data set as interchange files (DESIGN §5): CSV kinds and iWmo/iJw messages.

Delimiter ``,``, UTF-8, ISO dates, ``.`` decimal mark with two decimals,
``ja``/``nee`` for booleans, empty for unknown. The files contain clear BSNs
(synthetic ones): they exist to exercise ``kiss import``. Signals, involvements and help
requests get a ``bron_id`` from their row (:func:`source_ids`, the same the loader stores).
With ``messages`` a sample of the Wmo and Jeugd provisions is written as iWmo/iJw messages
(301, plus 305 when care started and 307 when it ended) *instead of* CSV rows, so importing
every file gives the same provisions as loading the data directly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data.generator import DemoData
from households.csvwriter import frame_csv
from households.frontdoors import IMPORT_FRONT_DOORS

__all__ = ["EXPORT_FILES", "export_csv", "source_ids"]

SOURCE_PREFIX = {"signals": "SG", "involvements": "BT", "help_requests": "HV"}


def source_ids(frame_name: str, n: int) -> np.ndarray:
    """The ``bron_id`` of each generated signal, involvement or help request (by row).

    >>> list(source_ids("signals", 2))
    ['SG00000001', 'SG00000002']
    """
    prefix = SOURCE_PREFIX[frame_name]
    return np.array([f"{prefix}{k:08d}" for k in range(1, n + 1)], dtype=object)


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
    "schuldstanden": ("debt_snapshots", ("bron_id", "peildatum", "openstaand")),
    "signalen": (
        "signals",
        ("bron_id", "huishouden_id", "soort", "gemeld_op", "bron", "gesloten_op"),
    ),
    "betrokkenheden": (
        "involvements",
        ("bron_id", "huishouden_id", "instelling_id", "soort", "start", "einde", "professional"),
    ),
    "hulpvragen": (
        "help_requests",
        ("bron_id", "bsn", "domein", "voordeur", "ontvangen_op", "besluit_op", "omschrijving"),
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


def _frame(data: DemoData, attribute: str, skip: set[str]) -> pd.DataFrame:
    frame = getattr(data, attribute)
    if attribute in SOURCE_PREFIX:
        frame = frame.assign(bron_id=source_ids(attribute, len(frame)))
    if attribute == "help_requests":
        frame = frame.assign(voordeur=frame["voordeur"].map(IMPORT_FRONT_DOORS))
    if attribute == "provisions" and skip:
        frame = frame[~frame["bron_id"].isin(skip)]
    return frame


def export_csv(
    data: DemoData, directory: str | Path, messages: int = 0, seed: int = 0
) -> list[Path]:
    """Write the interchange files into ``directory`` (created if needed).

    Returns the written paths in import order (the CSV kinds of :data:`EXPORT_FILES`, then
    the folders ``iwmo`` and ``ijw`` when ``messages`` > 0: that many Wmo and Jeugd
    provisions, sampled with ``seed``, written as messages instead of CSV rows).
    """
    from data.imessages import write_messages

    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    sample = write_messages(data, target, messages, seed) if messages else {}
    skip = {bron for ids in sample.values() for bron in ids}
    for stem, (attribute, columns) in EXPORT_FILES.items():
        frame = _frame(data, attribute, skip)
        out = pd.DataFrame({c: _text_column(frame[c], c) for c in columns})
        path = target / f"{stem}.csv"
        frame_csv(out, path)
        written.append(path)
    written.extend(target / standard for standard in sample)
    return written
