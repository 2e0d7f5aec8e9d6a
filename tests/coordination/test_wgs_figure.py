"""The KISS figure on the Wgs offer of help within the norm: what counts, the norm beheer
sets, and the protection of small counts."""

from __future__ import annotations

import datetime as dt

import pytest

from coordination.suppression import is_hidden, is_small
from coordination.wgs_figure import arrears_offer_figure
from households.errors import AccessDenied, InvalidInput
from households.norms import WGS_OFFER, set_norm
from tests import builders as b

D = dt.date(2026, 5, 31)
MARCH = dt.date(2026, 3, 1)


def _signal(session, soort, offered_after: int | None, gemeld_op=MARCH, household=None):
    hh = household or b.household_with_persons(session)[0]
    s = b.add_signal(session, hh, soort=soort, gemeld_op=gemeld_op)
    if offered_after is not None:
        s.hulp_aangeboden_op = gemeld_op + dt.timedelta(days=offered_after)
    return hh


def _rows(figure) -> dict[str, tuple]:
    return {r["soort"]: (r["signalen"], r["binnen_norm"], r["buiten_norm"], r["aandeel"])
            for r in figure["rijen"]}  # fmt: skip


@pytest.fixture
def kiss(account):
    return account("k", "kiss")


def test_counts_per_kind_within_and_outside_the_norm(session, kiss):
    for days in (0, 3, 10, 14, 14, 2, 7):  # day 14 is still within the norm of 14 days
        _signal(session, "huurachterstand", days)
    for days in (15, 30, None, None, 20):  # late, or no offer at all
        _signal(session, "huurachterstand", days)
    for _ in range(10):
        _signal(session, "energieachterstand", 1)
    # not counted: inside its term on D, older than 12 months, a police report, a repeat
    _signal(session, "waterachterstand", None, gemeld_op=D - dt.timedelta(days=10))
    _signal(session, "zorgverzekeringsachterstand", 1, gemeld_op=dt.date(2025, 5, 31))
    hh = _signal(session, "politie", None)
    _signal(session, "energieachterstand", 2, gemeld_op=dt.date(2026, 4, 1), household=hh)
    _signal(session, "energieachterstand", 40, gemeld_op=dt.date(2026, 4, 15), household=hh)
    session.commit()
    figure = arrears_offer_figure(session, kiss, D)
    assert (figure["norm_dagen"], figure["van"], figure["tot"]) == (14, dt.date(2025, 6, 1), D)
    assert _rows(figure) == {
        "huurachterstand": (12, 7, 5, 0.583),
        "energieachterstand": (11, 11, 0, 1.0),  # the repeat counted once, by its first
        "waterachterstand": (0, 0, 0, None),
        "zorgverzekeringsachterstand": (0, 0, 0, None),
        "totaal": (23, 18, 5, 0.783),
    }


def test_the_norm_beheer_sets_is_the_norm_counted_with(session, kiss, account):
    for days in (3, 3, 3, 3, 3, 10, 10, 10, 10, 10):
        _signal(session, "huurachterstand", days)
    set_norm(session, account("fb", "beheer"), WGS_OFFER, 5)
    session.commit()
    figure = arrears_offer_figure(session, kiss, D)
    assert figure["norm_dagen"] == 5
    assert _rows(figure)["huurachterstand"] == (10, 5, 5, 0.5)


def test_small_counts_are_protected_and_cannot_be_derived(session, kiss):
    for days in (1, 1, 1, 1, 1, 1, 1, 30):  # 7 within, 1 late
        _signal(session, "huurachterstand", days)
    for days in (1, 1, 1, 1, 1, 1):
        _signal(session, "energieachterstand", days)
    _signal(session, "waterachterstand", 2)
    session.commit()
    figure = arrears_offer_figure(session, kiss, D)
    cells = [
        v for r in figure["rijen"] for v in (r["signalen"], r["binnen_norm"], r["buiten_norm"])
    ]
    assert not any(isinstance(v, int) and is_small(v) for v in cells)
    rows = _rows(figure)
    assert rows["huurachterstand"][2] == "<5" and rows["waterachterstand"][0] == "<5"
    # the late one cannot be recovered from the published within-count and total
    assert is_hidden(rows["huurachterstand"][1]) or is_hidden(rows["huurachterstand"][0])
    assert rows["huurachterstand"][3] is None  # no share from hidden counts


def test_only_kiss_and_only_on_month_ends(session, kiss, account):
    with pytest.raises(InvalidInput, match="kies het einde van een maand"):
        arrears_offer_figure(session, kiss, dt.date(2026, 5, 30))
    with pytest.raises(AccessDenied):
        arrears_offer_figure(session, account("g", "gbd"), D)


@pytest.mark.parametrize(
    "late", [(1, 0, 0, 0), (1, 1, 0, 0), (2, 0, 1, 0), (4, 3, 0, 1), (1, 0, 0, 6)]
)
def test_interval_attack_on_the_published_table(session, kiss, late):
    """Rows and columns sum to their totals: no hidden cell narrows below what 4.6 allows."""
    from tests.coordination.test_disclosure_attack import Attack

    for kind, n_late in zip(("huurachterstand", "energieachterstand", "waterachterstand",
                             "zorgverzekeringsachterstand"), late, strict=True):  # fmt: skip
        for k in range(6 + n_late):
            _signal(session, kind, 30 if k < n_late else 1)
    session.commit()
    rows = arrears_offer_figure(session, kiss, D)["rijen"]
    a = Attack()
    for r in rows:
        for col in ("signalen", "binnen_norm", "buiten_norm"):
            a.cell((r["soort"], col), r[col])
        a.eq((r["soort"], "signalen"), [(r["soort"], "binnen_norm"), (r["soort"], "buiten_norm")])
    for col in ("signalen", "binnen_norm", "buiten_norm"):
        a.eq(("totaal", col), [(r["soort"], col) for r in rows[:-1]])
    assert a.hidden, "a small count must have been hidden"
    for key, (lo, hi) in a.intervals(small_upper=4).items():
        if a.hidden[key] == "<5":
            assert hi > lo, key  # never pinned to one value
        else:
            assert hi - lo + 1 >= 5, key  # an x is never narrower than 5 values
