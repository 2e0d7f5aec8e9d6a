"""A stable stock of provisions: the calibrated spells of today and the ended spells before them.

The generator calibrates *today's* combinations (CBS 85637NED). Drawing only their start
dates backwards would make the stock grow towards today (every household that has help today,
and nobody else, would have had it in the past). Instead each current spell is one "place" in
the stock, held before it by other households: going back from the current spell's start, the
place was held by a predecessor spell (exponential length, mean :data:`SPELL_MEAN_DAYS`) that
ended around that day (up to :data:`SWITCH_DAYS` before or after), and so on back past the
5-year trend. Each predecessor is a different household that has no help today, eligible for
the same combination (children for JEUGD, someone below AOW age for ISD) and used once, so on
every past date the number of households with help and their combinations are today's up to
noise: the quarterly trend is flat (no effect is built in; tests/data/test_stable_stock.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from data.population import Population
from data.provisions import (
    COMBO_ORDER,
    Episodes,
    combo_mask,
    combo_weight,
    combo_weights,
    weighted_pick,
)

__all__ = ["HISTORY_DAYS", "SPELL_MEAN_DAYS", "household_episodes"]

SPELL_MEAN_DAYS = 700  # mean length of a household's spell of provisions
MAX_SPELL_DAYS = 3650
HISTORY_DAYS = 5 * 365 + 120  # the 20 quarters of the trend, and a margin
SWITCH_DAYS = 45  # a place changes hands with a gap or an overlap of up to this many days


def _lengths(rng: np.random.Generator, n: int) -> np.ndarray:
    days = np.clip(rng.exponential(SPELL_MEAN_DAYS, n), 30, MAX_SPELL_DAYS)
    return days.astype(np.int64).astype("timedelta64[D]")


def household_episodes(
    rng: np.random.Generator, pop: Population, combos: np.ndarray, reference_date: dt.date
) -> Episodes:
    """The current spells (households with ``combos`` > 0) and their predecessors."""
    d = np.datetime64(reference_date, "D")
    current = np.flatnonzero(combos)
    current_start = d - _lengths(rng, len(current))
    horizon = d - np.timedelta64(HISTORY_DAYS, "D")
    places, starts, ends = [], [], []
    place, begin = np.arange(len(current)), current_start
    while len(place):  # one round per generation of predecessors (a handful)
        # the predecessor left up to SWITCH_DAYS before or after (a different household)
        shift = rng.integers(-SWITCH_DAYS, SWITCH_DAYS + 1, len(place)).astype("timedelta64[D]")
        end = np.minimum(begin - np.timedelta64(1, "D") + shift, d - np.timedelta64(1, "D"))
        keep = end >= horizon
        place, end = place[keep], end[keep]
        start = end - _lengths(rng, len(place))
        places.append(place), starts.append(start), ends.append(end)
        begin = start
    place = np.concatenate(places)
    start, end = np.concatenate(starts), np.concatenate(ends)
    mask = combos[current][place]
    # the households: free today, eligible for the combination, each at most once
    weights = combo_weights(pop)
    free = combos == 0
    hh = np.full(len(place), -1, dtype=np.int64)
    for combo in COMBO_ORDER:
        spells = np.flatnonzero(mask == combo_mask(combo))
        chosen = weighted_pick(rng, np.where(free, combo_weight(weights, combo), 0.0), len(spells))
        hh[spells[: len(chosen)]] = chosen
        free[chosen] = False
    ok = hh >= 0
    return Episodes(
        hh=np.concatenate([current, hh[ok]]),
        mask=np.concatenate([combos[current], mask[ok]]),
        start=np.concatenate([current_start, start[ok]]),
        end=np.concatenate([np.full(len(current), np.datetime64("NaT"), "datetime64[D]"), end[ok]]),
    )
