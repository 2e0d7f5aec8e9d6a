"""The synthetic Brunssum data set: one deterministic call, pandas frames out.

Same ``seed``, same number of households and same ``reference_date`` give
identical frames (numpy ``Generator(PCG64(seed))``, vectorised). Columns follow
the interchange format v1 (DESIGN §5) where a file kind exists; the BSN is in
clear here (for export only) and is hashed on loading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from data import reference as ref
from data.debt_history import make_debt_snapshots
from data.debts import make_isd_claims, make_known_debts
from data.episodes import household_episodes
from data.events import make_help_requests, make_involvements, make_signals
from data.population import make_population
from data.provisions import assign_combinations, make_provisions

__all__ = ["DemoData", "generate", "institutions_frame"]


@dataclass(frozen=True)
class DemoData:
    """The generated frames (interchange-format-like columns)."""

    reference_date: dt.date
    households: pd.DataFrame
    persons: pd.DataFrame
    institutions: pd.DataFrame
    provisions: pd.DataFrame
    debts: pd.DataFrame
    debt_snapshots: pd.DataFrame  # schuldstanden: bron_id, peildatum, openstaand
    involvements: pd.DataFrame
    help_requests: pd.DataFrame
    signals: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        """Name -> frame, in loading order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "reference_date"}

    def counts(self) -> dict[str, int]:
        """Rows per frame."""
        return {name: len(frame) for name, frame in self.frames().items()}


def institutions_frame() -> pd.DataFrame:
    """The partner institutions (instellingen) as a frame.

    >>> frame = institutions_frame()
    >>> "ISD BOL" in set(frame["naam"]), list(frame.columns)[:3]
    (True, ['instelling_id', 'naam', 'type'])
    """
    return pd.DataFrame(
        list(ref.INSTITUTIONS),
        columns=["instelling_id", "naam", "type", "contractvorm", "essentieel"],
    )


def _as_dates(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    for col in columns:
        if col in frame:
            frame[col] = pd.Series(frame[col].to_numpy().astype("datetime64[s]"), index=frame.index)
    return frame


def generate(
    households: int = ref.DEFAULT_HOUSEHOLDS,
    seed: int = 2024,
    reference_date: dt.date | None = None,
) -> DemoData:
    """Generate the synthetic data set for ``households`` households.

    ``reference_date`` (default today) anchors every date: provisions of the
    calibrated combinations are active on it, help requests fall in the three
    years before it.

    >>> data = generate(200, seed=1, reference_date=dt.date(2025, 1, 1))
    >>> len(data.households), data.persons["bsn"].is_unique
    (200, True)
    """
    if households < 1:
        raise ValueError("households must be at least 1")
    day = reference_date or dt.date.today()
    rng = np.random.Generator(np.random.PCG64(seed))
    pop = make_population(rng, households, day)
    combos = assign_combinations(rng, pop)
    provisions = make_provisions(rng, pop, household_episodes(rng, pop, combos, day), day)
    # debts the gemeente knows: its own claims, schuldhulp dossiers, arrears signals (data/debts.py)
    isd_claims = make_isd_claims(rng, pop, combos, np.datetime64(day, "D"))
    debt_prone = np.zeros(households, dtype=bool)  # arrears are reported more often here
    debt_prone[pop.p_household[isd_claims[0][isd_claims[3] > 0]]] = True
    shv = provisions.loc[provisions["soort"] == "schuldhulpverlening", "bsn"]
    person_of = pd.Series(np.arange(len(pop.p_bsn)), index=pop.p_bsn)
    debt_prone[pop.p_household[person_of.reindex(shv).to_numpy(dtype=np.int64)]] = True
    signals = make_signals(rng, pop, combos, debt_prone, day)
    debts, paid_on = make_known_debts(rng, pop, isd_claims, provisions, signals, day)

    data = DemoData(
        reference_date=day,
        households=pop.households,
        persons=pop.persons,
        institutions=institutions_frame(),
        provisions=_as_dates(provisions, ("start", "einde")),
        debts=_as_dates(debts, ("sinds",)),
        debt_snapshots=make_debt_snapshots(_as_dates(debts.copy(), ("sinds",)), day, paid_on),
        involvements=_as_dates(make_involvements(rng, pop, combos, day), ("start", "einde")),
        help_requests=_as_dates(
            make_help_requests(rng, pop, combos, day), ("ontvangen_op", "besluit_op")
        ),
        signals=_as_dates(signals, ("gemeld_op", "gesloten_op")),
    )
    return data
