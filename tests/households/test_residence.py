"""Who lived where (bewoning, DESIGN 5.4): stacking on a date counts a person's provisions in
the household they lived in on that date; the import kind's variants and refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from coordination.stacking import stacking_table
from households.importing import RowError
from households.models import Residence
from tests.households.test_importing import BSN_A, BSN_B, count, load, rejection

D = dt.date
MOVE = D(2025, 6, 1)
PROVISIONS = (
    "bron_id;bsn;domein;soort;start;einde\n"
    f"V1;{BSN_A};WMO;begeleiding;2024-01-01;\n"
    f"V2;{BSN_A};ISD;bijstand;2024-01-01;\n"
)


@pytest.fixture
def with_provisions(base):
    load(base, "voorzieningen", PROVISIONS)  # BSN_A lives in H1, BSN_B in H2 (no history)
    return base


def _provisions(session, day) -> dict[str, int]:
    t = stacking_table(session, day)
    return dict(zip(t["huishouden_id"], t["n_provisions"], strict=True))


def test_a_person_who_moves_takes_their_provisions_only_from_the_move(with_provisions):
    base = with_provisions
    assert _provisions(base, D(2025, 1, 1)) == {"H1": 2, "H2": 0}  # no history: current household
    load(base, "bewoning", f"bsn;huishouden_id;vanaf;tot\n{BSN_A};H2;2020-01-01;{MOVE}\n"
                           f"{BSN_A};H1;{MOVE};\n")  # fmt: skip
    assert _provisions(base, MOVE - dt.timedelta(days=1)) == {"H1": 0, "H2": 2}
    assert _provisions(base, MOVE) == {"H1": 2, "H2": 0}
    assert _provisions(base, D(2026, 1, 1)) == {"H1": 2, "H2": 0}
    # before the first period the person lived in neither household
    assert _provisions(base, D(2019, 12, 31)) == {"H1": 0, "H2": 0}


def test_bewoning_is_idempotent_and_refuses_bad_rows(base):
    text = f"bsn;huishouden_id;vanaf;tot\n{BSN_B};H2;01-01-2021;\n"
    load(base, "bewoning", text)
    load(base, "bewoning", text)
    assert count(base, Residence) == 1
    bad = (
        "bsn;huishouden_id;vanaf;tot\n"
        f"{BSN_A};H1;2024-01-01;2023-01-01\n"
        f"{BSN_A};H9;2020-01-01;\n"
        f"{BSN_B};H1;2019-01-01;2022-01-01\n"
        f"{BSN_B};H2;2021-06-01;\n"
    )
    exc = rejection(base, "bewoning", bad)
    assert RowError(2, "tot", "tot ligt niet na vanaf") in exc.errors
    assert (
        RowError(3, "huishouden_id", "onbekend huishouden_id (huishouden niet geïmporteerd)")
        in exc.errors
    )
    assert RowError(5, "vanaf", "overlapt met een andere periode") in exc.errors
    assert count(base, Residence) == 1
