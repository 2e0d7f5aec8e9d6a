"""Real inflows (DESIGN 5.2): signalen, betrokkenheden and hulpvragen — each accepted variant,
each refusal with its line and column, all-or-nothing, importing twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from households.importing import RowError
from households.models import HelpRequest, Household, Involvement, Signal
from tests.households.test_importing import BSN_A, BSN_B, BSN_C, count, load, rejection

SIGNALS = (
    "bron_id;huishouden_id;bsn;soort;gemeld_op;bron;gesloten_op;toelichting\n"
    "WGS-1;H1;;Huurachterstand;2026-03-01;Woonpunt;;twee maanden huur\n"
    f"POL-7;;{BSN_B};politie;15-04-2026;Politie Limburg;20-04-2026;\n"
    f"VT-2;H2;{BSN_B};veilig_thuis;2026-05-01;;;\n"
)
INVOLVEMENTS = (
    "bron_id,huishouden_id,bsn,instelling_id,soort,start,einde,professional\n"
    "B1,H1,,I1,bemoeizorg,2025-01-01,,M. Smeets\n"
    f"B2,,{BSN_B},I1,maatschappelijk werk,2025-06-01,2025-12-31,\n"
)
REQUESTS = (
    "bron_id;bsn;domein;voordeur;ontvangen_op;besluit_op;omschrijving\n"
    f"WMO-2025-1;{BSN_A};WMO;wmo;2025-02-01;2025-03-15;traplift\n"
    f"ISD-2025-9;{BSN_B};ISD;CENTRAAL;01-09-2025;;levensonderhoud\n"
    f"JGD-2024-3;{BSN_B};JEUGD;kiss;01-03-2024;;opvoedvraag\n"  # a file from before 0016
)


def _household(session, key: str) -> int:
    return session.scalar(select(Household.id).where(Household.huishouden_id == key))


def test_signals_by_household_or_bsn_with_codes_and_dates(base):
    load(base, "signalen", SIGNALS)
    rows = {s.bron_id: s for s in base.scalars(select(Signal))}
    assert set(rows) == {"WGS-1", "POL-7", "VT-2"}
    assert (rows["WGS-1"].household_id, rows["WGS-1"].soort) == (
        _household(base, "H1"),
        "huurachterstand",
    )
    assert rows["POL-7"].household_id == _household(base, "H2")  # found through the BSN
    assert rows["POL-7"].gesloten_op == dt.date(2026, 4, 20)
    assert rows["WGS-1"].toelichting == "twee maanden huur" and rows["POL-7"].toelichting is None


def test_involvements_and_help_requests(base):
    load(base, "betrokkenheden", INVOLVEMENTS)
    load(base, "hulpvragen", REQUESTS)
    inv = {i.bron_id: i for i in base.scalars(select(Involvement))}
    assert inv["B1"].professional == "M. Smeets" and inv["B2"].einde == dt.date(2025, 12, 31)
    assert inv["B2"].household_id == _household(base, "H2")
    req = {r.bron_id: r for r in base.scalars(select(HelpRequest))}
    assert (req["WMO-2025-1"].voordeur, req["WMO-2025-1"].besluit_op) == (
        "WMO",
        dt.date(2025, 3, 15),
    )
    # the one front door is stored as CENTRAAL; "KISS" (files made before 0016) is its alias
    assert req["ISD-2025-9"].voordeur == req["JGD-2024-3"].voordeur == "CENTRAAL"
    assert req["ISD-2025-9"].household_id == _household(base, "H2")
    assert req["ISD-2025-9"].person_id is not None


@pytest.mark.parametrize(
    ("kind", "text", "line", "column", "reason"),
    [
        ("signalen", "bron_id;huishouden_id;soort;gemeld_op\nS9;H1;inbraak;2026-01-01\n",
         2, "soort", None),
        ("signalen", "bron_id;soort;gemeld_op\nS9;politie;2026-01-01\n",
         2, "huishouden_id", "geef huishouden_id of bsn"),
        ("signalen", "bron_id;huishouden_id;soort;gemeld_op\nS9;H7;politie;2026-01-01\n",
         2, "huishouden_id", "onbekend huishouden_id"),
        ("signalen", f"bron_id;bsn;soort;gemeld_op\nS9;{BSN_C};politie;2026-01-01\n",
         2, "bsn", "onbekende BSN (persoon niet geïmporteerd)"),
        ("signalen", "bron_id;huishouden_id;bsn;soort;gemeld_op\n"
         f"S9;H1;{BSN_B};politie;2026-01-01\n",
         2, "bsn", "de persoon hoort niet bij dit huishouden"),
        ("signalen", "bron_id;huishouden_id;soort;gemeld_op;gesloten_op\n"
         "S9;H1;politie;2026-02-01;2026-01-01\n", 2, "gesloten_op",
         "gesloten_op ligt voor gemeld_op"),
        ("signalen", "bron_id;huishouden_id;soort;gemeld_op;toelichting\n"
         "S9;H1;politie;2026-02-01;belde over 1112.22.333\n", 2, "toelichting",
         "lijkt een BSN te bevatten (een BSN hoort nooit in vrije tekst)"),
        ("betrokkenheden", "bron_id;huishouden_id;instelling_id;soort;start\n"
         "B9;H1;I7;wijkagent;2026-01-01\n",
         2, "instelling_id", "onbekend instelling_id (instelling niet geïmporteerd)"),
        ("hulpvragen", "bron_id;bsn;domein;voordeur;ontvangen_op\n"
         f"R9;{BSN_A};WMO;loket;2026-01-01\n",
         2, "voordeur", None),
        ("hulpvragen", f"bron_id;bsn;domein;voordeur;ontvangen_op;besluit_op\n"
         f"R9;{BSN_A};WMO;WMO;2026-02-01;2026-01-01\n", 2, "besluit_op",
         "besluit_op ligt voor ontvangen_op"),
    ],
)  # fmt: skip
def test_each_refusal_names_line_column_and_reason(base, kind, text, line, column, reason):
    exc = rejection(base, kind, text)
    assert [(e.line, e.column) for e in exc.errors] == [(line, column)]
    if reason is not None:
        assert exc.errors == [RowError(line, column, reason)]


def test_one_bad_row_writes_nothing_and_twice_changes_nothing(base):
    bad = SIGNALS + "S10;H1;onbekend;2026-01-01;;;\n"
    rejection(base, "signalen", bad)
    assert count(base, Signal) == 0
    load(base, "signalen", SIGNALS)
    load(base, "betrokkenheden", INVOLVEMENTS)
    load(base, "hulpvragen", REQUESTS)
    before = (count(base, Signal), count(base, Involvement), count(base, HelpRequest))
    again = load(base, "signalen", SIGNALS)
    load(base, "betrokkenheden", INVOLVEMENTS)
    load(base, "hulpvragen", REQUESTS)
    assert (count(base, Signal), count(base, Involvement), count(base, HelpRequest)) == before
    assert (again.inserted, again.updated) == (0, 0)
