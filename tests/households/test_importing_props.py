"""Property-based: garbled files give a result or a rejection, never another exception."""

from __future__ import annotations

import contextlib
import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from households.actor import SYSTEM
from households.bsn import hash_bsn, is_valid_bsn, normalise_bsn
from households.cellparsers import parse_amount, parse_bsn, parse_date
from households.errors import InvalidInput
from households.importing import KINDS, ImportRejected, import_stream
from households.models import Debt, Household, Institution, Person, Provision

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BSNS = ["111222333", "123456782", "100000009"]

# Cells that are valid somewhere, nearly valid, or garbage.
cell = st.one_of(
    st.sampled_from(
        [
            "", " ", "H1", "H2", "V1", "S1", "I1", *BSNS, "111222334", "12345672",
            "WMO", "jeugd", "Isd", "kind", "Partner", "ja", "NEE", "misschien",
            "2024-01-01", "31-12-2024", "2024-02-30", "1-1-2024", "1.234,56", "1234.56",
            "-5", "1.234", "1980", "6441AB", "6441 ab", "Zorggroep Brunssum", '"', ";", ",",
            "\x00", "é", "x" * 200, "9" * 30,
        ]
    ),
    st.text(max_size=12),
)  # fmt: skip


def snapshot(session):
    return {
        m.__tablename__: sorted(tuple(r) for r in session.execute(select(m.__table__)).all())
        for m in (Household, Person, Institution, Provision, Debt)
    }


def seed(session):
    import_stream(session, SYSTEM, "huishoudens", b"huishouden_id,wijk\nH1,Noord\nH2,Zuid\n", "h")
    persons = f"bsn,huishouden_id,geboortejaar,rol\n{BSNS[0]},H1,1980,hoofdbewoner\n"
    import_stream(session, SYSTEM, "personen", persons.encode(), "p")
    session.commit()


def try_import(session, kind: str, data: bytes) -> None:
    before = snapshot(session)
    try:
        result = import_stream(session, SYSTEM, kind, data, "prop.csv")
    except ImportRejected as exc:
        assert exc.errors and all(e.line >= 1 for e in exc.errors)
        assert not any(b in str(exc) for b in BSNS)
        assert snapshot(session) == before
        return
    session.commit()
    assert result.rows == result.inserted + result.updated + result.unchanged
    assert not any(b in result.summary() for b in BSNS)


@st.composite
def csv_file(draw):
    kind = draw(st.sampled_from(sorted(KINDS)))
    names = [f.name for f in KINDS[kind].fields]
    header = draw(st.lists(st.sampled_from([*names, "onbekend", "BSN ", ""]), max_size=10))
    if draw(st.booleans()):
        header = names + header[:1]
    header = [h.upper() if draw(st.booleans()) else h for h in header]
    rows = draw(
        st.lists(st.lists(cell, min_size=0, max_size=len(header) + 1), min_size=0, max_size=6)
    )
    delimiter = draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return kind, data


@SETTINGS
@given(case=csv_file())
def test_garbled_rows_give_a_result_or_a_clean_rejection(session, case):
    if not session.scalar(select(Household.id).limit(1)):
        seed(session)
    kind, data = case
    try_import(session, kind, data)


@SETTINGS
@given(kind=st.sampled_from(sorted(KINDS)), data=st.binary(max_size=200))
def test_arbitrary_bytes_give_a_result_or_a_clean_rejection(session, kind, data):
    try_import(session, kind, data)


@SETTINGS
@given(text=st.text(max_size=30))
def test_cell_parsers_raise_only_invalid_input(text):
    for parse in (parse_amount, parse_date, parse_bsn):
        with contextlib.suppress(InvalidInput):
            parse(text)


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.from_regex(r"[0-9]{8,9}", fullmatch=True), st.text(max_size=12)))
def test_parse_bsn_agrees_with_the_shared_elfproef(text):
    expected = is_valid_bsn(normalise_bsn(text))
    try:
        assert parse_bsn(text) == normalise_bsn(text) and expected
    except InvalidInput:
        assert not expected


@settings(max_examples=100, deadline=None)
@given(
    euros=st.integers(min_value=0, max_value=10**9),
    cents=st.integers(min_value=0, max_value=99),
    thousands=st.sampled_from(["", ".", ","]),
)
def test_parse_amount_round_trips_every_spelling(euros, cents, thousands):
    mark = "," if thousands == "." else "."
    whole = f"{euros:,}".replace(",", thousands) if thousands else str(euros)
    assert parse_amount(f"{whole}{mark}{cents:02d}") == euros * 100 + cents


def test_bsn_hash_used_by_the_importer_is_hash_bsn(session):
    seed(session)
    assert session.scalar(select(Person.bsn_hash)) == hash_bsn(BSNS[0])
