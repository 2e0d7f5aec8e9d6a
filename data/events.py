"""Help requests, early signals and involvements for a synthetic population."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data import reference as ref
from data.episodes import HISTORY_DAYS
from data.population import Population
from data.provisions import DOMAIN_BIT
from households.frontdoors import ONE_FRONT_DOOR

__all__ = ["make_help_requests", "make_signals", "make_involvements"]

# requests and signals start a year before the trend, so its first 12-month windows are full
EVENT_DAYS = HISTORY_DAYS + 365

URGENCY = (("laag", 0.25), ("normaal", 0.55), ("hoog", 0.15), ("acuut", 0.05))
DESCRIPTIONS = {
    "WMO": (
        "hulp bij het huishouden",
        "kan trap niet meer op",
        "vereenzaming na overlijden partner",
        "vervoer naar dagbesteding",
        "mantelzorger overbelast",
    ),
    "JEUGD": (
        "gedragsproblemen op school",
        "zorgen over ontwikkeling kind",
        "spanningen thuis",
        "schoolverzuim",
        "angstklachten dochter",
    ),
    "ISD": (
        "inkomen gestopt na ontslag",
        "aanvraag bijstand",
        "hoge energierekening",
        "betalingsachterstanden",
        "vraag over bijzondere bijstand",
    ),
}
# signal kind -> (probability per household over two years, reporting source); they are drawn
# over the whole history (EVENT_DAYS) at that rate, so the trend is flat
SIGNALS = {
    "huurachterstand": (0.035, "Weller Wonen"),
    "energieachterstand": (0.030, "Essent energieleverancier"),
    "zorgverzekeringsachterstand": (0.030, "VGZ zorgverzekeraar"),
    "waterachterstand": (0.015, "WML waterbedrijf"),
    "politie": (0.015, "Politie Limburg"),
    "huiselijk_geweld": (0.008, "Veilig Thuis Limburg"),
    "school": (0.012, "Kindcentrum De Schakel"),
}
# involvement kind -> (share, institution id, professional)
INVOLVEMENTS = (
    ("bemoeizorg", 0.14, "INST-005", "bemoeizorger Mondriaan"),
    ("politiecontact", 0.10, "INST-008", "wijkagent"),
    ("maatschappelijk werk", 0.22, "INST-009", "maatschappelijk werker Impuls"),
    ("huurachterstandsgesprek", 0.12, "INST-007", "woonconsulent Weller"),
    ("voedselpakket", 0.14, "INST-011", "vrijwilliger Voedselbank"),
    ("taaltraject", 0.08, "INST-010", "taalcoach BGP"),
    ("re-integratietraject", 0.14, "INST-002", "werkcoach Betere Buren"),
    ("werkgeversbemiddeling", 0.06, "INST-004", "accountmanager WSP"),
)


# The one front door (voordeur CENTRAAL) runs in the Noord and Oost experiments since this many
# days before the reference date; before that, and elsewhere, the three doors of today.
ONE_DOOR_DAYS = 183
ONE_DOOR_WIJKEN = ("Noord", "Oost")
# median days from request to decision per door (lognormal spread); one door decides sooner
DECISION_MEDIAN_DAYS = {"WMO": 42, "JEUGD": 49, "ISD": 28, ONE_FRONT_DOOR: 16}


def make_help_requests(
    rng: np.random.Generator, pop: Population, combos: np.ndarray, reference_date: dt.date
) -> pd.DataFrame:
    """Help requests over the history before the reference date, through the front doors."""
    d = np.datetime64(reference_date, "D")
    n = len(combos)
    n_domains = (combos & 1 > 0).astype(int) + (combos & 2 > 0) + (combos & 4 > 0)
    rate = 0.04 + 0.22 * (n_domains > 0) + 0.25 * np.maximum(n_domains - 1, 0)
    frequent = rng.random(n) < 0.012  # households that keep knocking on doors
    rate = np.where(frequent, 3.5, rate)
    count = rng.poisson(rate * EVENT_DAYS / 365)
    hh = np.repeat(np.arange(n), count)
    m = len(hh)
    # domain: mostly one of the household's own domains, else a random one
    own = np.stack([(combos[hh] & DOMAIN_BIT[x]) > 0 for x in ("WMO", "JEUGD", "ISD")], axis=1)
    u = rng.random((m, 3)) * np.where(own, 1.0, 0.15)
    has_kids = pop.hh_children[hh] > 0
    u[:, 1] = np.where(has_kids, u[:, 1], -1.0)
    dom = np.array(["WMO", "JEUGD", "ISD"], dtype=object)[np.argmax(u, axis=1)]
    person = pop.hh_first[hh]
    urg = rng.choice(len(URGENCY), size=m, p=[p for _, p in URGENCY])
    omschrijving = np.empty(m, dtype=object)
    intake = np.empty(m, dtype=object)
    pick = rng.random(m)
    staff_pick = rng.random(m)
    for domain in ("WMO", "JEUGD", "ISD"):  # loop over the three domains only
        sel = dom == domain
        texts = np.array(DESCRIPTIONS[domain], dtype=object)
        staff = np.array(ref.INTAKE_STAFF[domain], dtype=object)
        omschrijving[sel] = texts[np.floor(pick[sel] * len(texts)).astype(int)]
        intake[sel] = staff[np.floor(staff_pick[sel] * len(staff)).astype(int)]
    received = d - rng.integers(0, EVENT_DAYS, m).astype("timedelta64[D]")
    one_door = np.isin(pop.hh_wijk[hh], ONE_DOOR_WIJKEN) & (
        received > d - np.timedelta64(ONE_DOOR_DAYS, "D")
    )
    door = np.where(one_door, ONE_FRONT_DOOR, dom).astype(object)
    median = np.array([DECISION_MEDIAN_DAYS[x] for x in door], dtype=float)
    days = np.maximum(1, np.round(median * rng.lognormal(0.0, 0.5, m))).astype("timedelta64[D]")
    decided = received + days
    out = pd.DataFrame(
        {
            "huishouden_id": pop.hh_id[hh],
            "bsn": pop.p_bsn[person],
            "domein": dom,
            "voordeur": door,
            "ontvangen_op": received,
            "besluit_op": np.where(decided <= d, decided, np.datetime64("NaT")),
            "omschrijving": omschrijving,
            "urgentie": np.array([u for u, _ in URGENCY], dtype=object)[urg],
            "intake_door": intake,
        }
    )
    return out.sort_values(["ontvangen_op", "huishouden_id"], kind="stable", ignore_index=True)


def make_signals(
    rng: np.random.Generator,
    pop: Population,
    combos: np.ndarray,
    debt_prone: np.ndarray,
    reference_date: dt.date,
) -> pd.DataFrame:
    """Early signals (open or closed) over the history before the reference date."""
    d = np.datetime64(reference_date, "D")
    n = len(combos)
    frames = []
    for kind, (prob, source) in SIGNALS.items():
        if kind.endswith("achterstand"):
            w = np.where(debt_prone, 6.0, 1.0) * np.where(combos & DOMAIN_BIT["ISD"], 2.0, 1.0)
        elif kind == "school":
            w = (pop.hh_children > 0).astype(float)
        else:
            w = np.where(combos > 0, 2.0, 1.0)
        k = int(rng.binomial(n, min(prob / 730 * EVENT_DAYS, 1.0)))
        hh = rng.choice(n, size=k, p=w / w.sum()) if k else np.empty(0, dtype=int)
        age = rng.integers(0, EVENT_DAYS, k)
        reported = d - age.astype("timedelta64[D]")
        # most signals are dealt with in weeks, one in five takes a year or more
        days = np.where(rng.random(k) < 0.8, 7 + rng.exponential(60, k), rng.exponential(500, k))
        closed = reported + days.astype(np.int64).astype("timedelta64[D]")
        still_open = closed > d
        frames.append(
            pd.DataFrame(
                {
                    "huishouden_id": pop.hh_id[hh],
                    "soort": kind,
                    "bron": source,
                    "gemeld_op": reported,
                    "gesloten_op": np.where(still_open, np.datetime64("NaT"), closed),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def make_involvements(
    rng: np.random.Generator, pop: Population, combos: np.ndarray, reference_date: dt.date
) -> pd.DataFrame:
    """Institutions involved with a household without a provision (bemoeizorg, police, ...)."""
    d = np.datetime64(reference_date, "D")
    n = len(combos)
    w = np.where(combos > 0, 3.0, 1.0)
    k = round(0.06 * n)
    hh = rng.choice(n, size=k, p=w / w.sum())
    shares = np.array([x[1] for x in INVOLVEMENTS])
    idx = rng.choice(len(INVOLVEMENTS), size=k, p=shares / shares.sum())
    start = d - rng.integers(0, 3 * 365, k).astype("timedelta64[D]")
    length = rng.integers(14, 540, k).astype("timedelta64[D]")
    ended = (start + length < d) & (rng.random(k) < 0.8)
    return pd.DataFrame(
        {
            "huishouden_id": pop.hh_id[hh],
            "instelling_id": np.array([x[2] for x in INVOLVEMENTS], dtype=object)[idx],
            "soort": np.array([x[0] for x in INVOLVEMENTS], dtype=object)[idx],
            "professional": np.array([x[3] for x in INVOLVEMENTS], dtype=object)[idx],
            "start": start,
            "einde": np.where(ended, start + length, np.datetime64("NaT")),
        }
    )
