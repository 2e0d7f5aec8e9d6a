"""Synthetic households and persons of Brunssum (vectorised; no per-row loops).

Internally the population is a set of aligned numpy arrays; persons are
stored household-major (hoofdbewoner, partner, children, others), so the
persons of household ``h`` are ``first[h] : first[h] + size[h]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import reference as ref

__all__ = ["Population", "make_population", "valid_bsns", "HOUSEHOLD_TYPES"]

# type -> share of households. Brunssum is an ageing Parkstad town: on 1-1-2016 (CBS, in the
# gemeente's Burgerjaarverslag 2015, "Brunssum in cijfers") 28,466 inhabitants, 13.4% aged
# 0-14 and 22.7% aged 65+; the large 55-64 cohorts of then (4,431) have since turned 65, and
# CBS counts 27,773 inhabitants on 1-1-2024. The shares below give about 15% under 18 and
# about 27% aged 65+ (tests/data/test_generator.py checks both), ~2 persons per household.
HOUSEHOLD_TYPES: dict[str, float] = {
    "alleenstaand_oudere": 0.19,
    "alleenstaand": 0.20,
    "paar_oudere": 0.17,
    "paar": 0.15,
    "paar_kinderen": 0.16,
    "eenouder": 0.07,
    "overig": 0.06,
}
ADULT_CHILD_SHARE = 0.30  # thuiswonende kinderen aged 18 or over
_TYPES = tuple(HOUSEHOLD_TYPES)
T = {name: i for i, name in enumerate(_TYPES)}
ROLES = np.array(["hoofdbewoner", "partner", "kind", "overig"], dtype=object)


@dataclass
class Population:
    """Aligned arrays for households (``hh_*``) and persons (``p_*``)."""

    hh_type: np.ndarray  # int, index into HOUSEHOLD_TYPES
    hh_wijk: np.ndarray  # object
    hh_first: np.ndarray  # first person index
    hh_size: np.ndarray
    hh_partner: np.ndarray  # bool
    hh_children: np.ndarray  # number of children (role kind)
    hh_id: np.ndarray  # huishouden_id (object)
    p_household: np.ndarray  # household index per person
    p_role: np.ndarray  # int 0..3 (ROLES)
    p_age: np.ndarray
    p_bsn: np.ndarray  # clear BSN (object), export only
    households: pd.DataFrame
    persons: pd.DataFrame


def valid_bsns(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` unique 9-digit strings that pass the elfproef, in random order.

    >>> from households.bsn import is_valid_bsn
    >>> out = valid_bsns(np.random.Generator(np.random.PCG64(1)), 5)
    >>> all(is_valid_bsn(b) for b in out), len(set(out))
    (True, 5)
    """
    weights = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)
    chosen = np.empty(0, dtype=np.int64)
    while len(chosen) < n:
        m = int((n - len(chosen)) * 1.25) + 100
        prefix = rng.integers(10_000_000, 100_000_000, size=m, dtype=np.int64)
        check = np.zeros(m, dtype=np.int64)
        for i, w in enumerate(weights):  # 8 digit positions, vectorised over rows
            check += (prefix // 10 ** (7 - i)) % 10 * w
        check %= 11
        ok = check < 10
        numbers = prefix[ok] * 10 + check[ok]
        pool = np.concatenate([chosen, numbers])
        _, first = np.unique(pool, return_index=True)
        chosen = pool[np.sort(first)]
    # prefixes >= 10_000_000, so every number has 9 digits without padding
    return chosen[:n].astype(str).astype(object)


def _ages(rng: np.random.Generator, hh_type: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Age of the hoofdbewoner and of the partner (where there is one) per household."""
    n = len(hh_type)
    elderly = 65 + np.minimum(rng.exponential(9.0, n), 34)
    adult = 18 + rng.beta(1.6, 1.2, n) * 46
    parent = 27 + rng.beta(2.2, 2.2, n) * 32
    older = 48 + rng.random(n) * 37
    head = np.select(
        [
            np.isin(hh_type, [T["alleenstaand_oudere"], T["paar_oudere"]]),
            np.isin(hh_type, [T["alleenstaand"], T["paar"]]),
            np.isin(hh_type, [T["paar_kinderen"], T["eenouder"]]),
        ],
        [elderly, adult, parent],
        older,
    ).astype(np.int64)
    partner = np.maximum(18, head + np.rint(rng.normal(-1.5, 3.0, n))).astype(np.int64)
    return head, partner


def _addresses(rng: np.random.Generator, n: int) -> pd.DataFrame:
    wijken = list(ref.WIJKEN)
    shares = np.array([ref.WIJKEN[w][0] for w in wijken])
    wijk_idx = rng.choice(len(wijken), size=n, p=shares / shares.sum())
    buurt_tab = [(w, b) for w in wijken for b in ref.WIJKEN[w][1]]
    street_tab = [(w, b, s) for w, b in buurt_tab for s in ref.STREETS[b]]
    street_of = {w: [i for i, t in enumerate(street_tab) if t[0] == w] for w in wijken}
    street = np.empty(n, dtype=np.int64)
    for wi, w in enumerate(wijken):  # loop over 5 wijken, not over rows
        mask = wijk_idx == wi
        street[mask] = rng.choice(street_of[w], size=int(mask.sum()))
    # house numbers: rank within the street (random because households are random)
    order = np.argsort(street, kind="stable")
    starts = np.searchsorted(street[order], street[order], side="left")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - starts
    number = 1 + rank % 300
    suffix_n = rank // 300
    # postcode letters without I, O, Q, S, Y (SA, SD and SS are never issued)
    letters = np.array(list("ABCDEFGHJKLMNPRTUVWXZ"), dtype=object)
    suffix = np.where(
        suffix_n == 0,
        "",
        letters[(suffix_n - 1) % len(letters)]
        + np.where(suffix_n > len(letters), ((suffix_n - 1) // len(letters)).astype(str), ""),
    )
    tab = pd.DataFrame(street_tab, columns=["wijk", "buurt", "straat"])
    pc_num = np.array(
        [ref.POSTCODE_NUMBER_BUURT.get(b, ref.POSTCODE_NUMBER[w]) for w, b, _ in street_tab]
    )
    block = (number - 1) // 24
    code = street * 13 + block * 7
    pc = (
        pc_num[street].astype(str).astype(object)
        + letters[(code // len(letters)) % len(letters)]
        + letters[code % len(letters)]
    )
    return pd.DataFrame(
        {
            "wijk": tab["wijk"].to_numpy()[street],
            "buurt": tab["buurt"].to_numpy()[street],
            "postcode": pc,
            "huisnummer": number.astype(str).astype(object) + suffix,
            "straat": tab["straat"].to_numpy()[street],
        }
    )


def make_population(rng: np.random.Generator, n: int, reference_date: dt.date) -> Population:
    """Households with addresses and persons with BSN, name, birth year and role."""
    shares = np.array(list(HOUSEHOLD_TYPES.values()))
    hh_type = rng.choice(len(_TYPES), size=n, p=shares / shares.sum())
    partner = np.isin(hh_type, [T["paar_oudere"], T["paar"], T["paar_kinderen"]])
    children = np.zeros(n, dtype=np.int64)
    pk = hh_type == T["paar_kinderen"]
    children[pk] = rng.choice([1, 2, 3, 4], size=int(pk.sum()), p=[0.40, 0.42, 0.14, 0.04])
    ep = hh_type == T["eenouder"]
    children[ep] = rng.choice([1, 2, 3], size=int(ep.sum()), p=[0.55, 0.33, 0.12])
    others = np.where(hh_type == T["overig"], rng.choice([1, 2], size=n, p=[0.8, 0.2]), 0)
    size = 1 + partner + children + others
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    n_p = int(size.sum())

    p_hh = np.repeat(np.arange(n), size)
    pos = np.arange(n_p) - first[p_hh]
    is_partner = (pos == 1) & partner[p_hh]
    is_child = (pos >= 1 + partner[p_hh]) & (pos < 1 + partner[p_hh] + children[p_hh])
    role = np.select([pos == 0, is_partner, is_child], [0, 1, 2], 3)

    head_age, partner_age = _ages(rng, hh_type)
    max_child = np.clip(head_age - 19, 0, 22)[p_hh]
    child_age = np.where(  # many of the children living at home are adults
        rng.random(n_p) >= ADULT_CHILD_SHARE,
        np.floor(rng.random(n_p) * np.minimum(max_child, 18)),
        18 + np.floor(rng.random(n_p) * np.clip(max_child - 17, 1, 5)),
    )
    child_age = np.minimum(child_age, max_child).astype(np.int64)
    other_age = (18 + np.floor(rng.random(n_p) * 30)).astype(np.int64)
    age = np.select(
        [role == 0, role == 1, role == 2], [head_age[p_hh], partner_age[p_hh], child_age], other_age
    )

    surnames = np.array(ref.SURNAMES, dtype=object)
    hh_surname = rng.integers(0, len(surnames), size=n)
    own_surname = np.where(
        (role == 1) & (rng.random(n_p) < 0.45),
        rng.integers(0, len(surnames), size=n_p),
        hh_surname[p_hh],
    )
    firsts = np.array(ref.FIRST_NAMES, dtype=object)
    name = firsts[rng.integers(0, len(firsts), size=n_p)] + " " + surnames[own_surname]

    households = _addresses(rng, n)
    hh_id = np.char.add("HH", np.char.zfill(np.arange(1, n + 1).astype(str), 7)).astype(object)
    households.insert(0, "huishouden_id", hh_id)
    bsn = valid_bsns(rng, n_p)
    persons = pd.DataFrame(
        {
            "bsn": bsn,
            "huishouden_id": hh_id[p_hh],
            "geboortejaar": (reference_date.year - age).astype(np.int64),
            "rol": ROLES[role],
            "naam": name,
        }
    )
    return Population(
        hh_type=hh_type,
        hh_wijk=households["wijk"].to_numpy(),
        hh_first=first,
        hh_size=size,
        hh_partner=partner,
        hh_children=children,
        hh_id=hh_id,
        p_household=p_hh,
        p_role=role,
        p_age=age,
        p_bsn=bsn,
        households=households,
        persons=persons,
    )
